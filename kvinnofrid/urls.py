from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from actionplan.views import OverviewView
from actors import two_factor_views
from actors.views import LoginView, PasswordResetView, session_status
from kvinnofrid import health

urlpatterns = [
    path("", OverviewView.as_view(), name="home"),
    path("", include("actionplan.urls")),
    path("", include("followup.urls")),
    path("", include("indicators.urls")),
    path("", include("countyreport.urls")),
    path("", include("practices.urls")),
    path("", include("prize.urls")),
    path("", include("privacy.urls")),
    path("", include("actors.urls")),
    path("konto/logga-in/", LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/session/", session_status, name="session-status"),
    path("konto/tvastegsverifiering/", two_factor_views.account, name="two-factor"),
    path("konto/tvastegsverifiering/kod/", two_factor_views.verify, name="two-factor-verify"),
    path("konto/tvastegsverifiering/aktivera/", two_factor_views.setup, name="two-factor-setup"),
    path(
        "konto/tvastegsverifiering/stang-av/",
        two_factor_views.disable,
        name="two-factor-disable",
    ),
    path(
        "konto/tvastegsverifiering/reservkoder/",
        two_factor_views.recovery_codes,
        name="two-factor-recovery-codes",
    ),
    path(
        "konto/losenord/aterstall/",
        PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "konto/losenord/aterstall/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/losenord/aterstall/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/losenord/aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health.HealthCheckView.as_view(), name="health"),
    path("health/live/", health.live, name="health-live"),
]
