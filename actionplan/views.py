from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import TemplateView
from django_filters.views import FilterView

from actionplan import permissions as reporting
from actionplan import services
from actionplan.filters import CommitmentFilter
from actionplan.forms import ColleagueInvitationForm, DelegationForm
from actionplan.models import Commitment, Delegation, Goal, ViolenceArea
from actors import cache_versions, exports, permissions
from actors.pagination import KeysFirstPaginationMixin, export_links, query_without


class OverviewView(TemplateView):
    """The public front page: the strategy's goals and how many commitments serve each."""

    template_name = "actionplan/overview.html"

    def get_context_data(self, **kwargs):
        # Counted over every commitment: kept in the cache until the data changes.
        goals, violence_areas = cache_versions.cached(
            "actionplan:home", (cache_versions.DATA,), _home
        )
        return super().get_context_data(goals=goals, violence_areas=violence_areas, **kwargs)


def _home() -> tuple[list[Goal], list[ViolenceArea]]:
    goals = Goal.objects.select_related("strategy").annotate(commitment_count=Count("commitments"))
    return list(goals), list(ViolenceArea.objects.all())


class CommitmentListView(KeysFirstPaginationMixin, FilterView):
    filterset_class = CommitmentFilter
    template_name = "actionplan/commitment_list.html"
    paginate_by = 25
    strict = True

    def get_queryset(self):
        return Commitment.objects.order_by("-plan__start_year", "code")

    def page_rows(self, keys):
        return Commitment.objects.for_list().in_bulk(keys)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            query_without_page=query_without(self.request),
            export_links=export_links(self.request, "actionplan:commitment-export"),
            **kwargs,
        )


@require_safe
def commitment_export(request):
    """The commitment list as a file, with the list's filters and search (public data only)."""
    filterset = CommitmentFilter(request.GET, queryset=Commitment.objects.all())
    if not filterset.is_valid():
        return exports.error_response(request, _("Filtret är ogiltigt. Välj i listorna."))
    return exports.export_response(
        request,
        queryset=filterset.qs,
        headers=[
            _("Nummer"),
            _("Titel"),
            _("Handlingsplan"),
            _("Mål"),
            _("Våldsområden"),
            _("Ansvarig organisation"),
            _("Medverkande organisationer"),
            _("Från år"),
            _("Till och med år"),
            _("Status"),
        ],
        rows=_commitment_rows,
        title=_("Åtaganden"),
        file_stem="ataganden",
    )


def _commitment_rows(commitments):
    """One row per commitment, in five queries whatever their number: the commitments, and
    the goals, violence areas and participating organisations of all of them."""
    keys = commitments.values("pk")

    def joined(field, value):
        through = getattr(Commitment, field).through
        names: dict[int, list[str]] = {}
        for commitment_id, name in (
            through.objects.filter(commitment__in=keys)
            .order_by(value)
            .values_list("commitment_id", value)
            .iterator()
        ):
            names.setdefault(commitment_id, []).append(str(name))
        return names

    goals = joined("goals", "goal__number")
    areas = joined("violence_areas", "violencearea__name")
    partners = joined("participating_organisations", "organisation__name")
    states = {value: str(label) for value, label in Commitment.State.choices}
    for pk, code, title, plan, lead, start, end, state in (
        commitments.order_by("-plan__start_year", "code")
        .values_list(
            "pk",
            "code",
            "title",
            "plan__title",
            "lead_organisation__name",
            "start_year",
            "end_year",
            "state",
        )
        .iterator()
    ):
        yield (
            code,
            title,
            plan,
            ", ".join(goals.get(pk, ())),
            ", ".join(areas.get(pk, ())),
            lead,
            ", ".join(partners.get(pk, ())),
            start,
            end,
            states.get(state, state),
        )


@login_required
def delegation_create(request, commitment_pk):
    """Delegate the commitment to a colleague in the list, or invite one by e-mail and have it
    delegated to them when they accept (the second form, sent with `invite`)."""
    commitment = permissions.get_object_or_404_scoped(
        Commitment.objects.for_list(), pk=commitment_pk
    )
    organisations = reporting.delegating_organisations(request.user, commitment)
    if not organisations.exists():
        # Commitments are public: the person may see this one, but not hand it on.
        raise PermissionDenied
    inviting = request.method == "POST" and "invite" in request.POST
    form = DelegationForm(
        request.POST if request.method == "POST" and not inviting else None,
        organisations=organisations,
        user=request.user,
    )
    invite_form = ColleagueInvitationForm(
        request.POST if inviting else None, organisations=organisations, prefix="invite"
    )
    if inviting and invite_form.is_valid():
        invitation = services.delegation_invite(
            commitment=commitment,
            organisation=invite_form.cleaned_data["organisation"],
            email=invite_form.cleaned_data["email"],
            invited_by=request.user,
        )
        messages.success(
            request,
            _(
                "En inbjudan skickas till %(email)s. Åtagandet delegeras till kollegan när "
                "hen har tagit emot den."
            )
            % {"email": invitation.email},
        )
        return redirect("followup:commitment-detail", pk=commitment.pk)
    if request.method == "POST" and not inviting and form.is_valid():
        delegation = services.delegation_grant(
            commitment=commitment,
            membership=form.cleaned_data["membership"],
            granted_by=request.user,
        )
        messages.success(
            request,
            _("%(person)s kan nu rapportera om åtagandet.") % {"person": delegation.delegate},
        )
        return redirect("followup:commitment-detail", pk=commitment.pk)
    return render(
        request,
        "actionplan/delegation_form.html",
        {"form": form, "invite_form": invite_form, "commitment": commitment},
    )


@login_required
@require_POST
def delegation_revoke(request, pk):
    delegation = permissions.get_object_or_404_scoped(
        Delegation.objects.select_related("membership__user", "commitment"), pk=pk
    )
    if (
        not reporting.coordinated_organisations(request.user)
        .filter(pk=delegation.membership.organisation_id)
        .exists()
    ):
        # The delegate and county staff see the delegation; nobody else learns it exists.
        if (
            delegation.membership.user_id == request.user.pk
            or permissions.access_for(request).sees_all_reports
        ):
            raise PermissionDenied
        raise Http404
    services.delegation_revoke(delegation=delegation)
    messages.success(
        request,
        _("%(person)s kan inte längre rapportera om åtagandet.") % {"person": delegation.delegate},
    )
    return redirect("followup:commitment-detail", pk=delegation.commitment_id)
