from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Händelselogg")

    def ready(self):
        from django.contrib.auth import signals

        from audit import checks, events, relations  # noqa: F401 (checks registers itself)

        relations.connect()

        # Signing in and out reaches the portal only as Django's signals: every way of signing
        # in (the portal's login, the admin's, a test's force_login) sends them. The receivers
        # only write the log entry; they decide nothing.
        signals.user_logged_in.connect(
            events.on_user_logged_in, dispatch_uid="audit.login", weak=False
        )
        signals.user_logged_out.connect(
            events.on_user_logged_out, dispatch_uid="audit.logout", weak=False
        )
        signals.user_login_failed.connect(
            events.on_user_login_failed, dispatch_uid="audit.login_failed", weak=False
        )
