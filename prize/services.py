"""The prize's writes: calls, nominations and their confirmation, hiding, attachments."""

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from prize.models import (
    CONFIRMATION_VALID_FOR,
    DEFAULT_CRITERIA,
    Attachment,
    Criterion,
    Motivation,
    Nomination,
    PrizeCall,
    confirmation_token_hash,
)


@transaction.atomic
def prize_call_create(
    *,
    year: int,
    opens_on: datetime.date,
    closes_on: datetime.date,
    decision_on: datetime.date | None = None,
    description: str = "",
) -> PrizeCall:
    """A new year's call, with the four default criteria that county staff may then edit."""
    call = PrizeCall.objects.create(
        year=year,
        opens_on=opens_on,
        closes_on=closes_on,
        decision_on=decision_on,
        description=description,
    )
    Criterion.objects.bulk_create(
        Criterion(call=call, position=position, title=str(title), description=str(description))
        for position, (title, description) in enumerate(DEFAULT_CRITERIA, start=1)
    )
    return call


class PrizeError(Exception):
    """A prize action that cannot be done now; the message says why, in Swedish."""


@transaction.atomic
def prize_call_save(*, form, criteria_formset) -> PrizeCall:
    """Save a call and its criteria, numbered in the order they are listed."""
    call = form.save()
    criteria_formset.instance = call
    kept = []
    for criterion_form in criteria_formset.forms:
        data = getattr(criterion_form, "cleaned_data", {})
        if not data.get("title"):
            continue
        if data.get("DELETE"):
            if criterion_form.instance.pk:
                criterion_form.instance.delete()
            continue
        kept.append(criterion_form.instance)
    # Positions are unique per call: move them out of the way first, then number them.
    Criterion.objects.filter(call=call).update(position=F("position") + 1000)
    for position, criterion in enumerate(kept, start=1):
        criterion.call = call
        criterion.position = position
        criterion.save()
    return call


def _save_nomination_parts(
    nomination: Nomination,
    *,
    motivations: dict[int, str],
    new_attachments: list,
    removed_attachments,
) -> None:
    existing = {m.criterion_id: m for m in nomination.motivations.all()}
    for criterion_id, text in motivations.items():
        motivation = existing.get(criterion_id)
        if motivation is None:
            Motivation.objects.create(nomination=nomination, criterion_id=criterion_id, text=text)
        elif motivation.text != text:
            motivation.text = text
            motivation.save(update_fields=["text"])
    for attachment in removed_attachments or []:
        attachment_delete(attachment=attachment)
    for upload, content_type in new_attachments:
        Attachment.objects.create(
            nomination=nomination,
            file=upload,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
        )


def attachment_delete(*, attachment: Attachment) -> None:
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored), robust=True)


def _consent_time(nomination: Nomination, has_contact: bool):
    if not has_contact:
        return None
    return nomination.contact_consent_at or timezone.now()


@transaction.atomic
def nomination_save(
    *,
    form,
    call: PrizeCall,
    user,
    submit: bool,
) -> Nomination:
    """A signed-in person's nomination saved as a draft, or submitted to the jury."""
    if not call.is_open:
        raise PrizeError(_("Nomineringen till %(call)s är stängd.") % {"call": call})
    nomination = form.save(commit=False)
    if nomination.pk is None:
        nomination.call = call
        nomination.nominator = user
    elif nomination.state != Nomination.State.DRAFT:
        raise PrizeError(_("Nomineringen är redan inskickad och kan inte ändras."))
    has_contact = bool(nomination.contact_name or nomination.contact_email)
    nomination.contact_consent_at = _consent_time(nomination, has_contact)
    if submit:
        nomination.state = Nomination.State.SUBMITTED
        nomination.submitted_at = timezone.now()
    nomination.save()
    _save_nomination_parts(
        nomination,
        motivations=form.motivations(),
        new_attachments=form.cleaned_data.get("attachments") or [],
        removed_attachments=form.cleaned_data.get("remove_attachments"),
    )
    return nomination


@transaction.atomic
def nomination_create_by_visitor(*, form, call: PrizeCall) -> Nomination:
    """A visitor's nomination: kept aside until the address is confirmed by the e-mailed link."""
    if not call.is_open:
        raise PrizeError(_("Nomineringen till %(call)s är stängd.") % {"call": call})
    nomination = form.save(commit=False)
    nomination.call = call
    nomination.state = Nomination.State.AWAITING_CONFIRMATION
    nomination.contact_consent_at = _consent_time(
        nomination, bool(nomination.contact_name or nomination.contact_email)
    )
    nomination.confirmation_expires_at = timezone.now() + CONFIRMATION_VALID_FOR
    nomination.save()
    _save_nomination_parts(
        nomination,
        motivations=form.motivations(),
        new_attachments=form.cleaned_data.get("attachments") or [],
        removed_attachments=None,
    )
    from prize.tasks import nomination_confirmation_send as task

    transaction.on_commit(lambda: task.delay(nomination.pk), robust=True)
    return nomination


def nomination_confirmation_send(*, nomination_id: int) -> bool:
    """Make the visitor's confirmation token and e-mail its link; False if nothing to confirm.

    Made here, in the task, so the token never rests in the broker; only its hash is stored.
    """
    from actors.emails import send_templated

    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        nomination = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("call")
            .filter(
                pk=nomination_id,
                state=Nomination.State.AWAITING_CONFIRMATION,
                confirmation_expires_at__gt=timezone.now(),
            )
            .first()
        )
        if nomination is None:
            return False
        nomination.confirmation_token_hash = confirmation_token_hash(token)
        nomination.save(update_fields=["confirmation_token_hash"])
    send_templated(
        "prize/emails/confirm",
        {
            "name": nomination.nominator_name,
            "nomination": nomination,
            "call": nomination.call,
            "url": settings.SITE_URL + reverse("prize:nomination-confirm", kwargs={"token": token}),
            "expires_at": nomination.confirmation_expires_at,
        },
        to=[nomination.nominator_email],
    )
    return True


def nomination_for_token(token: str) -> Nomination | None:
    """The visitor's nomination a still valid link opens; None for anything else."""
    if not token or len(token) > 100:
        return None
    return (
        Nomination.objects.select_related("call", "organisation")
        .filter(
            confirmation_token_hash=confirmation_token_hash(token),
            state=Nomination.State.AWAITING_CONFIRMATION,
            confirmation_expires_at__gt=timezone.now(),
        )
        .first()
    )


@transaction.atomic
def nomination_confirm(*, token: str) -> Nomination:
    """The visitor has confirmed the address: the nomination is submitted to the jury."""
    nomination = nomination_for_token(token)
    if nomination is None:
        raise PrizeError(_("Länken gäller inte längre."))
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.state != Nomination.State.AWAITING_CONFIRMATION:
        raise PrizeError(_("Nomineringen är redan bekräftad."))
    if not nomination.call.is_open:
        raise PrizeError(_("Nomineringen stängde innan adressen bekräftades."))
    now = timezone.now()
    nomination.email_confirmed_at = now
    nomination.state = Nomination.State.SUBMITTED
    nomination.submitted_at = now
    nomination.confirmation_token_hash = None
    nomination.save(
        update_fields=[
            "email_confirmed_at",
            "state",
            "submitted_at",
            "confirmation_token_hash",
            "updated_at",
        ]
    )
    return nomination


def nomination_hide(*, nomination: Nomination, reason: str, user) -> None:
    """County staff hide a nomination from the jury, saying why."""
    nomination.hidden_at = timezone.now()
    nomination.hidden_reason = reason
    nomination.hidden_by = user
    nomination.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])


def nomination_unhide(*, nomination: Nomination) -> None:
    nomination.hidden_at = None
    nomination.hidden_reason = ""
    nomination.hidden_by = None
    nomination.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])


def nominations_purge_unconfirmed(*, now: datetime.datetime | None = None) -> int:
    """Delete visitors' nominations whose link expired unconfirmed, with their attachments.

    They never reached the jury, and the visitor's name and address are kept no longer than
    the link needs them. Returns how many were deleted.
    """
    now = now or timezone.now()
    with transaction.atomic():
        expired = list(
            Nomination.objects.select_for_update(skip_locked=True).filter(
                state=Nomination.State.AWAITING_CONFIRMATION, confirmation_expires_at__lt=now
            )
        )
        for attachment in Attachment.objects.filter(nomination__in=expired):
            attachment_delete(attachment=attachment)
        Nomination.objects.filter(pk__in=[nomination.pk for nomination in expired]).delete()
    return len(expired)
