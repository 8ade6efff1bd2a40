from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "actors"
    verbose_name = _("Aktörer")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from actors import sessions, two_factor

        # Every way of signing in (the portal's login, the admin's, a test's force_login) sends
        # this signal; the session's limits start there.
        user_logged_in.connect(
            lambda sender, request, user, **kwargs: sessions.session_start(request, user),
            dispatch_uid="actors.sessions.session_start",
            weak=False,
        )
        # And what is left to do before it counts: a code to enter, or an app to set up.
        user_logged_in.connect(
            lambda sender, request, user, **kwargs: two_factor.session_start(request, user),
            dispatch_uid="actors.two_factor.session_start",
            weak=False,
        )
