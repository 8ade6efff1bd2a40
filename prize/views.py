"""The prize's pages: county staff manage the call and its nominations; people nominate.

Nominations are never public: every nomination page answers only its nominator, county staff
(and administrators, who may look) and, for what the jury sees, the call's jurors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actors import permissions
from actors.pagination import query_without
from prize import services
from prize.forms import CriterionFormSet, HideForm, NominationForm, PrizeCallForm
from prize.models import DEFAULT_CRITERIA, Attachment, Nomination, PrizeCall

CALLS_PER_PAGE = 25
NOMINATIONS_PER_PAGE = 50


def _call(year) -> PrizeCall:
    return get_object_or_404(PrizeCall, year=year)


# --- County staff ------------------------------------------------------------------------------


@login_required
@require_safe
def manage_call_list(request):
    permissions.require_follow_up_access(request)
    calls = PrizeCall.objects.annotate(nomination_count=Count("nominations")).order_by("-year")
    page_obj = Paginator(calls, CALLS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "prize/manage_call_list.html",
        {"page_obj": page_obj, "query_without_page": query_without(request)},
    )


def _call_form_page(request, call: PrizeCall | None):
    permissions.require_follow_up_access(request, write=request.method == "POST")
    data = request.POST if request.method == "POST" else None
    form = PrizeCallForm(data, instance=call)
    initial = None
    # Offered on the empty form only: a submitted row equal to its initial value would count as
    # unchanged, and be dropped.
    if call is None and data is None:
        initial = [
            {"title": str(title), "description": str(text)} for title, text in DEFAULT_CRITERIA
        ]
    formset = CriterionFormSet(
        data, instance=call or PrizeCall(), prefix="criteria", initial=initial
    )
    if call is None:
        formset.extra = len(DEFAULT_CRITERIA)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        saved = services.prize_call_save(form=form, criteria_formset=formset)
        messages.success(request, _("%(call)s är sparad.") % {"call": saved})
        return redirect("prize:manage-nomination-list", year=saved.year)
    return render(request, "prize/call_form.html", {"form": form, "formset": formset, "call": call})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def manage_call_create(request):
    return _call_form_page(request, None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def manage_call_update(request, year):
    permissions.require_follow_up_access(request, write=request.method == "POST")
    return _call_form_page(request, _call(year))


@login_required
@require_safe
def manage_nomination_list(request, year):
    """A call's nominations for county staff: all but the nominators' own drafts."""
    permissions.require_follow_up_access(request)
    call = _call(year)
    nominations = (
        call.nominations.exclude(state=Nomination.State.DRAFT)
        .select_related("organisation", "nominator")
        .annotate(attachment_count=Count("attachments"))
        .order_by("-submitted_at", "-pk")
    )
    page_obj = Paginator(nominations, NOMINATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "prize/manage_nomination_list.html",
        {
            "call": call,
            "page_obj": page_obj,
            "nominations": list(page_obj.object_list),
            "query_without_page": query_without(request),
        },
    )


def _managed_nomination(pk) -> Nomination:
    return permissions.get_object_or_404_scoped(
        Nomination.objects.exclude(state=Nomination.State.DRAFT).select_related(
            "call", "organisation", "nominator", "hidden_by"
        ),
        pk=pk,
    )


@login_required
@require_safe
def manage_nomination_detail(request, pk):
    permissions.require_follow_up_access(request)
    nomination = _managed_nomination(pk)
    return render(
        request,
        "prize/manage_nomination_detail.html",
        {
            "nomination": nomination,
            "motivations": _motivations(nomination),
            "attachments": list(nomination.attachments.all()),
            "hide_form": HideForm(),
        },
    )


@login_required
@require_POST
def manage_nomination_hide(request, pk):
    permissions.require_follow_up_access(request, write=True)
    nomination = _managed_nomination(pk)
    form = HideForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "prize/manage_nomination_detail.html",
            {
                "nomination": nomination,
                "motivations": _motivations(nomination),
                "attachments": list(nomination.attachments.all()),
                "hide_form": form,
            },
        )
    services.nomination_hide(
        nomination=nomination, reason=form.cleaned_data["reason"], user=request.user
    )
    messages.success(request, _("Nomineringen är dold för juryn."))
    return redirect("prize:manage-nomination-detail", pk=nomination.pk)


@login_required
@require_POST
def manage_nomination_unhide(request, pk):
    permissions.require_follow_up_access(request, write=True)
    nomination = _managed_nomination(pk)
    if nomination.is_hidden:
        services.nomination_unhide(nomination=nomination)
        messages.success(request, _("Juryn ser nomineringen igen."))
    return redirect("prize:manage-nomination-detail", pk=nomination.pk)


def _motivations(nomination: Nomination) -> list[tuple]:
    texts = {m.criterion_id: m.text for m in nomination.motivations.all()}
    return [
        (criterion, texts.get(criterion.pk, "")) for criterion in nomination.call.criteria.all()
    ]


# --- Nominating -------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def nominate(request, year):
    """Anyone nominates while the call is open; a visitor confirms the address by e-mail."""
    call = _call(year)
    if not call.is_open:
        return render(request, "prize/nomination_closed.html", {"call": call})
    is_visitor = not request.user.is_authenticated
    submitting = is_visitor or NominationForm.SUBMIT in request.POST
    form = NominationForm(
        request.POST or None,
        request.FILES or None,
        call=call,
        is_visitor=is_visitor,
        submitting=submitting,
        instance=Nomination(call=call),
    )
    if request.method == "POST" and form.is_valid():
        return _save_and_redirect(request, form, call, submitting)
    return render(
        request,
        "prize/nomination_form.html",
        {"call": call, "form": form, "is_visitor": is_visitor},
    )


def _save_and_redirect(request, form, call, submitting):
    try:
        if not request.user.is_authenticated:
            services.nomination_create_by_visitor(form=form, call=call)
            messages.success(
                request,
                _(
                    "Tack! Vi har skickat en länk till %(email)s. Nomineringen går till juryn "
                    "när du har bekräftat adressen med länken."
                )
                % {"email": form.cleaned_data["nominator_email"]},
            )
            return redirect("prize:nominate", year=call.year)
        nomination = services.nomination_save(
            form=form, call=call, user=request.user, submit=submitting
        )
    except services.PrizeError as error:
        messages.error(request, str(error))
        return redirect("prize:nominate", year=call.year)
    if submitting:
        messages.success(request, _("Nomineringen är inskickad. Tack!"))
        return redirect("prize:nomination-detail", pk=nomination.pk)
    messages.success(request, _("Utkastet är sparat. Bara du ser det."))
    return redirect("prize:nomination-edit", pk=nomination.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def nomination_edit(request, pk):
    """The nominator's own draft, while the call is open."""
    nomination = permissions.get_object_or_404_scoped(
        Nomination.objects.filter(
            nominator=request.user, state=Nomination.State.DRAFT
        ).select_related("call"),
        pk=pk,
    )
    call = nomination.call
    if not call.is_open:
        return render(request, "prize/nomination_closed.html", {"call": call})
    submitting = NominationForm.SUBMIT in request.POST
    form = NominationForm(
        request.POST or None,
        request.FILES or None,
        call=call,
        is_visitor=False,
        submitting=submitting,
        instance=nomination,
    )
    if request.method == "POST" and form.is_valid():
        return _save_and_redirect(request, form, call, submitting)
    return render(
        request,
        "prize/nomination_form.html",
        {"call": call, "form": form, "is_visitor": False, "nomination": nomination},
    )


@login_required
@require_safe
def nomination_detail(request, pk):
    """The nominator's own nomination, as sent."""
    nomination = permissions.get_object_or_404_scoped(
        Nomination.objects.filter(nominator=request.user).select_related("call", "organisation"),
        pk=pk,
    )
    return render(
        request,
        "prize/nomination_detail.html",
        {
            "nomination": nomination,
            "motivations": _motivations(nomination),
            "attachments": list(nomination.attachments.all()),
        },
    )


@login_required
@require_safe
def my_nominations(request):
    nominations = (
        Nomination.objects.by_user(request.user)
        .select_related("call", "organisation")
        .order_by("-call__year", "-created_at", "-pk")
    )
    page_obj = Paginator(nominations, NOMINATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "prize/my_nominations.html",
        {
            "page_obj": page_obj,
            "nominations": list(page_obj.object_list),
            "query_without_page": query_without(request),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def nomination_confirm(request, token):
    """The visitor's link: a button confirms (a mail scanner that opens links confirms nothing)."""
    nomination = services.nomination_for_token(token)
    if nomination is None:
        raise Http404
    if request.method == "POST":
        try:
            services.nomination_confirm(token=token)
        except services.PrizeError as error:
            messages.error(request, str(error))
            return render(request, "prize/nomination_confirm.html", {"nomination": nomination})
        return render(request, "prize/nomination_confirmed.html", {"nomination": nomination})
    return render(request, "prize/nomination_confirm.html", {"nomination": nomination})


@login_required
@require_safe
def attachment_download(request, pk):
    """An attachment, for those who may see its nomination; never public."""
    visible = Nomination.objects.visible_to(permissions.access_for(request))
    attachment = permissions.get_object_or_404_scoped(
        Attachment.objects.filter(nomination__in=visible), pk=pk
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    return response
