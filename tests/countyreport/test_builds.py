"""Building the county report: states, progress, failures, retries, publication, the command."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.utils import timezone

from actors.models import Membership
from actors.services import membership_revoke
from audit.events import Event
from countyreport import formats, services
from countyreport.models import ReportBuild, stale_after
from tests.countyreport.test_content import add_indicators, add_joint_commitments
from tests.factories import ReportBuildFactory
from tests.personas import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def report(world):
    return services.county_report_for_year(world.period.year)


def build_now(report, user, capture):
    """Request a build and run what is queued after commit (the task runs eagerly in tests)."""
    with capture(execute=True):
        build = services.build_request(report=report, user=user)
    build.refresh_from_db()
    return build


def events(kind):
    return LogEntry.objects.filter(additional_data__event=kind)


def test_a_requested_build_is_queued_until_the_transaction_commits(
    world, report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        build = services.build_request(report=report, user=world.users["county_staff"])

    assert build.state == ReportBuild.State.QUEUED
    assert len(callbacks) == 1


def test_a_build_makes_three_files_records_its_input_and_ends_done(
    world, report, django_capture_on_commit_callbacks
):
    build = build_now(report, world.users["county_staff"], django_capture_on_commit_callbacks)

    assert (build.state, build.step, build.percent, build.attempts) == ("done", "finished", 100, 1)
    assert len(build.input_checksum) == 64
    assert build.started_at <= build.finished_at
    with build.pdf.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    for kind in ("xlsx", "docx"):
        with getattr(build, kind).open("rb") as file:
            assert file.read(2) == b"PK"  # both are zip packages
    assert ".." not in build.pdf.name and build.pdf.name.endswith(".pdf")


def test_the_same_data_builds_with_the_same_checksum(
    world, report, django_capture_on_commit_callbacks
):
    staff = world.users["county_staff"]
    first = build_now(report, staff, django_capture_on_commit_callbacks)
    second = build_now(report, staff, django_capture_on_commit_callbacks)

    assert first.pk != second.pk
    assert first.input_checksum == second.input_checksum


def test_a_finished_build_is_recorded_once_in_the_audit_log(
    world, report, django_capture_on_commit_callbacks
):
    build = build_now(report, world.users["county_staff"], django_capture_on_commit_callbacks)

    assert services.build_run(build.pk) is False  # delivered again: nothing more happens
    build.refresh_from_db()
    assert build.attempts == 1
    entry = events(Event.REPORT_BUILD).get()
    assert entry.actor == world.users["county_staff"]
    assert entry.additional_data["checksum"] == build.input_checksum


def test_a_build_whose_worker_died_is_claimed_again_and_completed_once(world, report):
    build = services.build_create(report=report, user=world.users["county_staff"])
    # What a worker killed after claiming it leaves behind.
    ReportBuild.objects.filter(pk=build.pk).update(
        state="running", step="pdf", percent=20, attempts=1
    )

    assert services.build_run(build.pk) is True
    assert services.build_run(build.pk) is False
    build.refresh_from_db()
    assert (build.state, build.attempts) == ("done", 2)


def test_a_failing_step_fails_the_build_with_a_readable_reason_and_it_can_be_retried(
    world, report, django_capture_on_commit_callbacks, monkeypatch
):
    staff = world.users["county_staff"]
    real_render = formats.render_docx

    def broken(content):
        raise OSError("Disken är full")

    monkeypatch.setattr(formats, "render_docx", broken)
    build = build_now(report, staff, django_capture_on_commit_callbacks)

    assert build.state == ReportBuild.State.FAILED
    assert "Skapar Word-filen" in build.error and "Disken är full" in build.error
    assert not build.pdf

    monkeypatch.setattr(formats, "render_docx", real_render)
    with django_capture_on_commit_callbacks(execute=True):
        services.build_retry(build=build, user=staff)
    build.refresh_from_db()
    assert (build.state, build.error, build.attempts) == ("done", "", 2)


def test_only_a_failed_build_can_be_retried(world, report):
    build = ReportBuildFactory(report=report)

    with pytest.raises(services.CountyReportError):
        services.build_retry(build=build, user=world.users["county_staff"])


def test_a_requester_who_is_no_longer_county_staff_when_it_runs_fails_the_build(
    world, report, django_capture_on_commit_callbacks
):
    staff = world.users["county_staff"]
    with django_capture_on_commit_callbacks() as callbacks:
        build = services.build_request(report=report, user=staff)
    membership_revoke(membership=Membership.objects.get(user=staff))
    for callback in callbacks:
        callback()

    build.refresh_from_db()
    assert build.state == ReportBuild.State.FAILED
    assert "inte längre kansli" in build.error
    assert not build.pdf


@pytest.mark.parametrize("persona", ["coordinator_a", "administrator"])
def test_only_county_staff_build_and_publish(world, report, persona):
    user = world.users[persona]

    with pytest.raises(services.CountyReportError):
        services.build_request(report=report, user=user)
    with pytest.raises(services.CountyReportError):
        services.build_publish(build=ReportBuildFactory(report=report), user=user)
    assert not ReportBuild.objects.filter(published_at__isnull=False).exists()


def test_publishing_a_build_replaces_the_years_published_build(world, report):
    staff = world.users["county_staff"]
    first, second = ReportBuildFactory(report=report), ReportBuildFactory(report=report)

    services.build_publish(build=first, user=staff)
    services.build_publish(build=second, user=staff)

    assert list(ReportBuild.objects.published()) == [second]
    assert events(Event.REPORT_PUBLISH).count() == 2
    with pytest.raises(services.CountyReportError):
        services.build_publish(build=second, user=staff)


def test_an_unfinished_build_cannot_be_published(world, report):
    build = ReportBuildFactory(report=report, state=ReportBuild.State.RUNNING)

    with pytest.raises(services.CountyReportError):
        services.build_publish(build=build, user=world.users["county_staff"])


def test_the_command_builds_like_the_button_and_writes_the_three_files(world, tmp_path, capsys):
    call_command("build_county_report", str(world.period.year), "--output", str(tmp_path))

    build = ReportBuild.objects.get()
    assert build.state == ReportBuild.State.DONE and build.requested_by is None
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == [build.download_name(kind) for kind in ("docx", "pdf", "xlsx")]
    assert (tmp_path / build.download_name("pdf")).read_bytes()[:5] == b"%PDF-"
    assert build.input_checksum in capsys.readouterr().out


def test_the_command_refuses_a_year_without_a_period_clearly(world):
    with pytest.raises(CommandError, match="ingen rapporteringsperiod för 1999"):
        call_command("build_county_report", "1999")


BUILD_QUERIES = 34


@pytest.mark.parametrize("more", [0, 20])
def test_a_build_runs_a_constant_number_of_queries(world, report, more, django_assert_num_queries):
    add_joint_commitments(world, more)
    add_indicators(world, 1 + more)
    build = services.build_create(report=report, user=world.users["county_staff"])
    ContentType.objects.clear_cache()  # the audit entry's content type, read once per process

    with django_assert_num_queries(BUILD_QUERIES):
        assert services.build_run(build.pk)


def test_a_build_stuck_longer_than_any_build_may_run_can_be_retried_and_a_fresh_one_cannot(
    world, report, django_capture_on_commit_callbacks
):
    staff = world.users["county_staff"]
    stuck = services.build_create(report=report, user=staff)
    long_ago = timezone.now() - stale_after() - datetime.timedelta(minutes=1)
    ReportBuild.objects.filter(pk=stuck.pk).update(
        state="running", created_at=long_ago, started_at=long_ago, attempts=1
    )
    fresh = services.build_create(report=report, user=staff)

    with django_capture_on_commit_callbacks(execute=True):
        services.build_retry(build=stuck, user=staff)
    with pytest.raises(services.CountyReportError, match="fastnat"):
        services.build_retry(build=fresh, user=staff)

    stuck.refresh_from_db()
    assert (stuck.state, stuck.attempts) == ("done", 2)
    # The lost message, should Redis hand it on after all, finds the build done.
    assert services.build_run(stuck.pk) is False
