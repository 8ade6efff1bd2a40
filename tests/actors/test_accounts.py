"""Signing in and out, and a forgotten password, in Swedish."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from demo.generator import DEMO_PASSWORD
from tests.factories import UserFactory
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_swedish_and_signs_a_coordinator_in_to_my_tasks(client):
    UserFactory(username="anna")

    page = client.get(reverse("login"))
    response = client.post(
        reverse("login"), {"username": "anna", "password": "correct-horse-battery"}
    )

    assert "Användarnamn" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("followup:my-tasks")


def test_a_wrong_password_is_answered_in_swedish_and_keeps_the_user_name(client):
    UserFactory(username="anna")

    response = client.post(reverse("login"), {"username": "anna", "password": "fel"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Ange ett korrekt användarnamn och lösenord" in content
    assert 'value="anna"' in content


def test_logout_signs_out(client):
    client.force_login(UserFactory())

    client.post(reverse("logout"))

    assert client.get(reverse("followup:my-tasks")).status_code == 302


def test_a_forgotten_password_is_reset_through_a_link_sent_by_email(client):
    user = UserFactory(username="anna", email="anna@example.org")

    client.post(reverse("password_reset"), {"email": "anna@example.org"})

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Nytt lösenord till Kvinnofridsportalen"
    assert "Ditt användarnamn är: anna" in message.body
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Välj nytt lösenord" in form_page.content.decode()
    new_password = "ett-nytt-langt-losenord-2026"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert mail.outbox == []


def _reset_link(client, email):
    client.post(reverse("password_reset"), {"email": email})
    link = re.search(r"http://testserver(/\S+)", mail.outbox[-1].body).group(1)
    return client.get(link, follow=True).redirect_chain[-1][0]


@pytest.mark.parametrize("too_short", ["xq7-Vb2#k", "xq7-Vb2#kLm"])
def test_a_new_password_shorter_than_twelve_characters_is_refused(client, too_short):
    user = UserFactory(username="anna", email="anna@example.org")
    url = _reset_link(client, "anna@example.org")

    response = client.post(url, {"new_password1": too_short, "new_password2": too_short})

    assert response.status_code == 200
    assert "minst 12 tecken" in response.content.decode()
    user.refresh_from_db()
    assert not user.check_password(too_short)


def test_a_twelve_character_password_is_accepted(client):
    user = UserFactory(username="anna", email="anna@example.org")
    url = _reset_link(client, "anna@example.org")

    client.post(url, {"new_password1": "xq7-Vb2#kLm9", "new_password2": "xq7-Vb2#kLm9"})

    user.refresh_from_db()
    assert user.check_password("xq7-Vb2#kLm9")


@pytest.mark.parametrize(
    "password",
    [DEMO_PASSWORD, PASSWORD, "ett-nytt-langt-losenord-2026"],
    ids=["demo", "tests", "reset"],
)
def test_the_demo_and_test_passwords_meet_the_policy(password):
    validate_password(password, UserFactory.build(username="anna"))


def test_a_common_password_is_still_refused_however_long():
    with pytest.raises(ValidationError, match="vanligt"):
        validate_password("password1234", UserFactory.build(username="anna"))
