from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import ListView
from django_filters.views import FilterView

from actors.pagination import KeysFirstPaginationMixin, query_without
from actors.permissions import access_for
from practices import permissions, services
from practices.filters import PracticeFilter
from practices.forms import PracticeForm, ReturnForm
from practices.models import Practice


class PracticeListView(KeysFirstPaginationMixin, FilterView):
    """The public library: approved entries only, whoever asks."""

    filterset_class = PracticeFilter
    template_name = "practices/practice_list.html"
    paginate_by = 20
    strict = True

    def get_queryset(self):
        return Practice.objects.public().order_by("title", "pk")

    def page_rows(self, keys):
        return Practice.objects.for_list().in_bulk(keys)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            query_without_page=query_without(self.request),
            evidence_levels=[
                (label, Practice.EVIDENCE_EXPLANATIONS[value])
                for value, label in Practice.EvidenceLevel.choices
            ],
            may_propose=self.request.user.is_authenticated
            and permissions.proposing_organisations(self.request).exists(),
            **kwargs,
        )


class ProposalListView(KeysFirstPaginationMixin, ListView):
    """The entries not yet public that the person works on: county staff see every one (the
    proposals waiting first), coordinators their own organisations'."""

    template_name = "practices/proposal_list.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        access = access_for(self.request)
        unpublished = Practice.objects.exclude(state=Practice.State.APPROVED)
        if not access.sees_all_reports:
            unpublished = unpublished.of_coordinator(self.request.user)
        return _waiting_first(unpublished)

    def page_rows(self, keys):
        return Practice.objects.select_related("proposing_organisation", "proposed_by").in_bulk(
            keys
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(query_without_page=query_without(self.request), **kwargs)


def _waiting_first(queryset):
    """Proposals waiting for review first, the oldest first; then drafts and returned ones."""
    return queryset.annotate(
        waiting=Case(
            When(state=Practice.State.PROPOSED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("waiting", "proposed_at", "title", "pk")


@require_safe
def practice_detail(request, slug):
    practice = permissions.get_visible_practice_or_404(request, slug, Practice.objects.for_detail())
    return _render_detail(request, practice)


def _render_detail(request, practice, return_form=None):
    commitments = list(
        practice.commitments.select_related("plan").order_by("-plan__start_year", "code")
    )
    context = {
        "practice": practice,
        "commitments": commitments,
        "evidence_levels": [
            (value, label, Practice.EVIDENCE_EXPLANATIONS[value])
            for value, label in Practice.EvidenceLevel.choices
        ],
    }
    if request.user.is_authenticated:
        context["may_edit"] = permissions.may_edit(request, practice)
        context["may_propose"] = context["may_edit"] and practice.is_editable_by_proposer
        context["may_review"] = (
            practice.state == Practice.State.PROPOSED and permissions.may_review(request, practice)
        )
        context["return_form"] = return_form or ReturnForm()
    return render(request, "practices/practice_detail.html", context)


@login_required
def practice_create(request):
    organisations = permissions.proposing_organisations(request)
    if not organisations.exists():
        # Only coordinators (for their own organisations) and county staff propose entries.
        raise PermissionDenied
    form = PracticeForm(request.POST or None, proposing_organisations=organisations)
    if request.method == "POST" and form.is_valid():
        relations = form.relations()
        practice = services.practice_create(
            proposing_organisation=form.cleaned_data["proposing_organisation"],
            created_by=request.user,
            **relations,
            **form.content(),
        )
        messages.success(
            request,
            _("Utkastet är sparat. Skicka det till kansliet när det är klart."),
        )
        return redirect(practice)
    return render(request, "practices/practice_form.html", {"form": form, "practice": None})


@login_required
def practice_update(request, slug):
    practice = permissions.get_visible_practice_or_404(request, slug)
    permissions.require_edit(request, practice)
    form = PracticeForm(
        request.POST or None,
        instance=practice,
        proposing_organisations=permissions.proposing_organisations(request),
    )
    if request.method == "POST" and form.is_valid():
        practice = services.practice_update(
            practice=practice, relations=form.relations(), **form.content()
        )
        messages.success(request, _("Ändringarna är sparade."))
        return redirect(practice)
    return render(request, "practices/practice_form.html", {"form": form, "practice": practice})


@login_required
@require_POST
def practice_propose(request, slug):
    practice = permissions.get_visible_practice_or_404(request, slug)
    permissions.require_edit(request, practice)
    try:
        practice = services.practice_propose(practice=practice, user=request.user)
    except services.PracticeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Exemplet är skickat till kansliet för granskning."))
    return redirect(practice)


@login_required
@require_POST
def practice_approve(request, slug):
    practice = permissions.get_visible_practice_or_404(request, slug)
    permissions.require_review(request, practice)
    try:
        practice = services.practice_approve(practice=practice, user=request.user)
    except services.PracticeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Exemplet är godkänt och publicerat i biblioteket."))
    return redirect(practice)


@login_required
@require_POST
def practice_return(request, slug):
    practice = permissions.get_visible_practice_or_404(request, slug, Practice.objects.for_detail())
    permissions.require_review(request, practice)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.practice_return(
                practice=practice, user=request.user, comment=form.cleaned_data["comment"]
            )
        except services.PracticeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Exemplet är återsänt till organisationen."))
            return redirect(practice)
    return _render_detail(request, practice, return_form=form)
