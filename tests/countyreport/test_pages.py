"""The county report's pages: texts saved as drafts, builds, status, downloads, publication."""

import pytest
from django.urls import reverse

from countyreport.models import CountyReport, GoalAnalysis, ReportBuild
from tests.factories import CountyReportFactory, ReportBuildFactory, shipped_goal
from tests.personas import PERSONAS, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def detail_url(world):
    return reverse("countyreport:report-detail", args=[world.period.year])


def test_reading_the_report_page_creates_nothing(client, world):
    client.force_login(world.users["county_staff"])

    response = client.get(detail_url(world))

    assert response.status_code == 200
    assert not CountyReport.objects.exists()
    assert "Bygg rapporten" in response.text


def test_county_staff_save_the_summary_and_an_analysis_as_drafts_with_history(client, world):
    client.force_login(world.users["county_staff"])
    goal = shipped_goal(3)

    response = client.post(
        detail_url(world), {"part": "summary", "summary-text": "Året i korthet."}, follow=True
    )
    assert "Sparat kl." in response.text
    client.post(detail_url(world), {"part": f"goal-{goal.pk}", f"goal-{goal.pk}-text": "Bra."})
    response = client.post(
        detail_url(world), {"part": f"goal-{goal.pk}", f"goal-{goal.pk}-text": "Bättre."}
    )

    assert response.status_code == 302 and response["Location"].endswith(f"#goal-{goal.pk}")
    report = CountyReport.objects.get(period=world.period)
    assert report.summary == "Året i korthet."
    assert GoalAnalysis.objects.get(report=report, goal=goal).text == "Bättre."
    assert GoalAnalysis.history.filter(report_id=report.pk).count() == 2
    page = client.get(detail_url(world)).text
    assert "sammanfattningen" in page and "mål 3" in page


def test_a_text_that_is_too_long_is_refused_in_swedish_and_kept(client, world):
    client.force_login(world.users["county_staff"])
    text = "x" * 20_001

    response = client.post(detail_url(world), {"part": "summary", "summary-text": text})

    assert response.status_code == 200
    assert "Texten får vara högst" in response.text
    assert text in response.text
    assert not CountyReport.objects.exists()


@pytest.mark.parametrize("part", ["", "goal-999999", "goal-x", "summary-text"])
def test_an_unknown_part_answers_400(client, world, part):
    client.force_login(world.users["county_staff"])

    assert client.post(detail_url(world), {"part": part}).status_code == 400


def test_the_button_queues_a_build_and_the_page_shows_its_progress(client, world):
    client.force_login(world.users["county_staff"])

    response = client.post(reverse("countyreport:build-request", args=[world.period.year]))

    build = ReportBuild.objects.get()
    assert response.status_code == 302
    page = client.get(detail_url(world)).text
    status_url = reverse("countyreport:build-status", args=[world.period.year, build.pk])
    assert f'data-status-url="{status_url}"' in page
    assert "<progress" in page and "Uppdatera" in page
    status = client.get(status_url).json()
    assert status == {
        "state": "queued",
        "state_label": "I kö",
        "step_label": "Väntar på sin tur",
        "percent": 0,
        "error": "",
        "finished": False,
        "downloads": [],
    }


def test_the_status_of_a_finished_build_lists_its_downloads(client, world):
    client.force_login(world.users["administrator"])
    build = ReportBuildFactory(report=CountyReportFactory(period=world.period))

    status = client.get(
        reverse("countyreport:build-status", args=[world.period.year, build.pk])
    ).json()

    assert status["finished"] and status["state_label"] == "Klar"
    assert [download["label"] for download in status["downloads"]] == ["PDF", "XLSX", "DOCX"]


def test_a_failed_build_shows_why_and_county_staff_retry_it(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.users["county_staff"])
    build = ReportBuildFactory(
        report=CountyReportFactory(period=world.period),
        state=ReportBuild.State.FAILED,
        error="Bygget stannade vid steget ”Skapar PDF”.",
    )
    assert "Bygget stannade vid steget" in client.get(detail_url(world)).text

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("countyreport:build-retry", args=[world.period.year, build.pk]))

    build.refresh_from_db()
    assert build.state == ReportBuild.State.DONE


def test_publishing_asks_for_confirmation_first(client, world):
    client.force_login(world.users["county_staff"])
    build = ReportBuildFactory(report=CountyReportFactory(period=world.period))
    url = reverse("countyreport:build-publish", args=[world.period.year, build.pk])

    response = client.post(url, {})
    assert "Kryssa i rutan" in response.text
    build.refresh_from_db()
    assert not build.is_published

    client.post(url, {"confirm": "on"})
    build.refresh_from_db()
    assert build.is_published and build.published_by == world.users["county_staff"]


def download(client, world, build, kind="pdf"):
    return client.get(
        reverse("countyreport:build-download", args=[world.period.year, build.pk, kind])
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_unpublished_build_downloads_only_for_county_staff_and_administrators(
    client, world, persona
):
    build = ReportBuildFactory(report=CountyReportFactory(period=world.period))
    if world.users[persona]:
        client.force_login(world.users[persona])

    response = download(client, world, build)

    if persona in ("county_staff", "county_coordinator", "administrator"):
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            f'attachment; filename="lagesrapport-{world.period.year}-{build.pk}.pdf"'
        )
        assert b"".join(response.streaming_content) == f"pdf {build.pk}".encode()
        assert "no-store" in response["Cache-Control"]
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_published_build_downloads_for_everyone(client, world, persona):
    build = ReportBuildFactory(report=CountyReportFactory(period=world.period))
    ReportBuild.objects.filter(pk=build.pk).update(published_at="2026-11-20T10:00Z")
    if world.users[persona]:
        client.force_login(world.users[persona])

    response = download(client, world, build, "docx")

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'{build.pk}.docx"')


@pytest.mark.parametrize("kind", ["exe", "PDF", "..", "pdf.zip"])
def test_an_unknown_format_or_another_years_build_is_404(client, world, kind):
    client.force_login(world.users["county_staff"])
    build = ReportBuildFactory(report=CountyReportFactory(period=world.period))

    assert download(client, world, build, kind).status_code == 404
    assert (
        client.get(
            reverse("countyreport:build-download", args=[world.period.year + 1, build.pk, "pdf"])
        ).status_code
        == 404
    )


def test_the_built_files_are_not_under_the_public_media_folder(settings):
    from countyreport.models import private_storage

    location = str(private_storage().location)
    assert not location.startswith(str(settings.MEDIA_ROOT))
    assert not location.startswith(str(settings.STATIC_ROOT))


def test_visitors_read_the_published_reports_and_the_home_page_leads_to_them(client, world):
    published = ReportBuildFactory(report=CountyReportFactory(period=world.period))
    ReportBuild.objects.filter(pk=published.pk).update(published_at="2026-11-20T10:00Z")
    ReportBuildFactory(report=published.report)  # not published: not listed

    page = client.get(reverse("countyreport:published-list")).text

    assert f"Regional lägesrapport {world.period.year}" in page
    assert (
        reverse("countyreport:build-download", args=[world.period.year, published.pk, "pdf"])
        in page
    )
    assert page.count("/byggen/") == 3
    assert reverse("countyreport:published-list") in client.get(reverse("home")).text
