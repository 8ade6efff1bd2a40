"""The account pages the portal changes from Django's own."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import FormView, ListView, TemplateView
from django_ratelimit.core import is_ratelimited

from actors import services
from actors.forms import InvitationAcceptForm, InvitationForm, username_suggestion
from actors.models import Invitation
from actors.permissions import (
    AdministratorRequiredMixin,
    get_object_or_404_scoped,
    require_administrator,
)


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


# --- Invitations --------------------------------------------------------------------------------


class InvitationListView(AdministratorRequiredMixin, ListView):
    """Every invitation, newest first, with its state; pending and expired ones can be sent
    again, pending ones revoked."""

    template_name = "actors/invitation_list.html"
    context_object_name = "invitations"
    paginate_by = 50
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return Invitation.objects.select_related("organisation", "invited_by").order_by(
            "-created_at", "-pk"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(valid_days=settings.INVITATION_VALID_DAYS, **kwargs)


class InvitationCreateView(AdministratorRequiredMixin, FormView):
    template_name = "actors/invitation_form.html"
    form_class = InvitationForm

    def get_initial(self):
        # A link from an organisation's page may name it: ?organisation=<id>.
        organisation = self.request.GET.get("organisation", "")
        return {"organisation": organisation} if organisation.isdigit() else {}

    def form_valid(self, form):
        data = form.cleaned_data
        invitation = services.invitation_create(
            email=data["email"],
            organisation=data["organisation"],
            role=data["role"],
            is_contact_person=data["is_contact_person"],
            invited_by=self.request.user,
        )
        messages.success(
            self.request, _("En inbjudan skickas till %(email)s.") % {"email": invitation.email}
        )
        if services.invitation_accounts(invitation).exists():
            # Chosen over granting the role at once: the person confirms it by signing in,
            # the same way whoever invited them.
            messages.warning(
                self.request,
                _(
                    "Adressen hör till ett konto som redan finns. Personen får rollen när hen "
                    "loggar in med det kontot och tar emot inbjudan."
                ),
            )
        return redirect("actors:invitation-list")


def _invitation_for_administrator(request, pk) -> Invitation:
    require_administrator(request)
    return get_object_or_404_scoped(Invitation.objects.all(), pk=pk)


@login_required
@require_POST
def invitation_resend(request, pk):
    invitation = _invitation_for_administrator(request, pk)
    try:
        services.invitation_resend(invitation=invitation)
    except services.InvitationNotUsable:
        messages.error(
            request, _("Inbjudan kan inte skickas igen: den är mottagen eller återkallad.")
        )
    else:
        messages.success(
            request,
            _("En ny länk skickas till %(email)s. Den gamla länken fungerar inte längre.")
            % {"email": invitation.email},
        )
    return redirect("actors:invitation-list")


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = _invitation_for_administrator(request, pk)
    try:
        services.invitation_revoke(invitation=invitation)
    except services.InvitationNotUsable:
        messages.error(request, _("Inbjudan är redan mottagen och kan inte återkallas."))
    else:
        messages.success(
            request,
            _("Inbjudan till %(email)s är återkallad.") % {"email": invitation.email},
        )
    return redirect("actors:invitation-list")


def _unusable(request, state: str | None):
    """The page for a link that opens nothing: 404 for an unknown one, 410 for a used one."""
    return render(
        request,
        "actors/invitation_unusable.html",
        {"state": state},
        status=404 if state is None else 410,
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The invitation's link. Without an account: make one, get the role, land on the tasks.
    With an account for the address: sign in with it and take the role. Public: the token
    (256 random bits) is the key, so guessing is hopeless and the page has no rate limit."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return _unusable(request, None)
    if invitation.state == Invitation.State.ACCEPTED and request.user.pk == (
        invitation.accepted_by_id
    ):
        return redirect("followup:my-tasks")  # the second click of a double submit
    if not invitation.is_pending:
        return _unusable(request, invitation.state)
    context = {"invitation": invitation}
    user = request.user
    if user.is_authenticated:
        if user.email.casefold() != invitation.email.casefold():
            return render(request, "actors/invitation_other_account.html", context, status=403)
        if request.method == "POST":
            return _accepted(request, invitation, user=user)
        return render(request, "actors/invitation_confirm.html", context)
    if services.invitation_accounts(invitation).exists():
        context["login_url"] = (
            f"{reverse('login')}?next={reverse('actors:invitation-accept', args=[token])}"
        )
        return render(request, "actors/invitation_sign_in.html", context)
    form = InvitationAcceptForm(
        request.POST or None,
        invitation=invitation,
        initial={"username": username_suggestion(invitation.email)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return _accepted(
            request,
            invitation,
            form=form,
            username=data["username"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
        )
    return render(request, "actors/invitation_accept.html", context | {"form": form})


def _accepted(request, invitation, form=None, **account):
    try:
        user = services.invitation_accept(invitation=invitation, **account)
    except services.InvitationNotUsable as error:
        return _unusable(request, error.state)
    except IntegrityError:
        if form is None:
            raise
        # Somebody took the user name between the check and the save.
        form.add_error("username", _("Användarnamnet är upptaget. Välj ett annat."))
        return render(
            request, "actors/invitation_accept.html", {"invitation": invitation, "form": form}
        )
    if not request.user.is_authenticated:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Välkommen! Inbjudan är mottagen."))
    return redirect("followup:my-tasks")
