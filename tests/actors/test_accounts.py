"""Signing in and out, and a forgotten password, in Swedish."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

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
