"""Inviting a person by e-mail: the administrators' pages, the single-use link, accepting it."""

import datetime
import re
import smtplib
import threading
import time

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from actionplan import permissions as reporting
from actors import services
from actors.models import Invitation, Membership, User, invitation_token_hash
from actors.services import membership_grant
from tests.factories import CommitmentFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = r"(http://\S+/konto/inbjudan/[^/\s]+/)"
NEW_PASSWORD = "ett-eget-langt-losenord-2026"


@pytest.fixture
def administrator():
    return UserFactory(username="admin", is_staff=True, is_superuser=True, first_name="Ada")


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Testkommunen", short_name="Testkommunen", slug="testkommunen")


def invite(client, callbacks, **data):
    """Post the administrators' form and run what it queued after commit (the e-mail task)."""
    with callbacks(execute=True):
        return client.post(reverse("actors:invitation-create"), data)


def link_in(message) -> str:
    return re.search(LINK, message.body).group(1)


def path_of(link: str) -> str:
    return link.removeprefix(settings.SITE_URL)


def account(**overrides):
    return {
        "first_name": "Anna",
        "last_name": "Andersson",
        "username": "anna.andersson",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    } | overrides


def make_invitation(*, organisation, invited_by, email="anna@example.org", role="coordinator"):
    """An invitation and its raw token, as the e-mail task would make them."""
    invitation = Invitation.objects.create(
        email=email,
        organisation=organisation,
        role=role,
        invited_by=invited_by,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    token = f"token-{invitation.pk}-{'x' * 30}"
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=invitation_token_hash(token))
    invitation.refresh_from_db()
    return invitation, reverse("actors:invitation-accept", args=[token])


# --- The whole flow -----------------------------------------------------------------------------


def test_an_invited_coordinator_sets_a_password_and_lands_on_my_tasks_with_access(
    client, administrator, organisation, django_capture_on_commit_callbacks
):
    commitment = CommitmentFactory(lead_organisation=organisation)
    client.force_login(administrator)

    response = invite(
        client,
        django_capture_on_commit_callbacks,
        email="anna.andersson@kommun.example",
        role="coordinator",
        organisation=organisation.pk,
        is_contact_person="on",
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("actors:invitation-list")
    [message] = mail.outbox
    assert message.to == ["anna.andersson@kommun.example"]
    assert message.subject == "Inbjudan till Operation Kvinnofrids uppföljningsportal"
    assert "för Testkommunen, med rollen Samordnare" in message.body
    assert "Länken gäller i 7 dagar och bara en gång." in message.body
    link = link_in(message)
    assert link.startswith(settings.SITE_URL + "/konto/inbjudan/")
    assert link in message.alternatives[0][0]
    invitation = Invitation.objects.get()
    # Only the hash of the link's token is kept.
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == invitation_token_hash(token) != token
    assert token not in str(list(Invitation.objects.values()))

    client.logout()
    form_page = client.get(path_of(link))
    assert form_page.status_code == 200
    page = form_page.content.decode()
    assert "Ada" in page and "Testkommunen" in page
    assert form_page.context["form"]["username"].value() == "anna.andersson"

    response = client.post(path_of(link), account(), follow=True)

    assert response.redirect_chain[-1][0] == reverse("followup:my-tasks")
    user = get_user(client)
    assert user.is_authenticated and user.username == "anna.andersson"
    assert user.email == "anna.andersson@kommun.example"
    assert user.check_password(NEW_PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role) == (organisation, "coordinator")
    assert membership.is_contact_person
    assert [task.commitment for task in reporting.reporting_tasks(user)] == [commitment]
    assert "Välkommen! Inbjudan är mottagen." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED
    assert invitation.accepted_by == user


def test_an_administrator_invitation_makes_an_administrator_without_a_membership(
    client, administrator, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    invite(client, django_capture_on_commit_callbacks, email="ny@example.org", role="administrator")
    client.logout()

    client.post(path_of(link_in(mail.outbox[0])), account(username="ny.admin"))

    user = User.objects.get(username="ny.admin")
    assert user.is_superuser and user.is_staff
    assert not user.memberships.exists()
    # An administrator signs in with two factors: the first page asks for the app.
    response = client.get(reverse("actors:administration"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor-setup"))


# --- Links that open nothing --------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    ["x", "0" * 43, "' OR 1=1 --", "%00", "ä" * 200, "a" * 5000, "<script>"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_junk_token_gets_a_swedish_404(client, administrator, organisation, token, method):
    make_invitation(organisation=organisation, invited_by=administrator)

    response = getattr(client, method)(f"/konto/inbjudan/{token}/", account())

    assert response.status_code == 404
    assert "Länken fungerar inte" in response.content.decode()
    assert not User.objects.filter(username="anna.andersson").exists()


def test_an_expired_link_is_refused_with_a_swedish_410(client, administrator, organisation):
    invitation, path = make_invitation(organisation=organisation, invited_by=administrator)

    with time_machine.travel(invitation.expires_at + datetime.timedelta(seconds=1)):
        page = client.get(path)
        response = client.post(path, account())

    assert page.status_code == response.status_code == 410
    assert "Inbjudan har gått ut" in response.content.decode()
    assert not User.objects.filter(username="anna.andersson").exists()
    assert not Membership.objects.exists()


def test_a_link_works_until_just_before_it_expires(client, administrator, organisation):
    invitation, path = make_invitation(organisation=organisation, invited_by=administrator)

    with time_machine.travel(invitation.expires_at - datetime.timedelta(seconds=5)):
        response = client.post(path, account())

    assert response.status_code == 302
    assert User.objects.filter(username="anna.andersson").exists()


def test_a_used_link_cannot_be_used_again(client, administrator, organisation):
    invitation, path = make_invitation(organisation=organisation, invited_by=administrator)
    client.post(path, account())
    other = client.__class__()

    response = other.post(path, account(username="someone.else"))

    assert response.status_code == 410
    assert "Inbjudan är redan använd" in response.content.decode()
    assert not User.objects.filter(username="someone.else").exists()
    assert User.objects.filter(username="anna.andersson").count() == 1


def test_the_second_click_of_a_double_submit_lands_on_my_tasks_and_changes_nothing(
    client, administrator, organisation
):
    _invitation, path = make_invitation(organisation=organisation, invited_by=administrator)
    client.post(path, account())

    response = client.post(path, account(username="anna2"))

    assert response.status_code == 302
    assert response["Location"] == reverse("followup:my-tasks")
    assert not User.objects.filter(username="anna2").exists()


def test_a_stale_invitation_is_refused_by_the_service_after_it_was_accepted(
    administrator, organisation
):
    invitation, _path = make_invitation(organisation=organisation, invited_by=administrator)
    services.invitation_accept(invitation=invitation, username="first", password=NEW_PASSWORD)

    with pytest.raises(services.InvitationNotUsable) as refused:
        services.invitation_accept(invitation=invitation, username="second", password=NEW_PASSWORD)

    assert refused.value.state == Invitation.State.ACCEPTED
    assert not User.objects.filter(username="second").exists()


def test_a_revoked_link_is_refused(client, administrator, organisation):
    invitation, path = make_invitation(organisation=organisation, invited_by=administrator)
    client.force_login(administrator)

    response = client.post(reverse("actors:invitation-revoke", args=[invitation.pk]))

    assert response.status_code == 302
    client.logout()
    response = client.post(path, account())
    assert response.status_code == 410
    assert "Inbjudan är återkallad" in response.content.decode()
    assert not User.objects.filter(username="anna.andersson").exists()


def test_an_accepted_invitation_cannot_be_revoked_or_sent_again(
    client, administrator, organisation
):
    invitation, path = make_invitation(organisation=organisation, invited_by=administrator)
    client.post(path, account())
    client.force_login(administrator)

    for name, refusal in [
        ("actors:invitation-revoke", "Inbjudan är redan mottagen och kan inte återkallas."),
        (
            "actors:invitation-resend",
            "Inbjudan kan inte skickas igen: den är mottagen eller återkallad.",
        ),
    ]:
        response = client.post(reverse(name, args=[invitation.pk]), follow=True)
        assert response.status_code == 200
        assert refusal in [str(message) for message in response.context["messages"]]

    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert mail.outbox == []


def test_sending_again_makes_a_new_link_and_expiry_and_ends_the_old_link(
    client, administrator, organisation, django_capture_on_commit_callbacks
):
    invitation, old_path = make_invitation(organisation=organisation, invited_by=administrator)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=10)):
        assert client.get(old_path).status_code == 410  # expired meanwhile
        client.force_login(administrator)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("actors:invitation-resend", args=[invitation.pk]))
        invitation.refresh_from_db()
        assert invitation.expires_at > timezone.now() + datetime.timedelta(days=6)
        new_path = path_of(link_in(mail.outbox[0]))
        client.logout()
        assert client.get(old_path).status_code == 404
        response = client.post(new_path, account())

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED


def test_the_e_mail_task_sends_nothing_for_an_invitation_revoked_before_it_ran(
    administrator, organisation
):
    invitation, _path = make_invitation(organisation=organisation, invited_by=administrator)
    services.invitation_revoke(invitation=invitation)

    assert services.invitation_send(invitation_id=invitation.pk) is False
    assert services.invitation_send(invitation_id=0) is False
    assert mail.outbox == []


def test_a_failed_send_is_retried_and_only_the_last_link_works(
    administrator, organisation, monkeypatch
):
    from actors import tasks

    invitation, _path = make_invitation(organisation=organisation, invited_by=administrator)
    real_send = mail.EmailMessage.send
    failures = iter([smtplib.SMTPServerDisconnected("gone")])

    def send_once_down(message, *args, **kwargs):
        if error := next(failures, None):
            raise error
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", send_once_down)

    tasks.invitation_send.apply(args=[invitation.pk], throw=False)

    [message] = mail.outbox
    token = link_in(message).rstrip("/").rsplit("/", 1)[1]
    invitation.refresh_from_db()
    assert invitation.token_hash == invitation_token_hash(token)


# --- Double submit under concurrency ------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_submits_at_the_same_moment_make_one_account():
    administrator = UserFactory(username="admin", is_superuser=True, is_staff=True)
    organisation = OrganisationFactory()
    invitation, _path = make_invitation(organisation=organisation, invited_by=administrator)
    outcomes = {}

    def accept(username):
        def run():
            try:
                services.invitation_accept(
                    invitation=invitation, username=username, password=NEW_PASSWORD
                )
                outcomes[username] = "made"
            except services.InvitationNotUsable as error:
                outcomes[username] = f"refused: {error.state}"
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    # Hold the invitation's row, so that both submits are under way before either can go on.
    with transaction.atomic():
        Invitation.objects.select_for_update().get(pk=invitation.pk)
        threads = [accept("first"), accept("second")]
        deadline = time.monotonic() + 10
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                if cursor.fetchone()[0] >= 2:
                    break
                time.sleep(0.02)
            else:
                raise AssertionError("the submits never came to wait for the invitation")
    for thread in threads:
        thread.join(timeout=20)

    assert sorted(outcomes.values()) == ["made", "refused: accepted"]
    assert User.objects.filter(username__in=["first", "second"]).count() == 1
    assert Membership.objects.filter(organisation=organisation).count() == 1


# --- The forms: plain Swedish errors, what was typed kept ----------------------------------------


@pytest.mark.parametrize(
    "fields,error",
    [
        ({"password1": "kort-2026", "password2": "kort-2026"}, "minst 12 tecken"),
        ({"password1": "password1234", "password2": "password1234"}, "vanligt"),
        ({"password2": "ett-annat-langt-losenord"}, "Lösenorden är inte lika"),
        ({"username": "admin"}, "Användarnamnet är upptaget"),
        ({"username": "ADMIN"}, "Användarnamnet är upptaget"),
        ({"username": "borttagen-7"}, "Användarnamnet är upptaget"),
        ({"username": "anna andersson"}, "Använd bara bokstäver"),
        ({"first_name": ""}, "Skriv ditt förnamn"),
    ],
)
def test_the_account_form_answers_in_swedish_and_keeps_what_was_typed(
    client, administrator, organisation, fields, error
):
    _invitation, path = make_invitation(organisation=organisation, invited_by=administrator)

    response = client.post(path, account(**fields))

    assert response.status_code == 200
    assert error in response.content.decode()
    form = response.context["form"]
    assert form["last_name"].value() == "Andersson"
    assert form["username"].value() == account(**fields)["username"]
    assert not get_user(client).is_authenticated
    assert not Membership.objects.exists()


@pytest.mark.parametrize(
    "data,field,error",
    [
        ({"email": "", "role": "coordinator"}, "email", "Skriv personens e-postadress."),
        ({"email": "inte-en-adress", "role": "coordinator"}, "email", "giltig e-postadress"),
        ({"email": "a@example.org", "role": "chef"}, "role", "Välj en av rollerna"),
        ({"email": "a@example.org", "role": "coordinator"}, "organisation", "Välj organisationen"),
        (
            {"email": "a@example.org", "role": "administrator", "organisation": "ORG"},
            "organisation",
            "utan organisation",
        ),
        (
            {"email": "a@example.org", "role": "administrator", "is_contact_person": "on"},
            "is_contact_person",
            "kan inte vara kontaktperson",
        ),
        (
            {"email": "MEDLEM@example.org", "role": "coordinator", "organisation": "ORG"},
            "email",
            "hör redan till Testkommunen",
        ),
        ({"email": "admin@example.org", "role": "administrator"}, "email", "redan administratör"),
        (
            {"email": "Anna@example.org", "role": "colleague", "organisation": "ORG"},
            "email",
            "väntar redan på svar",
        ),
    ],
)
def test_the_invitation_form_answers_in_swedish_next_to_the_field(
    client, administrator, organisation, data, field, error
):
    membership_grant(
        user=UserFactory(email="medlem@example.org"), organisation=organisation, role="colleague"
    )
    make_invitation(organisation=organisation, invited_by=administrator, email="anna@example.org")
    client.force_login(administrator)
    data = {k: (organisation.pk if v == "ORG" else v) for k, v in data.items()}

    response = client.post(reverse("actors:invitation-create"), data)

    assert response.status_code == 200
    assert any(error in message for message in response.context["form"].errors[field])
    assert response.context["form"]["email"].value() == data["email"]
    assert Invitation.objects.count() == 1


# --- A person who already has an account ---------------------------------------------------------


def test_a_person_with_an_account_signs_in_and_takes_the_role(client, administrator, organisation):
    person = UserFactory(username="befintlig", email="Anna@Example.org")
    other = OrganisationFactory()
    membership_grant(user=person, organisation=other, role="coordinator")
    _invitation, path = make_invitation(organisation=organisation, invited_by=administrator)

    page = client.get(path)
    assert page.status_code == 200
    assert "Logga in för att ta emot inbjudan" in page.content.decode()
    assert page.context["login_url"].endswith("?next=" + path)
    assert client.post(path, account()).status_code == 200  # no second account
    assert not User.objects.filter(username="anna.andersson").exists()

    client.force_login(person)
    assert "Ta emot inbjudan" in client.get(path).content.decode()
    response = client.post(path)

    assert response["Location"] == reverse("followup:my-tasks")
    assert set(person.memberships.values_list("organisation", "role")) == {
        (other.pk, "coordinator"),
        (organisation.pk, "coordinator"),
    }


def test_an_invited_colleague_keeps_a_stronger_role_they_already_have(administrator, organisation):
    person = UserFactory(email="anna@example.org")
    membership_grant(user=person, organisation=organisation, role="coordinator")
    invitation, _path = make_invitation(
        organisation=organisation, invited_by=administrator, role="colleague"
    )

    services.invitation_accept(invitation=invitation, user=person)

    assert person.memberships.get().role == "coordinator"


def test_someone_signed_in_with_another_address_cannot_take_the_invitation(
    client, administrator, organisation
):
    _invitation, path = make_invitation(organisation=organisation, invited_by=administrator)
    client.force_login(UserFactory(email="someone@example.org"))

    assert client.get(path).status_code == 403
    response = client.post(path)

    assert response.status_code == 403
    assert "Inbjudan gäller någon annan" in response.content.decode()
    assert not Membership.objects.exists()


# --- The list ---------------------------------------------------------------------------------


def test_the_list_shows_each_invitation_with_its_state(client, administrator, organisation):
    pending, _ = make_invitation(organisation=organisation, invited_by=administrator)
    accepted, path = make_invitation(
        organisation=organisation, invited_by=administrator, email="b@example.org"
    )
    client.post(path, account(username="bertil"))
    revoked, _ = make_invitation(
        organisation=organisation, invited_by=administrator, email="c@example.org"
    )
    services.invitation_revoke(invitation=revoked)
    expired, _ = make_invitation(
        organisation=organisation, invited_by=administrator, email="d@example.org"
    )
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    client.force_login(administrator)

    response = client.get(reverse("actors:invitation-list"))

    page = response.content.decode()
    assert response.status_code == 200
    for text in ("Väntar på svar", "Mottagen", "Återkallad", "Har gått ut", "b@example.org"):
        assert text in page
    # Pending and expired ones can be sent again; accepted and revoked ones not.
    assert page.count("Skicka igen") == 2


def test_the_administration_page_links_to_the_invitations(client, administrator):
    client.force_login(administrator)

    response = client.get(reverse("actors:administration"))

    assert reverse("actors:invitation-list") in response.content.decode()


# --- A real worker and mail server ---------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_sends_the_invitation_through_the_mail_server(client, celery_worker, smtp):
    administrator = UserFactory(username="admin", is_superuser=True, is_staff=True)
    organisation = OrganisationFactory()
    client.force_login(administrator)

    response = client.post(
        reverse("actors:invitation-create"),
        {"email": "anna@example.org", "role": "colleague", "organisation": organisation.pk},
    )

    assert response.status_code == 302
    deadline = time.monotonic() + 30
    while not smtp.messages and time.monotonic() < deadline:
        time.sleep(0.2)
    [message] = smtp.messages
    assert message["To"] == "anna@example.org"
    text = message.get_payload(0).get_payload(decode=True).decode()
    token = re.search(LINK, text).group(1).rstrip("/").rsplit("/", 1)[1]
    assert Invitation.objects.get().token_hash == invitation_token_hash(token)


# --- Personal data ------------------------------------------------------------------------------


def test_a_persons_invitations_are_in_their_export_and_go_when_they_are_erased(
    administrator, organisation
):
    from privacy.services import personal_data_erase, personal_data_export

    invitation, _path = make_invitation(organisation=organisation, invited_by=administrator)
    person = services.invitation_accept(
        invitation=invitation, username="anna", password=NEW_PASSWORD
    )
    make_invitation(
        organisation=OrganisationFactory(), invited_by=administrator, email="ANNA@example.org"
    )
    make_invitation(organisation=organisation, invited_by=administrator, email="b@example.org")

    exported = personal_data_export(user=person)

    assert [row["email"] for row in exported["invitations_to_them"]] == [
        "anna@example.org",
        "ANNA@example.org",
    ]
    assert len(personal_data_export(user=administrator)["invitations_sent_by_them"]) == 3
    personal_data_erase(user=person)
    assert list(Invitation.objects.values_list("email", flat=True)) == ["b@example.org"]


@pytest.mark.parametrize("given", ["ORG", "abc", "99999999999999999999", ""])
def test_a_link_may_choose_the_organisation_of_a_new_invitation(
    client, administrator, organisation, given
):
    client.force_login(administrator)
    value = str(organisation.pk) if given == "ORG" else given

    response = client.get(reverse("actors:invitation-create"), {"organisation": value})

    assert response.status_code == 200
    selected = f'<option value="{organisation.pk}" selected>'
    assert (selected in response.content.decode()) == (given == "ORG")
