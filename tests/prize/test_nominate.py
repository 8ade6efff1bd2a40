import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from prize.models import Attachment, Nomination
from tests.factories import NominationFactory, PrizeCallFactory
from tests.prize.conftest import EXE, PDF, nomination_data, png_bytes, upload

pytestmark = pytest.mark.django_db


def _nominate_url(call):
    return reverse("prize:nominate", kwargs={"year": call.year})


def test_a_coordinator_saves_a_draft_that_only_they_see(client, call, coordinator, organisation):
    client.force_login(coordinator)
    data = nomination_data(call, organisation, summary="")
    data["save"] = "1"

    response = client.post(_nominate_url(call), data)

    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("prize:nomination-edit", args=[nomination.pk])
    assert nomination.state == Nomination.State.DRAFT
    assert nomination.nominator == coordinator
    assert not Nomination.objects.for_jury().exists()


def test_a_coordinator_submits_with_one_motivation_per_criterion(
    client, call, coordinator, organisation
):
    client.force_login(coordinator)
    data = nomination_data(call, organisation, submit="1")

    response = client.post(_nominate_url(call), data)

    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert nomination.state == Nomination.State.SUBMITTED
    assert nomination.submitted_at is not None
    assert nomination.motivations.count() == call.criteria.count() == 4
    assert Nomination.objects.for_jury().get() == nomination


def test_submitting_needs_every_motivation_and_keeps_what_was_typed(
    client, call, coordinator, organisation
):
    client.force_login(coordinator)
    first = call.criteria.first()
    data = nomination_data(call, organisation, submit="1", **{f"motivation_{first.pk}": ""})

    response = client.post(_nominate_url(call), data)

    assert response.status_code == 200
    assert not Nomination.objects.exists()
    content = response.content.decode()
    assert "Motivera nomineringen för kriteriet" in content
    assert "Samordnat stöd till våldsutsatta" in content  # kept


def test_the_form_says_not_to_name_private_individuals(client, call):
    response = client.get(_nominate_url(call))

    assert response.status_code == 200
    assert "Nämn inga privatpersoner" in response.content.decode()


def test_a_contact_person_needs_consent(client, call, coordinator, organisation):
    client.force_login(coordinator)
    data = nomination_data(
        call, organisation, submit="1", contact_name="Kim Kontakt", contact_email="kim@example.org"
    )

    response = client.post(_nominate_url(call), data)

    assert response.status_code == 200
    assert "har gått med på att nämnas" in response.content.decode()
    assert not Nomination.objects.exists()

    data["contact_consent"] = "on"
    client.post(_nominate_url(call), data)
    assert Nomination.objects.get().contact_consent_at is not None


def test_a_draft_is_edited_and_then_submitted(client, call, coordinator, organisation):
    draft = NominationFactory(call=call, nominator=coordinator, draft=True, submitted_at=None)
    client.force_login(coordinator)
    url = reverse("prize:nomination-edit", args=[draft.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, nomination_data(call, organisation, submit="1"))

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.state == Nomination.State.SUBMITTED
    # Submitted: no longer editable.
    assert client.get(url).status_code == 404


def test_someone_elses_draft_is_not_found(client, call, coordinator):
    draft = NominationFactory(call=call, draft=True, submitted_at=None)
    client.force_login(coordinator)

    assert client.get(reverse("prize:nomination-edit", args=[draft.pk])).status_code == 404
    assert client.get(reverse("prize:nomination-detail", args=[draft.pk])).status_code == 404


def test_nominating_is_closed_outside_the_call(client, coordinator, organisation):
    today = timezone.localdate()
    closed = PrizeCallFactory(
        year=2025,
        opens_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=1),
    )
    client.force_login(coordinator)

    response = client.post(_nominate_url(closed), nomination_data(closed, organisation, submit="1"))

    assert response.status_code == 200
    assert "Nomineringen är stängd" in response.content.decode()
    assert not Nomination.objects.exists()
    assert client.get(reverse("prize:nominate", kwargs={"year": 1999})).status_code == 404


def _visitor_nominates(client, call, organisation, email="vera@example.org"):
    data = nomination_data(
        call, organisation, nominator_name="Vera Besökare", nominator_email=email, submit="1"
    )
    with pytest.MonkeyPatch.context():
        return client.post(_nominate_url(call), data)


def _link_from_mail() -> str:
    return re.search(r"https?://\S+/kvinnofridspriset/bekrafta/\S+/", mail.outbox[-1].body)[0]


def test_a_visitor_nominates_after_confirming_the_address(
    client, call, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _visitor_nominates(client, call, organisation)

    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.state == Nomination.State.AWAITING_CONFIRMATION
    assert not Nomination.objects.for_jury().exists()
    assert mail.outbox[-1].to == ["vera@example.org"]
    link = _link_from_mail()
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in (nomination.confirmation_token_hash or "")
    path = link.split("://", 1)[1].split("/", 1)[1]

    # Opening the link (a mail scanner does) confirms nothing; the button does.
    assert client.get("/" + path).status_code == 200
    assert Nomination.objects.get().state == Nomination.State.AWAITING_CONFIRMATION
    assert client.post("/" + path).status_code == 200

    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.SUBMITTED
    assert nomination.email_confirmed_at is not None
    assert nomination.confirmation_token_hash is None
    assert Nomination.objects.for_jury().get() == nomination
    # Used once.
    assert client.post("/" + path).status_code == 404


def test_an_expired_link_confirms_nothing(
    client, call, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _visitor_nominates(client, call, organisation)
    Nomination.objects.update(confirmation_expires_at=timezone.now() - datetime.timedelta(1))
    path = "/" + _link_from_mail().split("://", 1)[1].split("/", 1)[1]

    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    assert Nomination.objects.get().state == Nomination.State.AWAITING_CONFIRMATION
    assert not Nomination.objects.for_jury().exists()


def test_a_junk_token_is_not_found(client):
    url = reverse("prize:nomination-confirm", kwargs={"token": "x" * 300})
    assert client.get(url).status_code == 404


def test_a_visitor_must_give_name_and_address(client, call, organisation):
    response = client.post(_nominate_url(call), nomination_data(call, organisation, submit="1"))

    assert response.status_code == 200
    assert "Skriv din e-postadress" in response.content.decode()
    assert not Nomination.objects.exists()


# --- Attachments -------------------------------------------------------------------------------


def test_a_pdf_and_a_png_are_attached(client, call, coordinator, organisation):
    client.force_login(coordinator)
    data = nomination_data(call, organisation, submit="1")
    data["attachments"] = [upload("rapport.pdf", PDF), upload("bild.png", png_bytes(), "image/png")]

    response = client.post(_nominate_url(call), data)

    assert response.status_code == 302
    attachments = Attachment.objects.order_by("original_name")
    assert [(a.original_name, a.content_type) for a in attachments] == [
        ("bild.png", "image/png"),
        ("rapport.pdf", "application/pdf"),
    ]
    # Stored under a name nobody chose, outside any public address.
    assert all(a.file.name.startswith("private/prize/2026/") for a in attachments)
    assert all("rapport" not in a.file.name for a in attachments)


def test_a_renamed_executable_is_refused_and_the_text_kept(client, call, coordinator, organisation):
    client.force_login(coordinator)
    data = nomination_data(call, organisation, submit="1")
    data["attachments"] = [upload("rapport.pdf", EXE)]

    response = client.post(_nominate_url(call), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "rapport.pdf är inte en PDF eller en bild" in content
    assert "Samordnat stöd till våldsutsatta" in content
    assert not Nomination.objects.exists()
    assert not Attachment.objects.exists()


def test_a_file_that_only_starts_like_a_png_is_refused(client, call, coordinator, organisation):
    client.force_login(coordinator)
    data = nomination_data(call, organisation, submit="1")
    data["attachments"] = [upload("bild.png", b"\x89PNG\r\n\x1a\n" + b"junk" * 50, "image/png")]

    response = client.post(_nominate_url(call), data)

    assert response.status_code == 200
    assert not Nomination.objects.exists()


def test_an_attachment_over_10_mb_is_refused(client, call, coordinator, organisation):
    client.force_login(coordinator)
    data = nomination_data(call, organisation, submit="1")
    data["attachments"] = [upload("stor.pdf", PDF + b"0" * (10 * 1024 * 1024))]

    response = client.post(_nominate_url(call), data)

    assert response.status_code == 200
    assert "En bilaga får vara högst 10 MB" in response.content.decode()
    assert not Nomination.objects.exists()


def test_the_body_limit_lets_a_10_mb_attachment_through(client, call, coordinator, organisation):
    client.force_login(coordinator)
    data = nomination_data(call, organisation, submit="1")
    data["attachments"] = [upload("stor.pdf", PDF + b"0" * (10 * 1024 * 1024 - len(PDF) - 1))]

    response = client.post(_nominate_url(call), data)

    assert response.status_code == 302
    assert Attachment.objects.get().size == 10 * 1024 * 1024 - 1


def test_attachments_are_downloaded_by_those_who_may_see_the_nomination(
    client, call, coordinator, county_staff
):
    nomination = NominationFactory(call=call, nominator=coordinator)
    attachment = Attachment.objects.create(
        nomination=nomination,
        file=upload("rapport.pdf", PDF),
        original_name="rapport.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    url = reverse("prize:attachment-download", args=[attachment.pk])

    assert client.get(url).status_code == 302  # a visitor is sent to log in
    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(county_staff)
    assert client.get(url).status_code == 200
    client.force_login(NominationFactory(call=call).nominator)  # another nominator
    assert client.get(url).status_code == 404


def test_a_body_over_the_nomination_limit_is_refused_unread(client, call, coordinator):
    client.force_login(coordinator)

    response = client.generic(
        "POST",
        _nominate_url(call),
        b"",
        CONTENT_LENGTH=str(11 * 1024 * 1024),
        content_type="multipart/form-data; boundary=x",
    )

    assert response.status_code == 413
    assert not Nomination.objects.exists()


def test_a_visitors_nomination_never_confirmed_is_deleted_with_its_attachment(
    call, django_capture_on_commit_callbacks
):
    from prize.services import nominations_purge_unconfirmed
    from tests.factories import AttachmentFactory

    expired = NominationFactory(
        call=call,
        by_visitor=True,
        confirmation_expires_at=timezone.now() - datetime.timedelta(hours=1),
    )
    attachment = AttachmentFactory(nomination=expired)
    stored, storage = attachment.file.name, attachment.file.storage
    waiting = NominationFactory(
        call=call,
        by_visitor=True,
        confirmation_expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    submitted = NominationFactory(call=call)

    with django_capture_on_commit_callbacks(execute=True):
        assert nominations_purge_unconfirmed() == 1

    assert set(Nomination.objects.all()) == {waiting, submitted}
    assert not storage.exists(stored)
