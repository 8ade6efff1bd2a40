"""The account pages the portal changes from Django's own."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView, View
from django_ratelimit.core import is_ratelimited

from actors import exports, services
from actors.filters import OrganisationFilter, PersonFilter
from actors.models import Membership, Organisation, User
from actors.permissions import AdministratorRequiredMixin


class PasswordResetView(auth_views.PasswordResetView):
    """Asking for a new password: the request only checks the form and queues the e-mail.

    Resets are counted in the cache (django-ratelimit), per address and per client address. An
    address over its limit gets the usual "check your e-mail" page and nothing is sent, so the
    limit tells nobody whether the address is registered; a client over its limit (one machine
    trying many addresses) gets a 429 page.
    """

    def post(self, request, *args, **kwargs):
        if is_ratelimited(
            request,
            group="password-reset-client",
            key="ip",
            rate=settings.PASSWORD_RESET_RATE_PER_CLIENT,
            increment=True,
        ):
            return render(request, "registration/password_reset_limited.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        over_limit = is_ratelimited(
            self.request,
            group="password-reset-address",
            # django-ratelimit keeps only a hash of the key in the cache.
            key=lambda group, request: email.casefold(),
            rate=settings.PASSWORD_RESET_RATE_PER_ADDRESS,
            increment=True,
        )
        if not over_limit:
            services.password_reset_queue(email=email)
        return HttpResponseRedirect(self.get_success_url())


@require_http_methods(["GET", "POST"])
def session_status(request):
    """How many seconds the sign-in has left. A POST counts as activity ("Fortsätt arbeta"),
    a GET does not (see actors.sessions). 401 when nobody is signed in."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    return JsonResponse({"remaining": request.session_seconds_left})


class AdministrationView(AdministratorRequiredMixin, TemplateView):
    """The administrators' start page: every administration section of the portal."""

    template_name = "actors/administration.html"
    http_method_names = ["get", "head"]


class ExportView(AdministratorRequiredMixin, View):
    """A download of an administrators' list, filtered as the list is (actors.filters)."""

    http_method_names = ["get", "head"]
    filterset_class: type

    def get(self, request):
        filterset = self.filterset_class(request.GET, queryset=self.base_queryset())
        if not filterset.is_valid():
            return exports.error_response(request, _("Filtret är ogiltigt. Välj i listorna."))
        return self.export(request, filterset)


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


class OrganisationExportView(ExportView):
    filterset_class = OrganisationFilter

    def base_queryset(self):
        return Organisation.objects.order_by("name")

    def export(self, request, filterset):
        kinds = _labels(Organisation.Kind.choices)
        affiliations = _labels(Organisation.Affiliation.choices)

        def rows(queryset):
            for row in queryset.values_list(
                "name",
                "short_name",
                "kind",
                "affiliation",
                "municipality_code",
                "contact_email",
                "is_active",
            ).iterator():
                name, short_name, kind, affiliation, code, email, active = row
                yield (
                    name,
                    short_name,
                    kinds.get(kind, kind),
                    affiliations.get(affiliation, affiliation),
                    code,
                    email,
                    active,
                )

        return exports.export_response(
            request,
            queryset=filterset.qs,
            headers=[
                _("Namn"),
                _("Kortnamn"),
                _("Typ"),
                _("Roll i samverkan"),
                _("Kommunkod"),
                _("Funktionsadress"),
                _("Aktiv"),
            ],
            rows=rows,
            title=_("Organisationer"),
            file_stem="organisationer",
        )


class PersonExportView(ExportView):
    """People: their names, organisations and roles, nothing else (no usernames or e-mail).

    One row per person and organisation; a person without an organisation has one row with
    those cells empty. Active people only: an erased or deactivated account has no role.
    """

    filterset_class = PersonFilter

    def base_queryset(self):
        return User.objects.filter(is_active=True).order_by("last_name", "first_name", "pk")

    def export(self, request, filterset):
        people = filterset.qs
        roles = _labels(Membership.Role.choices)

        def rows(queryset):
            held: dict[int, list[tuple[str, str]]] = {}
            for user_id, organisation, role in (
                filterset.memberships()
                .filter(user__in=queryset.values("pk"))
                .order_by("organisation__name")
                .values_list("user_id", "organisation__name", "role")
                .iterator()
            ):
                held.setdefault(user_id, []).append((organisation, roles.get(role, role)))
            for pk, first_name, last_name in queryset.values_list(
                "pk", "first_name", "last_name"
            ).iterator():
                for organisation, role in held.get(pk) or [("", "")]:
                    yield first_name, last_name, organisation, role

        return exports.export_response(
            request,
            queryset=people,
            headers=[_("Förnamn"), _("Efternamn"), _("Organisation"), _("Roll")],
            rows=rows,
            title=_("Personer"),
            file_stem="personer",
        )
