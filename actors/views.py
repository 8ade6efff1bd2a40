"""The account pages the portal changes from Django's own, and the administration of
organisations and people."""

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.generic import FormView, ListView, TemplateView, View
from django_filters.views import FilterView
from django_ratelimit.core import is_ratelimited

from actors import exports, services
from actors.filters import OrganisationFilter, PersonFilter
from actors.forms import (
    InvitationAcceptForm,
    InvitationForm,
    MembershipForm,
    OrganisationForm,
    PersonAccessForm,
    username_suggestion,
)
from actors.models import Invitation, Membership, Organisation, User
from actors.pagination import KeysFirstPaginationMixin, export_links, query_without
from actors.permissions import (
    AdministratorRequiredMixin,
    access_for,
    get_object_or_404_scoped,
    require_administrator,
)
from actors.sessions import landing_url
from audit import queries as audit_queries
from audit.filters import AuditLogFilter


class LoginView(auth_views.LoginView):
    """Django's sign-in, landing each person where their work is (actors.sessions.landing_url)
    when they did not ask for a page."""

    def get_default_redirect_url(self):
        return landing_url(self.request.user)


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
        return super().get_context_data(query_without_page=query_without(self.request), **kwargs)


# --- Organisations ------------------------------------------------------------------------------


class OrganisationListView(AdministratorRequiredMixin, KeysFirstPaginationMixin, FilterView):
    filterset_class = OrganisationFilter
    template_name = "actors/organisation_list.html"
    paginate_by = 50
    strict = True
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return Organisation.objects.order_by("name")

    def page_rows(self, keys):
        return Organisation.objects.annotate(people=Count("memberships")).in_bulk(keys)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            query_without_page=query_without(self.request),
            export_links=export_links(self.request, "actors:organisation-export"),
            **kwargs,
        )


class OrganisationCreateView(AdministratorRequiredMixin, FormView):
    form_class = OrganisationForm
    template_name = "actors/organisation_form.html"

    def form_valid(self, form):
        organisation = services.organisation_create(**form.cleaned_data)
        messages.success(self.request, _("%(name)s är tillagd.") % {"name": organisation.name})
        return redirect("followup:organisation-detail", pk=organisation.pk)


class OrganisationUpdateView(AdministratorRequiredMixin, FormView):
    form_class = OrganisationForm
    template_name = "actors/organisation_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and access_for(request).is_administrator:
            self.organisation = get_object_or_404_scoped(Organisation.objects, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        # The form validates a copy: a refused change must not show on the page as if made.
        return {**super().get_form_kwargs(), "instance": copy.copy(self.organisation)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation=self.organisation, **kwargs)

    def form_valid(self, form):
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        services.organisation_update(organisation=self.organisation, **changes)
        messages.success(self.request, _("Ändringarna är sparade."))
        return redirect("followup:organisation-detail", pk=self.organisation.pk)


class OrganisationSetActiveView(AdministratorRequiredMixin, TemplateView):
    """Deactivating or reactivating an organisation: GET explains what follows, POST does it."""

    template_name = "actors/organisation_set_active.html"
    http_method_names = ["get", "head", "post"]
    is_active = False

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and access_for(request).is_administrator:
            self.organisation = get_object_or_404_scoped(Organisation.objects, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisation=self.organisation,
            activate=self.is_active,
            people=self.organisation.memberships.count(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if self.organisation.is_active != self.is_active:
            services.organisation_set_active(
                organisation=self.organisation, is_active=self.is_active
            )
        name = self.organisation.name
        if self.is_active:
            messages.success(request, _("%(name)s är aktiv igen.") % {"name": name})
        else:
            messages.success(request, _("%(name)s är inaktiv.") % {"name": name})
        return redirect("followup:organisation-detail", pk=self.organisation.pk)


# --- People -------------------------------------------------------------------------------------


class PersonListView(AdministratorRequiredMixin, KeysFirstPaginationMixin, FilterView):
    filterset_class = PersonFilter
    template_name = "actors/person_list.html"
    paginate_by = 50
    strict = True
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return User.objects.order_by("last_name", "first_name", "username")

    def page_rows(self, keys):
        memberships = Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("organisation").order_by(
                "organisation__name"
            ),
        )
        return User.objects.prefetch_related(memberships).in_bulk(keys)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            query_without_page=query_without(self.request),
            export_links=export_links(self.request, "actors:person-export"),
            **kwargs,
        )


def _person(request, pk) -> User:
    require_administrator(request)
    return get_object_or_404_scoped(User.objects, pk=pk)


def _membership(request, pk, membership_pk) -> Membership:
    person = _person(request, pk)
    return get_object_or_404_scoped(
        Membership.objects.select_related("organisation", "user").filter(user=person),
        pk=membership_pk,
    )


def _render_person(request, person: User, access_form: PersonAccessForm):
    memberships = list(
        person.memberships.select_related("organisation").order_by("organisation__name")
    )
    context = {"person": person, "memberships": memberships, "access_form": access_form}
    return render(request, "actors/person_detail.html", context)


@login_required
@require_safe
def person_detail(request, pk):
    person = _person(request, pk)
    return _render_person(request, person, PersonAccessForm(person=person))


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
def person_access(request, pk):
    """Administrator or not, may sign in or not: the last active administrator stays both."""
    person = _person(request, pk)
    form = PersonAccessForm(request.POST, person=person)
    if form.is_valid():
        try:
            with transaction.atomic():
                if form.cleaned_data["is_administrator"] != person.is_superuser:
                    services.user_set_administrator(
                        user=person, is_administrator=form.cleaned_data["is_administrator"]
                    )
                if form.cleaned_data["is_active"] != person.is_active:
                    services.user_set_active(user=person, is_active=form.cleaned_data["is_active"])
        except services.LastAdministratorError:
            person.refresh_from_db()
            form.add_error(None, _("Portalen måste ha minst en aktiv administratör."))
        else:
            messages.success(request, _("Ändringarna är sparade."))
            if person.pk == request.user.pk and not (person.is_active and person.is_superuser):
                # Who just stopped being an administrator may not see the page any more.
                return redirect("home")
            return redirect("actors:person-detail", pk=person.pk)
    return _render_person(request, person, form)


@login_required
def membership_create(request, pk):
    """Give a person a role at one more organisation."""
    person = _person(request, pk)
    form = MembershipForm(request.POST or None, user=person)
    if request.method == "POST" and form.is_valid():
        services.membership_grant(
            user=person,
            organisation=form.cleaned_data["organisation"],
            role=form.cleaned_data["role"],
            is_contact_person=form.cleaned_data["is_contact_person"],
        )
        messages.success(request, _("Rollen är sparad."))
        return redirect("actors:person-detail", pk=person.pk)
    return render(request, "actors/membership_form.html", {"person": person, "form": form})


@login_required
def membership_update(request, pk, membership_pk):
    """Change a person's role at an organisation, or move them to another one."""
    membership = _membership(request, pk, membership_pk)
    person = membership.user
    form = MembershipForm(request.POST or None, user=person, membership=membership)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        moved = organisation.pk != membership.organisation_id
        services.membership_move(
            membership=membership,
            organisation=organisation,
            role=form.cleaned_data["role"],
            is_contact_person=form.cleaned_data["is_contact_person"],
        )
        if moved:
            message = _("%(person)s har flyttats till %(organisation)s.")
        else:
            message = _("Rollen för %(person)s vid %(organisation)s är sparad.")
        messages.success(request, message % {"person": person, "organisation": organisation})
        return redirect("actors:person-detail", pk=person.pk)
    return render(
        request,
        "actors/membership_form.html",
        {"person": person, "membership": membership, "form": form},
    )


@login_required
def membership_end(request, pk, membership_pk):
    """End a membership: GET asks first, POST ends it (and the delegations made to it)."""
    membership = _membership(request, pk, membership_pk)
    if request.method == "POST":
        services.membership_revoke(membership=membership)
        messages.success(
            request,
            _("%(person)s hör inte längre till %(organisation)s.")
            % {"person": membership.user, "organisation": membership.organisation},
        )
        return redirect("actors:person-detail", pk=membership.user_id)
    # The reverse relation of actionplan's delegations: read, not imported (layers).
    delegations = membership.delegations.count()
    return render(
        request,
        "actors/membership_end.html",
        {"person": membership.user, "membership": membership, "delegations": delegations},
    )


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
