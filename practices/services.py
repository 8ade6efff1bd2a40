"""Writes to the good-practice library: proposing, reviewing and publishing entries.

The prize (app `prize`, above this one) turns a winning nomination into an entry with
`practice_create_from`.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from actionplan.models import Commitment, Goal, ViolenceArea
from actors.models import Organisation, User
from practices.models import Practice

# Fields a form or a caller may set on an entry; the state and who did what are the services'.
CONTENT_FIELDS = (
    "title",
    "summary",
    "target_group",
    "target_group_details",
    "what_is_done",
    "organisation_of_work",
    "cost",
    "evidence_level",
    "sources",
    "contact_name",
    "contact_role",
    "contact_email",
    "contact_phone",
    "contact_consented",
)
RELATION_FIELDS = ("organisations", "municipalities", "goals", "violence_areas", "commitments")


class PracticeError(Exception):
    """A step the entry's state does not allow; the message is for the user."""


def practice_unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = (slugify(title)[:70] or "exempel").strip("-") or "exempel"
    taken = set(
        Practice.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _set_relations(practice: Practice, relations: dict) -> None:
    for name in RELATION_FIELDS:
        if name in relations:
            getattr(practice, name).set(relations[name])


@transaction.atomic
def practice_create(
    *,
    proposing_organisation: Organisation,
    created_by: User | None,
    organisations: Iterable[Organisation] = (),
    municipalities: Iterable[Organisation] = (),
    goals: Iterable[Goal] = (),
    violence_areas: Iterable[ViolenceArea] = (),
    commitments: Iterable[Commitment] = (),
    **fields,
) -> Practice:
    """A new draft, held by `proposing_organisation` until it is proposed."""
    unknown = set(fields) - set(CONTENT_FIELDS) - {"is_demo", "is_example"}
    if unknown:
        raise TypeError(f"not an entry's content: {sorted(unknown)}")
    practice = Practice.objects.create(
        slug=practice_unique_slug(fields.get("title", "")),
        proposing_organisation=proposing_organisation,
        created_by=created_by,
        **fields,
    )
    _set_relations(
        practice,
        {
            "organisations": organisations or [proposing_organisation],
            "municipalities": municipalities,
            "goals": goals,
            "violence_areas": violence_areas,
            "commitments": commitments,
        },
    )
    return practice


def practice_create_from(
    *,
    proposing_organisation: Organisation,
    created_by: User | None,
    title: str,
    summary: str,
    what_is_done: str,
    organisation_of_work: str = "",
    target_group: str = Practice.TargetGroup.PROFESSIONALS,
    evidence_level: int = Practice.EvidenceLevel.DESCRIBED,
    organisations: Iterable[Organisation] = (),
    municipalities: Iterable[Organisation] = (),
    goals: Iterable[Goal] = (),
    violence_areas: Iterable[ViolenceArea] = (),
    sources: str = "",
) -> Practice:
    """One step from something described elsewhere (a winning prize nomination) to an entry.

    For the prize app: pass what the nomination says about the way of working, and the
    organisation it is about as `proposing_organisation` (its coordinators may then complete
    the entry). The entry starts as a *proposal* waiting for county staff's review, never
    public at once: the library publishes only what county staff approved, and the texts of a
    nomination were written for the jury, not for the library. `created_by` is the person who
    made the step (county staff); the nomination itself is not referred to from here, since
    this app sits below `prize`: keep the entry's key on the prize's side
    (for example `Nomination.practice`). The evidence level starts at "Beskriven": a prize is
    no evaluation.
    """
    with transaction.atomic():
        practice = practice_create(
            proposing_organisation=proposing_organisation,
            created_by=created_by,
            title=title,
            summary=summary,
            what_is_done=what_is_done,
            organisation_of_work=organisation_of_work,
            target_group=target_group,
            evidence_level=evidence_level,
            sources=sources,
            organisations=organisations,
            municipalities=municipalities,
            goals=goals,
            violence_areas=violence_areas,
        )
        return practice_propose(practice=practice, user=created_by)


@transaction.atomic
def practice_update(*, practice: Practice, relations: dict | None = None, **fields) -> Practice:
    """Change an entry's content. Its address follows the title until it is first published."""
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"not an entry's content: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(practice, name, value)
    if not practice.slug_is_frozen:
        practice.slug = practice_unique_slug(practice.title, exclude_pk=practice.pk)
    practice.save()
    relations = dict(relations or {})
    if "organisations" in relations and not relations["organisations"]:
        relations["organisations"] = [practice.proposing_organisation]
    _set_relations(practice, relations)
    return practice


def _locked(practice: Practice) -> Practice:
    # Read again under a lock: two reviewers, or a reviewer and an editor, act one at a time.
    return Practice.objects.select_for_update().get(pk=practice.pk)


@transaction.atomic
def practice_propose(*, practice: Practice, user: User | None) -> Practice:
    """Send a draft (or a returned entry) to county staff for review."""
    current = _locked(practice)
    if not current.is_editable_by_proposer:
        raise PracticeError(_("Exemplet är redan skickat till kansliet."))
    current.state = Practice.State.PROPOSED
    current.proposed_by = user
    current.proposed_at = timezone.now()
    current._change_reason = "propose"
    current.save()
    return current


@transaction.atomic
def practice_approve(*, practice: Practice, user: User) -> Practice:
    """Publish a proposed entry. From now on its address never changes."""
    current = _locked(practice)
    if current.state != Practice.State.PROPOSED:
        raise PracticeError(_("Bara föreslagna exempel kan godkännas."))
    current.state = Practice.State.APPROVED
    current.approved_by = user
    current.approved_at = timezone.now()
    current.return_comment = ""
    current._change_reason = "approve"
    current.save()
    return current


@transaction.atomic
def practice_return(*, practice: Practice, user: User, comment: str) -> Practice:
    """Send a proposal back to its organisation with county staff's comment, and have the
    person who proposed it told by e-mail (queued after the commit: no mail about a change
    that failed)."""
    comment = comment.strip()
    if not comment:
        raise PracticeError(_("Skriv vad som behöver ändras."))
    current = _locked(practice)
    if current.state != Practice.State.PROPOSED:
        raise PracticeError(_("Bara föreslagna exempel kan återsändas."))
    current.state = Practice.State.RETURNED
    current.return_comment = comment
    current._change_reason = "return"
    current.save()
    from practices.tasks import practice_return_notify as task

    returned_by = str(user)
    transaction.on_commit(lambda: task.delay(current.pk, returned_by), robust=True)
    return current


def practice_return_notify(*, practice_id: int, returned_by: str) -> bool:
    """E-mail the proposer that their entry came back; False when there is no one to tell."""
    from actors.emails import send_templated

    practice = (
        Practice.objects.select_related("proposed_by", "proposing_organisation")
        .filter(pk=practice_id, state=Practice.State.RETURNED)
        .first()
    )
    if practice is None:
        return False
    proposer = practice.proposed_by or practice.created_by
    if proposer is None or not proposer.is_active or not proposer.email:
        return False
    send_templated(
        "practices/emails/returned",
        {
            "name": proposer.first_name,
            "practice": practice,
            "returned_by": returned_by,
            "url": settings.SITE_URL + practice.get_absolute_url(),
        },
        to=[proposer.email],
    )
    return True
