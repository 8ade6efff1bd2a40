"""The jury's pages, the decision and the public winners' pages.

County staff appoint the jury, read the ranking, decide and publish (administrators may look).
A juror sees only this year's call, and only what the jury sees of it. The public sees the
published awards, never a nomination.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actors import permissions
from actors.pagination import query_without
from practices.models import Practice
from prize import jury
from prize.jury_forms import AwardForm, JuryMemberForm, ScoreForm
from prize.models import Award, JuryMember, PrizeCall, Score

PER_PAGE = 50
YEARS_PER_PAGE = 10


def _call(year) -> PrizeCall:
    return get_object_or_404(PrizeCall, year=year)


# --- County staff: the jury ---------------------------------------------------------------------


def _jury_page(request, call, form):
    return render(
        request,
        "prize/jury/manage_jury.html",
        {"call": call, "form": form, "jurors": jury.jurors_with_conflicts(call)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def manage_jury(request, year):
    permissions.require_follow_up_access(request, write=request.method == "POST")
    call = _call(year)
    form = JuryMemberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            member = jury.jury_member_appoint(
                call=call, user=form.cleaned_data["user"], is_chair=form.cleaned_data["is_chair"]
            )
        except jury.JuryError as error:
            form.add_error("user", str(error))
        else:
            messages.success(request, _("%(person)s sitter nu i juryn.") % {"person": member.user})
            return redirect("prize:manage-jury", year=call.year)
    return _jury_page(request, call, form)


def _member(year, pk) -> JuryMember:
    return permissions.get_object_or_404_scoped(
        JuryMember.objects.filter(call__year=year).select_related("call", "user"), pk=pk
    )


@login_required
@require_POST
def manage_jury_remove(request, year, pk):
    permissions.require_follow_up_access(request, write=True)
    member = _member(year, pk)
    try:
        jury.jury_member_remove(member=member)
    except jury.JuryError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(person)s sitter inte längre i juryn.") % {"person": member.user}
        )
    return redirect("prize:manage-jury", year=year)


@login_required
@require_POST
def manage_jury_chair(request, year, pk):
    permissions.require_follow_up_access(request, write=True)
    member = jury.jury_chair_set(member=_member(year, pk))
    messages.success(request, _("%(person)s är juryns ordförande.") % {"person": member.user})
    return redirect("prize:manage-jury", year=year)


# --- The ranking --------------------------------------------------------------------------------


@login_required
@require_safe
def ranking(request, year):
    """County staff and administrators; a juror once the scores are open to them."""
    call = _call(year)
    access = permissions.access_for(request)
    if not access.sees_all_reports:
        juror = jury.juror_for(call, request.user)
        if juror is None or not jury.scores_open_to(juror):
            raise PermissionDenied
    criteria = list(call.criteria.all())
    page_obj = Paginator(jury.ranking_queryset(call), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "prize/jury/ranking.html",
        {
            "call": call,
            "criteria": criteria,
            "rows": jury.ranking_rows(call, list(page_obj.object_list), criteria),
            "page_obj": page_obj,
            "query_without_page": query_without(request),
            "jurors": call.jury.count(),
        },
    )


# --- The decision -------------------------------------------------------------------------------


def _decision_page(request, call, form):
    return render(
        request,
        "prize/jury/decision.html",
        {
            "call": call,
            "form": form,
            "awards": list(
                call.awards.select_related("organisation", "nomination").prefetch_related(
                    "practices"
                )
            ),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def decision(request, year):
    permissions.require_follow_up_access(request, write=request.method == "POST")
    call = _call(year)
    form = AwardForm(request.POST if request.method == "POST" else None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            award = jury.award_decide(
                call=call,
                nomination=form.cleaned_data["nomination"],
                motivation=form.cleaned_data["motivation"],
            )
        except jury.JuryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(winner)s är vald som pristagare. Publicera när beslutet är klart.")
                % {"winner": award.unit_name},
            )
            return redirect("prize:decision", year=call.year)
    return _decision_page(request, call, form)


@login_required
@require_POST
def award_withdraw(request, year, pk):
    permissions.require_follow_up_access(request, write=True)
    award = permissions.get_object_or_404_scoped(Award.objects.filter(call__year=year), pk=pk)
    try:
        jury.award_withdraw(award=award)
    except jury.JuryError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Pristagaren är borttagen ur beslutet."))
    return redirect("prize:decision", year=year)


@login_required
@require_POST
def award_practice(request, year, pk):
    """Gör till gott exempel: the winning nomination becomes a proposed library entry."""
    permissions.require_follow_up_access(request, write=True)
    award = permissions.get_object_or_404_scoped(
        Award.objects.filter(call__year=year).select_related("call", "organisation", "nomination"),
        pk=pk,
    )
    try:
        practice = jury.award_make_practice(award=award, user=request.user)
    except jury.JuryError as error:
        messages.error(request, str(error))
        return redirect("prize:decision", year=year)
    messages.success(
        request,
        _("Ett förslag till gott exempel är skapat och väntar på granskning: %(title)s")
        % {"title": practice.title},
    )
    return redirect(practice.get_absolute_url())


@login_required
@require_POST
def decision_publish(request, year):
    permissions.require_follow_up_access(request, write=True)
    call = _call(year)
    if not request.POST.get("confirm"):
        messages.error(request, _("Kryssa i rutan för att bekräfta publiceringen."))
        return redirect("prize:decision", year=call.year)
    try:
        jury.award_publish(call=call)
    except jury.JuryError as error:
        messages.error(request, str(error))
        return redirect("prize:decision", year=call.year)
    messages.success(
        request, _("Beslutet är publicerat. Pristagaren och den som nominerade får e-post.")
    )
    return redirect("prize:winners-year", year=call.year)


# --- The juror's pages --------------------------------------------------------------------------


def _juror(request, year) -> JuryMember:
    """This year's seat of the signed-in person; anyone else is refused."""
    juror = jury.juror_for(_call(year), request.user)
    if juror is None:
        raise PermissionDenied
    return juror


@login_required
@require_safe
def juror_home(request, year):
    juror = _juror(request, year)
    rows = jury.juror_rows(juror)
    page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "prize/jury/juror_home.html",
        {
            "call": juror.call,
            "juror": juror,
            "rows": list(page_obj.object_list),
            "page_obj": page_obj,
            "query_without_page": query_without(request),
            "left": sum(row.left for row in rows),
            "scores_open": juror.call.scores_opened_at is not None
            or all(row.left == 0 for row in rows),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def juror_nomination(request, year, pk):
    juror = _juror(request, year)
    call = juror.call
    nomination = permissions.get_object_or_404_scoped(jury.jury_nominations(call), pk=pk)
    may_score = jury.may_score(juror, nomination)
    criteria = list(call.criteria.all())
    own = {s.criterion_id: s for s in Score.objects.filter(juror=juror, nomination=nomination)}
    initial = {}
    for criterion_id, score in own.items():
        initial[f"value_{criterion_id}"] = score.value
        initial[f"comment_{criterion_id}"] = score.comment
    form = ScoreForm(
        request.POST if request.method == "POST" else None, initial=initial, criteria=criteria
    )
    if request.method == "POST":
        if not may_score:
            # The rule is the service's; the page says it before anyone tries.
            raise PermissionDenied
        if form.is_valid():
            try:
                jury.scores_save(juror=juror, nomination=nomination, scores=form.scores())
            except jury.JuryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Dina poäng är sparade."))
                return redirect("prize:juror-home", year=call.year)
    others = []
    if jury.scores_open_to(juror):
        others = list(
            Score.objects.filter(nomination=nomination)
            .exclude(juror=juror)
            .select_related("juror__user", "criterion")
            .order_by("criterion__position", "juror__pk")
        )
    texts = {m.criterion_id: m.text for m in nomination.motivations.all()}
    return render(
        request,
        "prize/jury/juror_nomination.html",
        {
            "call": call,
            "juror": juror,
            "nomination": nomination,
            "may_score": may_score,
            "decided": jury.is_decided(call),
            "form": form,
            "motivations": [(c, texts.get(c.pk, "")) for c in criteria],
            "attachments": list(nomination.attachments.all()),
            "others": others,
            "scores_open": jury.scores_open_to(juror),
        },
    )


@login_required
@require_POST
def juror_open_scores(request, year):
    juror = _juror(request, year)
    try:
        jury.scores_open(juror=juror)
    except jury.JuryError:
        raise PermissionDenied from None
    messages.success(request, _("Poängen är öppna för hela juryn."))
    return redirect("prize:juror-home", year=year)


# --- The public pages ---------------------------------------------------------------------------


def _published_calls():
    return (
        PrizeCall.objects.filter(published_at__isnull=False)
        .prefetch_related(
            Prefetch(
                "awards",
                queryset=jury.published_awards()
                .prefetch_related(
                    Prefetch(
                        "practices",
                        queryset=Practice.objects.public().order_by("title"),
                        to_attr="public_practices",
                    )
                )
                .order_by("pk"),
                to_attr="published",
            )
        )
        .order_by("-year")
    )


@require_safe
def winners(request):
    page_obj = Paginator(_published_calls(), YEARS_PER_PAGE).get_page(request.GET.get("page"))
    # The way in for jurors: the pages of the juries they sit on and that are still at work.
    seats = []
    if request.user.is_authenticated:
        seats = list(
            JuryMember.objects.filter(user=request.user, call__published_at__isnull=True)
            .select_related("call")
            .order_by("-call__year")
        )
    return render(
        request,
        "prize/jury/winners.html",
        {
            # The way in for nominators: the calls open today.
            "open_calls": list(
                PrizeCall.objects.open_on(timezone.localdate())
                .filter(decided_at__isnull=True, published_at__isnull=True)
                .order_by("year")
            ),
            "seats": seats,
            "calls": list(page_obj.object_list),
            "page_obj": page_obj,
            "query_without_page": query_without(request),
        },
    )


@require_safe
def winners_year(request, year):
    call = _published_calls().filter(year=year).first()
    if call is None:
        # Not decided or not published yet: nothing of the call's nominations is public.
        raise Http404
    return render(request, "prize/jury/winners_year.html", {"call": call})
