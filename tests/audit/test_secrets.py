"""No password, token or link with a secret ever enters the audit log."""

import pytest
from auditlog.models import LogEntry
from auditlog.registry import AuditlogModelRegistry
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from actors.models import User
from audit.checks import check_no_secrets_logged, secret_fields_tracked
from tests.factories import UserFactory
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "ett-nytt-och-langt-losenord-42"


def everything_logged() -> str:
    return " ".join(
        str(values)
        for values in LogEntry.objects.values_list(
            "object_repr", "changes", "changes_text", "additional_data", "serialized_data"
        )
    )


def test_changing_and_resetting_a_password_leaves_no_secret_in_the_log(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(username="anna", email="anna@example.org")
    old_hash = User.objects.get(pk=user.pk).password
    client.force_login(user)

    # Changing it as the admin's password form does: set_password, then save.
    user.set_password(NEW_PASSWORD)
    user.save()
    client.post(reverse("logout"))
    # A failed sign-in with the new password typed as the username, then a reset by e-mail.
    client.post(reverse("login"), {"username": NEW_PASSWORD, "password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "anna@example.org"})
    [message] = mail.outbox
    token = default_token_generator.make_token(User.objects.get(pk=user.pk))
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    link = reverse("password_reset_confirm", args=[uidb64, token])
    assert link in message.body
    response = client.get(link, follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD + "!", "new_password2": NEW_PASSWORD + "!"},
    )

    logged = everything_logged()
    assert LogEntry.objects.exists()
    for secret in (PASSWORD, NEW_PASSWORD, old_hash, User.objects.get(pk=user.pk).password, token):
        assert secret not in logged
    assert "pbkdf2" not in logged and "md5$" not in logged


def test_a_registration_that_would_log_a_secret_field_is_refused_by_the_checks():
    registry = AuditlogModelRegistry()
    registry.register(User)  # every field, the password among them

    assert secret_fields_tracked(registry) == ["actors.user.password"]
    registry.register(User, exclude_fields=["password"])
    assert secret_fields_tracked(registry) == []


def test_the_portals_registrations_log_no_secret():
    assert check_no_secrets_logged() == []
