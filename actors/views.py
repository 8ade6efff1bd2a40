"""The account pages the portal changes from Django's own."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_ratelimit.core import is_ratelimited

from actors import services
from actors.pagination import KeysFirstPaginationMixin
from actors.permissions import AdministratorRequiredMixin
from audit import queries as audit_queries
from audit.filters import AuditLogFilter


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


class AuditLogView(AdministratorRequiredMixin, KeysFirstPaginationMixin, FilterView):
    """The audit log (händelselogg), newest first: who did what, when and from which address."""

    filterset_class = AuditLogFilter
    template_name = "actors/audit_log.html"
    paginate_by = 50
    strict = True  # a filter that does not validate shows its error and no entries
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return audit_queries.entries()

    def page_rows(self, keys):
        return audit_queries.rows(keys)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context
