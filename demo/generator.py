"""Invented demo content for trying out and benchmarking the portal (`manage.py seed_demo`).

Everything made here is marked so that it cannot be mistaken for real follow-up: commitments and
indicators carry ``is_demo`` and a "Demo: " title (but for the real Välj att sluta figures),
as do practices and prize nominations. The title's prefix is the one mark the pages show (no
separate "Demo" tag beside it): it travels with the title into exports, e-mails, the county
report's files and the admin, where no tag in a template can follow. People have addresses at
``demo.kvinnofrid.example`` and extra organisations are called "Demo-organisation NNNN".

Idempotent by construction: every row is derived from its natural key with a random generator
seeded by that key, and only missing rows are created. A second run therefore writes nothing, a
larger ``scale`` adds rows without changing those a smaller one made, and demo content that
somebody has since edited in the portal (a submitted report, say) is left as it is. Only the demo
logins are brought back to their documented state, so that the printed passwords always work.
"""

from __future__ import annotations

import base64
import random
import time as time_module
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TextIO

from django.db import connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.utils import bulk_create_with_history

from actionplan.models import ActionPlan, Commitment, Goal, ViolenceArea
from actionplan.services import commitments_access_sync
from actors import cache_versions, two_factor
from actors.models import Membership, Organisation, User
from actors.services import membership_grant
from demo import content
from followup.models import ProgressReport, ReportingPeriod
from indicators.models import (
    COUNTY_CODE,
    STOCKHOLM_MUNICIPALITY_CODE,
    Area,
    Indicator,
    IndicatorValue,
    SurveyAnswer,
)
from practices import services as practice_services
from practices.models import Practice

DEMO_PASSWORD = "demo-kvinnofrid-2026"
# The demo administrator and county staff sign in with two factors, like the real ones. Their app
# has this published secret (base32, as an authenticator app takes it typed), so that anybody
# trying the demo can add it to an app, or print the current code with `manage.py demo_totp`.
DEMO_TOTP_SECRET = "KVINNOFRIDDEMOKVINNOFRIDDEMOKVIN"
DEMO_EMAIL_DOMAIN = "demo.kvinnofrid.example"
TITLE_PREFIX = "Demo: "
MIN_SCALE = 1
MAX_SCALE = 1000
FIRST_PERIOD_YEAR = 2020
# Indicators start with the strategy (its first year is their base year); an import refuses years
# outside it, and the samples in indicators/samples must import into the demo.
FIRST_INDICATOR_YEAR = 2020

# Bump to get a different, but again stable, demo.
_SEED = "kvinnofrid-demo-1"
_BATCH_SIZE = 2000
_COMMITMENTS_PER_PLAN_PER_SCALE = 30
_EXTRA_ORGANISATIONS_PER_SCALE = 3
_EXTRA_ORGANISATION_SLUG_PREFIX = "demo-organisation-"
_CHANGE_REASON = "seed_demo"


class ScaleError(ValueError):
    """The scale is outside what the command supports."""


def check_scale(scale: object) -> int:
    """Return ``scale`` if it is a whole number in range; the message is meant for the user."""
    if isinstance(scale, bool) or not isinstance(scale, int):
        raise ScaleError(f"--scale must be a whole number, got {scale!r}.")
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise ScaleError(f"--scale must be between {MIN_SCALE} and {MAX_SCALE}, got {scale}.")
    return scale


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


@dataclass
class DemoResult:
    """What a run did, for the command's summary and for tests."""

    scale: int
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    logins: list[DemoLogin] = field(default_factory=list)
    two_factor_logins: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def summary(self) -> str:
        lines = [f"Demo data, scale {self.scale}:"]
        for label in _COUNTED:
            line = f"  {label:<22} {self.created[label]:>8} created"
            if self.updated[label]:
                line += f", {self.updated[label]} updated"
            lines.append(line)
        if not self.changed:
            lines.append("Nothing changed: the demo data was already in place.")
        lines.extend(f"Warning: {warning}" for warning in self.warnings)
        lines.append("")
        lines.append("Demo logins (demo data only, never use these in production):")
        lines.append(f"  {'username':<22} {'password':<24} role")
        for login in self.logins:
            lines.append(f"  {login.username:<22} {login.password:<24} {login.role}")
        if self.two_factor_logins:
            names = " and ".join(self.two_factor_logins)
            lines.append("")
            lines.append(f"{names} then enter a code from an authenticator app with this demo")
            lines.append(f"secret (time-based, 6 digits): {demo_totp_secret_as_text()}")
            lines.append(
                f"or print the current code: .venv/bin/python manage.py demo_totp "
                f"{self.two_factor_logins[0]}"
            )
        return "\n".join(lines)


_COUNTED = (
    "organisations",
    "users",
    "memberships",
    "reporting periods",
    "commitments",
    "progress reports",
    "indicators",
    "indicator values",
    "prize nominations",
)


def demo_totp_key() -> str:
    """The demo secret as django-otp keeps it (hex)."""
    return base64.b32decode(DEMO_TOTP_SECRET).hex()


def demo_totp_secret_as_text() -> str:
    return two_factor.secret_as_text(demo_totp_key())


# ---------------------------------------------------------------------------------------------
# Entry point


def seed_demo(*, scale: int = 1, stdout: TextIO | None = None) -> DemoResult:
    """Create whatever demo content is missing for ``scale``, in one transaction.

    ``stdout``, if given, gets a line after each step, for runs that take minutes.
    """
    check_scale(scale)
    result = DemoResult(scale=scale)
    today = timezone.localdate()

    started = time_module.monotonic()

    def done(step: str) -> None:
        # Progress for long benchmark runs; the summary comes from the caller.
        if stdout is not None:
            stdout.write(f"  {step} done after {time_module.monotonic() - started:.1f} s\n")

    with transaction.atomic():
        extra_orgs = _ensure_extra_organisations(scale=scale, result=result)
        users = _ensure_users(result=result)
        periods = _ensure_periods(today=today, result=result)
        done("organisations, people and periods")
        _ensure_commitments(scale=scale, today=today, extra_orgs=extra_orgs, result=result)
        done("commitments")
        _ensure_progress_reports(today=today, periods=periods, users=users, result=result)
        done("progress reports")
        _ensure_indicators(scale=scale, today=today, result=result)
        done("indicators")
        _ensure_prize(today=today, result=result)
        _ensure_prize_jury(today=today)
        done("prize")
        _ensure_practices(result=result)  # practices
        # Written in bulk, past the services: whatever the cache keeps is stale.
        cache_versions.bump(cache_versions.DATA)
    _analyze_written_tables()
    return result


def _analyze_written_tables() -> None:
    """Give PostgreSQL's planner statistics of what was just loaded in bulk.

    Autovacuum would get to it within minutes; until then the planner takes the new tables for
    nearly empty and picks plans (nested loops over 50,000 reports) that cost a page hundreds
    of milliseconds. Inside an outer transaction (the tests) the rows are not final yet.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _rng(*key: object) -> random.Random:
    """A generator of its own for each natural key, so rows do not depend on each other."""
    return random.Random(":".join([_SEED, *map(str, key)]))


def _weighted_pick(rng: random.Random, options: Sequence, weights: Sequence[float], k: int):
    """``k`` distinct picks, more likely the heavier the weight."""
    chosen: list = []
    pool, pool_weights = list(options), list(weights)
    for _ in range(min(k, len(pool))):
        (index,) = rng.choices(range(len(pool)), weights=pool_weights)
        chosen.append(pool.pop(index))
        pool_weights.pop(index)
    return chosen


def _bulk_create(model, objects: list, *, history: bool = False) -> list:
    if not objects:
        return []
    if history:
        return bulk_create_with_history(
            objects, model, batch_size=_BATCH_SIZE, default_change_reason=_CHANGE_REASON
        )
    return model.objects.bulk_create(objects, batch_size=_BATCH_SIZE)


# ---------------------------------------------------------------------------------------------
# Organisations and people


def _extra_organisation_slug(number: int) -> str:
    return f"{_EXTRA_ORGANISATION_SLUG_PREFIX}{number:04d}"


def _ensure_extra_organisations(*, scale: int, result: DemoResult) -> dict[int, list[Organisation]]:
    """Invented partner agencies for larger scales, grouped by the scale step that adds them.

    Scale 1 uses the real organisations only; each further step brings three of its own, so a
    benchmark at scale 100 has a few hundred organisations to spread its commitments over.
    """
    wanted: dict[str, tuple[int, int]] = {}
    for block in range(1, scale):
        for position in range(_EXTRA_ORGANISATIONS_PER_SCALE):
            number = (block - 1) * _EXTRA_ORGANISATIONS_PER_SCALE + position + 1
            wanted[_extra_organisation_slug(number)] = (block, number)
    existing = {
        org.slug: org
        for org in Organisation.objects.filter(slug__startswith=_EXTRA_ORGANISATION_SLUG_PREFIX)
    }
    missing = [
        Organisation(
            name=f"Demo-organisation {number:04d}",
            short_name=f"Demo-org {number:04d}",
            slug=slug,
            kind=Organisation.Kind.STATE_AGENCY,
            affiliation=Organisation.Affiliation.PARTNER,
            contact_email=f"{slug}@{DEMO_EMAIL_DOMAIN}",
            is_active=True,
        )
        for slug, (_block, number) in wanted.items()
        if slug not in existing
    ]
    for org in _bulk_create(Organisation, missing):
        existing[org.slug] = org
    result.created["organisations"] += len(missing)

    by_block: dict[int, list[Organisation]] = defaultdict(list)
    for slug, (block, _number) in wanted.items():
        by_block[block].append(existing[slug])
    return by_block


@dataclass
class _DemoUsers:
    coordinator_by_org: dict[int, User] = field(default_factory=dict)
    county_staff: User | None = None


def _ensure_users(*, result: DemoResult) -> _DemoUsers:
    """One login per role, always with the documented password.

    A user name that belongs to somebody real (an address outside the demo domain) is left
    alone: the demo must never hand out a known password for a real account.
    """
    demo_users = _DemoUsers()
    orgs = {
        org.slug: org
        for org in Organisation.objects.filter(
            slug__in=[spec.organisation_slug for spec in content.USERS if spec.organisation_slug]
        )
    }
    for spec in content.USERS:
        organisation = orgs.get(spec.organisation_slug) if spec.organisation_slug else None
        if spec.organisation_slug and organisation is None:
            result.warnings.append(
                f"organisation {spec.organisation_slug!r} is missing; no {spec.username!r} login."
            )
            continue
        user = _ensure_user(spec, result=result)
        if user is None:
            continue
        if organisation is not None:
            had_membership = Membership.objects.filter(
                user=user, organisation=organisation
            ).exists()
            # Always through the service, which is idempotent and keeps permissions in step.
            membership_grant(
                user=user,
                organisation=organisation,
                role=spec.membership_role,
                is_contact_person=True,
            )
            result.created["memberships"] += int(not had_membership)
            if spec.membership_role == Membership.Role.COORDINATOR:
                demo_users.coordinator_by_org[organisation.pk] = user
            else:
                demo_users.county_staff = user
        result.logins.append(DemoLogin(spec.username, DEMO_PASSWORD, spec.role_label))
        if spec.is_superuser or spec.membership_role == Membership.Role.COUNTY_STAFF:
            _ensure_demo_app(user)
            result.two_factor_logins.append(spec.username)
    return demo_users


def _ensure_demo_app(user: User) -> None:
    """The demo login's authenticator app, with the published secret (only the secret and its
    being confirmed are put back; the last code used and the throttling are left as they are)."""
    wanted = {"key": demo_totp_key(), "confirmed": True}
    device = TOTPDevice.objects.filter(user=user, name=two_factor.APP_DEVICE_NAME).first()
    if device is None:
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(user=user, name=two_factor.APP_DEVICE_NAME, **wanted)
        return
    changed = [name for name, value in wanted.items() if getattr(device, name) != value]
    for name in changed:
        setattr(device, name, wanted[name])
    if changed:
        device.save(update_fields=changed)


def _ensure_user(spec: content.UserSpec, *, result: DemoResult) -> User | None:
    email = f"{spec.username}@{DEMO_EMAIL_DOMAIN}"
    wanted = {
        "first_name": "Demo",
        "last_name": spec.last_name,
        "email": email,
        "is_active": True,
        "is_staff": spec.is_superuser,
        "is_superuser": spec.is_superuser,
    }
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        user = User(username=spec.username, **wanted)
        user.set_password(DEMO_PASSWORD)
        user.save()
        result.created["users"] += 1
        return user
    if not user.email.lower().endswith(f"@{DEMO_EMAIL_DOMAIN}"):
        result.warnings.append(
            f"user {spec.username!r} exists and is not a demo user; left untouched, no login."
        )
        return None
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, wanted[name])
    # Re-hashing an unchanged password would still change the row (new salt), so check first.
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        changed.append("password")
    if changed:
        user.save(update_fields=changed)
        result.updated["users"] += 1
    return user


# ---------------------------------------------------------------------------------------------
# Reporting periods


def _period_dates(year: int, today: date) -> tuple[date, date, date]:
    """Opens, due and closes for a year's follow-up.

    Past years follow the usual rhythm (report in the first months of the following year).
    The current year's round is made open today, so that the reporting and "who is late"
    pages have something to show whenever the demo is loaded; last year's round, which would
    still run early in the year, is cut short to end yesterday, as periods may not overlap.
    """
    if year < today.year:
        closes_on = min(date(year + 1, 4, 30), today - timedelta(days=1))
        due_on = min(date(year + 1, 3, 31), closes_on)
        return min(date(year + 1, 1, 15), due_on), due_on, closes_on
    return min(date(year, 11, 1), today), date(year, 12, 15), date(year + 1, 1, 31)


def _ensure_periods(*, today: date, result: DemoResult) -> dict[int, ReportingPeriod]:
    periods = {period.year: period for period in ReportingPeriod.objects.all()}
    missing = []
    previous = None
    for year in range(FIRST_PERIOD_YEAR, today.year + 1):
        if year not in periods:
            opens_on, due_on, closes_on = _period_dates(year, today)
            if previous is not None and opens_on <= previous.closes_on:
                # A rerun in the new year, while the round that an earlier run opened still runs.
                opens_on = previous.closes_on + timedelta(days=1)
                due_on, closes_on = max(due_on, opens_on), max(closes_on, opens_on)
            missing.append(
                ReportingPeriod(year=year, opens_on=opens_on, due_on=due_on, closes_on=closes_on)
            )
        previous = periods.get(year) or missing[-1]
    for period in _bulk_create(ReportingPeriod, missing):
        periods[period.year] = period
    result.created["reporting periods"] += len(missing)
    return {year: periods[year] for year in range(FIRST_PERIOD_YEAR, today.year + 1)}


# ---------------------------------------------------------------------------------------------
# Commitments


# Member organisations carry most commitments; partners and municipalities fewer each.
_LEAD_WEIGHTS = {"member": 5.0, "partner": 3.0, "represented": 1.0, "demo": 12.0}
_AREA_WEIGHTS = {
    "vald-i-nara-relation": 5.0,
    "hedersrelaterat-vald-och-fortryck": 2.0,
    "manniskohandel-for-sexuella-andamal": 1.0,
    "prostitution": 1.0,
    "sexuellt-vald-oberoende-relation": 2.0,
}

# A few fixed commitments per plan, so that each demo coordinator has something to report on,
# alone and together with others: plan index -> (lead, participants).
_FEATURED = {
    0: ("polisen", []),
    1: ("huddinge", ["polisen", "stockholms-stad"]),
    2: ("polisen", ["huddinge"]),
    3: ("huddinge", []),
}


def _commitment_code(index: int) -> str:
    """Codes such as "3.2": the primary goal, then a running number for that goal."""
    return f"{index % 8 + 1}.{index // 8 + 1}"


@dataclass
class _CommitmentSpec:
    code: str
    title: str
    description: str
    goal_numbers: list[int]
    area_slugs: list[str]
    lead: Organisation
    participants: list[Organisation]
    start_year: int
    end_year: int
    state: str


def _organisation_weight(org: Organisation) -> float:
    if org.slug.startswith(_EXTRA_ORGANISATION_SLUG_PREFIX):
        return _LEAD_WEIGHTS["demo"]
    return _LEAD_WEIGHTS.get(org.affiliation, 1.0)


def _commitment_spec(
    plan: ActionPlan,
    index: int,
    *,
    pool: list[Organisation],
    by_slug: dict[str, Organisation],
    area_slugs: list[str],
    today: date,
) -> _CommitmentSpec:
    rng = _rng("commitment", plan.slug, index)
    primary = index % 8 + 1
    goal_numbers = [primary]
    if rng.random() < 0.4:
        goal_numbers.append(rng.choice([n for n in range(1, 9) if n != primary]))
    areas = _weighted_pick(
        rng, area_slugs, [_AREA_WEIGHTS.get(slug, 1.0) for slug in area_slugs], rng.randint(1, 2)
    )

    featured = _FEATURED.get(index)
    if featured and featured[0] in by_slug and all(s in by_slug for s in featured[1]):
        lead = by_slug[featured[0]]
        participants = [by_slug[slug] for slug in featured[1]]
    else:
        featured = None
        weights = [_organisation_weight(org) for org in pool]
        is_joint = index % 5 in (1, 3)
        picked = _weighted_pick(rng, pool, weights, 1 + (rng.randint(1, 3) if is_joint else 0))
        lead, participants = picked[0], picked[1:]

    start_year, end_year, state = _commitment_years(plan, index, rng, today, featured is not None)
    # Walk through a goal's titles in turn, so that neighbours in the list differ.
    titles = content.TITLES[primary]
    stem = titles[(index // 8 + plan.start_year) % len(titles)]
    title = f"{TITLE_PREFIX}{stem}"
    if participants:
        description = (
            f"Påhittat demoåtagande. {lead.short_name} leder satsningen tillsammans med "
            f"{', '.join(org.short_name for org in participants)}."
        )
    else:
        description = f"Påhittat demoåtagande som {lead.short_name} ansvarar för på egen hand."
    return _CommitmentSpec(
        code=_commitment_code(index),
        title=title,
        description=description,
        goal_numbers=goal_numbers,
        area_slugs=areas,
        lead=lead,
        participants=participants,
        start_year=start_year,
        end_year=end_year,
        state=state,
    )


def _commitment_years(
    plan: ActionPlan, index: int, rng: random.Random, today: date, featured: bool
) -> tuple[int, int, str]:
    state = Commitment.State
    first, last, year = plan.start_year, plan.end_year, today.year
    if featured:
        start, end = first, last
    else:
        start = first + (0 if rng.random() < 0.7 else 1)
        if start < last and last >= year and rng.random() < 0.1:
            start = last  # not started yet: a planned commitment
        end = last if rng.random() < 0.75 else max(start, last - 1)
    start, end = min(start, last), min(max(start, end), last)
    if not featured and index % 13 == 5 and start <= year:
        return start, min(end, year), state.CANCELLED
    if start > year:
        return start, end, state.PLANNED
    if end < year:
        return start, end, state.COMPLETED
    return start, end, state.ACTIVE


def _organisation_pools(
    plan: ActionPlan, *, real: list[Organisation], extra_orgs: dict[int, list[Organisation]]
):
    """The organisations a block of commitments draws from, per scale step."""
    # Försäkringskassan and Arbetsförmedlingen take part from 2024 on.
    base = [
        org
        for org in real
        if org.affiliation != Organisation.Affiliation.PARTNER or plan.end_year >= 2024
    ]

    def pool(block: int) -> list[Organisation]:
        return base + extra_orgs.get(block, [])

    return pool


def _ensure_commitments(
    *,
    scale: int,
    today: date,
    extra_orgs: dict[int, list[Organisation]],
    result: DemoResult,
) -> None:
    plans = list(ActionPlan.objects.order_by("start_year", "slug"))
    goals = {goal.number: goal for goal in Goal.objects.order_by("strategy__start_year")}
    areas = {area.slug: area for area in ViolenceArea.objects.order_by("slug")}
    real = list(
        Organisation.objects.active()
        .exclude(slug__startswith=_EXTRA_ORGANISATION_SLUG_PREFIX)
        .order_by("slug")
    )
    by_slug = {org.slug: org for org in real}
    # Taken codes, real or demo: a real commitment is never overwritten nor given demo reports.
    taken = set(Commitment.objects.values_list("plan_id", "code"))

    specs: list[tuple[ActionPlan, _CommitmentSpec]] = []
    per_plan = _COMMITMENTS_PER_PLAN_PER_SCALE
    for plan in plans:
        pools = _organisation_pools(plan, real=real, extra_orgs=extra_orgs)
        for index in range(per_plan * scale):
            if (plan.pk, _commitment_code(index)) in taken:
                continue
            spec = _commitment_spec(
                plan,
                index,
                pool=pools(index // per_plan),
                by_slug=by_slug,
                area_slugs=sorted(areas),
                today=today,
            )
            specs.append((plan, spec))

    commitments = [
        Commitment(
            plan=plan,
            code=spec.code,
            title=spec.title,
            description=spec.description,
            lead_organisation=spec.lead,
            start_year=spec.start_year,
            end_year=spec.end_year,
            state=spec.state,
            is_demo=True,
        )
        for plan, spec in specs
    ]
    created = _bulk_create(Commitment, commitments, history=True)
    pk_by_key = {(c.plan_id, c.code): c.pk for c in created}
    goal_links, area_links, participant_links = [], [], []
    for plan, spec in specs:
        pk = pk_by_key[(plan.pk, spec.code)]
        goal_links += [
            Commitment.goals.through(commitment_id=pk, goal_id=goals[number].pk)
            for number in spec.goal_numbers
            if number in goals
        ]
        area_links += [
            Commitment.violence_areas.through(commitment_id=pk, violencearea_id=areas[slug].pk)
            for slug in spec.area_slugs
        ]
        participant_links += [
            Commitment.participating_organisations.through(commitment_id=pk, organisation_id=org.pk)
            for org in spec.participants
        ]
    _bulk_create(Commitment.goals.through, goal_links)
    _bulk_create(Commitment.violence_areas.through, area_links)
    _bulk_create(Commitment.participating_organisations.through, participant_links)
    result.created["commitments"] += len(created)
    # Bulk inserts bypass the per-commitment grants, so grant the organisations' coordinator
    # groups here; over every demo commitment, which also mends an older demo and writes
    # nothing when all is in place.
    commitments_access_sync(commitments=Commitment.objects.filter(is_demo=True))


# ---------------------------------------------------------------------------------------------
# Progress reports


# Share of reports never written, by period; 2021 as it really was: only half followed up.
_MISSING_CLOSED = {2021: 0.45}
_MISSING_CLOSED_DEFAULT = 0.04
_MISSING_OPEN = 0.35

# Report states for the fixed commitments in the open period (None: not started, so late):
# (plan index, organisation slug) -> state.
_FEATURED_OPEN_STATES = {
    (0, "polisen"): None,
    (1, "huddinge"): ProgressReport.State.RETURNED,
    (1, "polisen"): ProgressReport.State.DRAFT,
    (1, "stockholms-stad"): ProgressReport.State.SUBMITTED,
    (2, "polisen"): ProgressReport.State.APPROVED,
    (2, "huddinge"): None,
    (3, "huddinge"): ProgressReport.State.DRAFT,
}
_FEATURED_BY_CODE = {
    (_commitment_code(index), slug): state for (index, slug), state in _FEATURED_OPEN_STATES.items()
}
_MISSING = object()


def _ensure_progress_reports(
    *,
    today: date,
    periods: dict[int, ReportingPeriod],
    users: _DemoUsers,
    result: DemoResult,
) -> None:
    """One report per organisation, commitment and year, for the demo commitments in the
    database (also those an earlier run made), except the ones left out on purpose."""
    commitments = list(
        Commitment.objects.filter(is_demo=True)
        .order_by("pk")
        .values(
            "pk", "plan__slug", "code", "lead_organisation_id", "start_year", "end_year", "state"
        )
    )
    participants: dict[int, list[int]] = defaultdict(list)
    for commitment_id, org_id in Commitment.participating_organisations.through.objects.filter(
        commitment__is_demo=True
    ).values_list("commitment_id", "organisation_id"):
        participants[commitment_id].append(org_id)
    slugs = dict(Organisation.objects.values_list("pk", "slug"))
    existing = set(
        ProgressReport.objects.filter(commitment__is_demo=True).values_list(
            "commitment_id", "organisation_id", "period_id"
        )
    )
    now = timezone.now()
    first_period_year = min(periods)

    reports: list[ProgressReport] = []
    reworked: list[_Rework] = []
    for commitment in commitments:
        org_ids = [commitment["lead_organisation_id"], *sorted(participants[commitment["pk"]])]
        last = min(commitment["end_year"], today.year)
        for year in range(max(commitment["start_year"], first_period_year), last + 1):
            period = periods[year]
            for org_id in org_ids:
                if (commitment["pk"], org_id, period.pk) in existing:
                    continue
                report = _progress_report(
                    commitment, org_id, slugs[org_id], period, today=today, now=now, users=users
                )
                if isinstance(report, _Rework):
                    reworked.append(report)
                elif report is not None:
                    reports.append(report)
    _bulk_create(ProgressReport, reports, history=True)
    # Their history is written out step by step (submitted, returned, submitted, approved).
    _bulk_create(ProgressReport, [rework.report for rework in reworked])
    _bulk_create(
        ProgressReport.history.model,
        [row for rework in reworked for row in rework.history_rows(users)],
    )
    result.created["progress reports"] += len(reports) + len(reworked)


def _progress_report(
    commitment: dict,
    org_id: int,
    org_slug: str,
    period: ReportingPeriod,
    *,
    today: date,
    now: datetime,
    users: _DemoUsers,
) -> ProgressReport | _Rework | None:
    year = period.year
    is_open = year == today.year
    rng = _rng("report", commitment["plan__slug"], commitment["code"], org_slug, year)
    state = _report_state(rng, commitment["code"], org_slug, year, is_open)
    if state is _MISSING:
        return None
    states = ProgressReport.State
    status, percent = _report_status(rng, commitment, year, approved=state == states.APPROVED)
    is_draft = state == states.DRAFT
    if status == ProgressReport.Status.NOT_STARTED:
        # The text says why nothing has been done yet, not what was done.
        work_done, results = rng.choice(content.NOT_STARTED_WORK), ""
    else:
        work_done = " ".join(rng.sample(content.WORK_DONE, 1 if is_draft else 2))
        results = "" if is_draft and rng.random() < 0.5 else rng.choice(content.RESULTS)
    report = ProgressReport(
        commitment_id=commitment["pk"],
        organisation_id=org_id,
        period=period,
        state=state,
        status=status,
        percent_done=percent,
        work_done=work_done,
        results=results,
        obstacles=rng.choice(content.OBSTACLES),
        next_steps="" if is_draft else rng.choice(content.NEXT_STEPS),
        version={states.DRAFT: 1, states.SUBMITTED: 2}.get(state, 3),
    )
    if is_draft:
        return report

    # Reports come in over the period, a few after the due date; none in the future, and in
    # the open period early enough for the county staff to have reviewed some since.
    if is_open:
        last_day = min(today - timedelta(days=1), period.closes_on)
    else:
        last_day = min(period.due_on + timedelta(days=14), period.closes_on)
    window = max((last_day - period.opens_on).days, 0)
    submitted_on = period.opens_on + timedelta(days=rng.randint(0, window))
    report.submitted_at = min(_at(submitted_on, rng), now)
    report.submitted_by = users.coordinator_by_org.get(org_id)
    if state in (states.RETURNED, states.APPROVED):
        reviewed_on = submitted_on + timedelta(days=rng.randint(1, 14))
        if is_open:
            reviewed_on = min(reviewed_on, today)
        report.reviewed_at = max(min(_at(reviewed_on, rng), now), report.submitted_at)
        report.reviewed_by = users.county_staff
        comments = content.RETURN_COMMENTS if state == states.RETURNED else content.APPROVE_COMMENTS
        report.review_comment = rng.choice(comments)
    if not is_open and report.results and rng.random() < _RETURNED_THEN_APPROVED:
        return _Rework.of(report, rng, now=now)
    return report


# Share of the closed rounds' reports that county staff returned once before approving them.
_RETURNED_THEN_APPROVED = 0.06


@dataclass
class _Rework:
    """A closed round's report that was returned for completion, then sent in again and approved:
    the report as it ends, and the moments of its four steps."""

    report: ProgressReport
    first_submitted_at: datetime
    returned_at: datetime

    @classmethod
    def of(cls, report: ProgressReport, rng: random.Random, *, now: datetime) -> _Rework:
        first_submitted_at = report.submitted_at
        returned_at = min(first_submitted_at + timedelta(days=rng.randint(2, 8)), now)
        resubmitted_at = min(returned_at + timedelta(days=rng.randint(2, 10)), now)
        report.submitted_at = resubmitted_at
        report.reviewed_at = min(resubmitted_at + timedelta(days=rng.randint(1, 7)), now)
        report.review_comment = content.APPROVE_AFTER_RETURN_COMMENT
        report.results = rng.choice(content.RESULTS_WITH_FIGURES)
        report.version = 5
        return cls(report, first_submitted_at, returned_at)

    def history_rows(self, users: _DemoUsers) -> list:
        """What the report's history says: sent in without results, returned asking for them,
        sent in again with them, approved (the reasons followup.history names)."""
        report = self.report
        submitter = users.coordinator_by_org.get(report.organisation_id)
        reviewer = users.county_staff
        first = {
            "state": ProgressReport.State.SUBMITTED,
            "results": "",
            "submitted_at": self.first_submitted_at,
            "reviewed_at": None,
            "reviewed_by_id": None,
            "review_comment": "",
            "version": 2,
        }
        returned = {
            **first,
            "state": ProgressReport.State.RETURNED,
            "reviewed_at": self.returned_at,
            "reviewed_by_id": reviewer.pk if reviewer else None,
            "review_comment": content.RETURN_COMMENT_ASKING_FOR_RESULTS,
            "version": 3,
        }
        resubmitted = {
            "state": ProgressReport.State.SUBMITTED,
            "reviewed_at": self.returned_at,
            "review_comment": content.RETURN_COMMENT_ASKING_FOR_RESULTS,
            "version": 4,
        }
        return [
            _history_row(report, "+", "submit", submitter, self.first_submitted_at, first),
            _history_row(report, "~", "returned", reviewer, self.returned_at, returned),
            _history_row(report, "~", "submit", submitter, report.submitted_at, resubmitted),
            _history_row(report, "~", "approved", reviewer, report.reviewed_at, {}),
        ]


def _history_row(report, kind: str, reason: str, user, when: datetime, changes: dict):
    """One django-simple-history record of `report`, with `changes` over its final values."""
    values = {
        field.attname: getattr(report, field.attname) for field in report._meta.concrete_fields
    }
    values.update(changes)
    return ProgressReport.history.model(
        **values,
        history_type=kind,
        history_change_reason=reason,
        history_user=user,
        history_date=when,
    )


def _at(day: date, rng: random.Random) -> datetime:
    """A time during office hours on ``day``, in the portal's time zone."""
    moment = time(rng.randint(8, 16), rng.choice((0, 15, 30, 45)))
    return timezone.make_aware(datetime.combine(day, moment))


def _report_state(rng: random.Random, code: str, org_slug: str, year: int, is_open: bool):
    states = ProgressReport.State
    if is_open:
        if (code, org_slug) in _FEATURED_BY_CODE:
            featured = _FEATURED_BY_CODE[(code, org_slug)]
            return _MISSING if featured is None else featured
        roll = rng.random()
        if roll < _MISSING_OPEN:
            return _MISSING
        return rng.choices(
            [states.DRAFT, states.SUBMITTED, states.RETURNED, states.APPROVED],
            weights=[30, 35, 12, 23],
        )[0]
    if rng.random() < _MISSING_CLOSED.get(year, _MISSING_CLOSED_DEFAULT):
        return _MISSING
    # Closed rounds were all reviewed (a few returned once first, see _Rework): the review
    # queue holds only the open round's reports.
    return states.APPROVED


def _report_status(
    rng: random.Random, commitment: dict, year: int, *, approved: bool
) -> tuple[str, int]:
    """The status and share done; an approved report describes work done, so it is never
    "not started" nor at 0 %."""
    status = ProgressReport.Status
    state = Commitment.State
    if year == commitment["end_year"]:
        if commitment["state"] == state.CANCELLED:
            return status.CANCELLED, rng.randint(10, 60)
        if commitment["state"] == state.COMPLETED:
            return status.COMPLETED, 100
    # Mostly in a commitment's first year; now and then one that stalled later.
    not_started_share = 0.2 if year == commitment["start_year"] else 0.06
    if not approved and rng.random() < not_started_share:
        return status.NOT_STARTED, 0
    span = commitment["end_year"] - commitment["start_year"] + 1
    expected = round(100 * (year - commitment["start_year"] + 1) / span)
    roll = rng.random()
    if roll < 0.6:
        return status.ON_TRACK, min(95, max(5, expected - rng.randint(0, 10)))
    if roll < 0.85:
        return status.MINOR_DEVIATION, min(90, max(5, expected - rng.randint(10, 25)))
    return status.MAJOR_DEVIATION, min(80, max(5, expected - rng.randint(25, 50)))


# ---------------------------------------------------------------------------------------------
# Indicators


def _ensure_indicators(*, scale: int, today: date, result: DemoResult) -> None:
    goals = {goal.number: goal for goal in Goal.objects.order_by("strategy__start_year")}
    specs = [spec for spec in content.INDICATORS if spec.goal in goals]
    existing = {indicator.slug: indicator for indicator in Indicator.objects.all()}
    missing = [
        Indicator(
            name=f"{TITLE_PREFIX}{spec.name}",
            name_en=f"{TITLE_PREFIX}{content.INDICATOR_NAMES_EN[spec.name]}",
            slug=spec.slug,
            kind=spec.kind,
            unit=spec.unit,
            source=spec.source,
            desired_direction=spec.direction,
            description="Påhittade värden för demonstration, inte verklig statistik.",
            description_en=content.INDICATOR_DESCRIPTION_EN,
            by_sex=spec.sex_factors is not None,
            base_year=FIRST_INDICATOR_YEAR,
            kolada_kpi=spec.kolada_kpi or None,
            is_demo=True,
        )
        for spec in specs
        if spec.slug not in existing
    ]
    created = _bulk_create(Indicator, missing)
    Indicator.goals.through.objects.bulk_create(
        [
            Indicator.goals.through(indicator_id=indicator.pk, goal_id=goals[spec.goal].pk)
            for indicator in created
            for spec in specs
            if spec.slug == indicator.slug
        ]
    )
    for indicator in created:
        existing[indicator.slug] = indicator
    result.created["indicators"] += len(missing)

    areas = {area.code: area for area in Area.objects.all()}
    municipalities = [
        area
        for area in areas.values()
        if area.kind == Area.Kind.MUNICIPALITY
        and (scale > 1 or area.code in content.SAMPLE_MUNICIPALITY_CODES)
    ]
    indicators = [(spec, existing[spec.slug]) for spec in specs]
    taken = set(
        IndicatorValue.objects.filter(indicator__in=[ind for _spec, ind in indicators]).values_list(
            "indicator_id", "year", "area_id", "sex"
        )
    )
    values = []
    for spec, indicator in indicators:
        if not indicator.is_demo:
            continue  # somebody made a real indicator with the demo's slug; leave it be
        for area in [areas[COUNTY_CODE], *(municipalities if spec.per_municipality else [])]:
            values += _indicator_values(spec, indicator, area, today=today, taken=taken)
    values += _valj_att_sluta_values(goals, areas[COUNTY_CODE], result=result)
    _bulk_create(IndicatorValue, values)
    result.created["indicator values"] += len(values)
    _ensure_survey_answers(goals, areas, today=today, result=result)


def _valj_att_sluta_values(goals: dict, county: Area, *, result: DemoResult) -> list:
    """The real figures of the helpline Välj att sluta: not demo data, so is_demo stays off."""
    spec = content.VALJ_ATT_SLUTA
    if spec["goal"] not in goals:
        return []
    indicator, created = Indicator.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            "name": spec["name"],
            "name_en": content.INDICATOR_NAMES_EN[spec["name"]],
            "kind": Indicator.Kind.COUNT,
            "unit": spec["unit"],
            "source": spec["source"],
            "desired_direction": Indicator.Direction.INCREASE,
            "description": "Samtal till stödlinjen för den som vill sluta utöva våld.",
            "description_en": "Calls to the helpline for those who want to stop using violence.",
        },
    )
    if created:
        indicator.goals.set([goals[spec["goal"]]])
        result.created["indicators"] += 1
    taken = set(indicator.values.filter(area=county).values_list("year", flat=True))
    return [
        IndicatorValue(indicator=indicator, year=year, area=county, value=Decimal(value))
        for year, value in spec["values"].items()
        if year not in taken
    ]


def _ensure_survey_answers(goals: dict, areas: dict, *, today: date, result: DemoResult) -> None:
    """One yes/no question answered by every municipality, Stockholm through its districts."""
    spec = content.YES_NO_INDICATOR
    if spec["goal"] not in goals:
        return
    indicator, created = Indicator.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            "name": f"{TITLE_PREFIX}{spec['name']}",
            "name_en": f"{TITLE_PREFIX}{content.INDICATOR_NAMES_EN[spec['name']]}",
            "kind": Indicator.Kind.YES_NO_SHARE,
            "unit": "procent",
            "source": spec["source"],
            "desired_direction": Indicator.Direction.INCREASE,
            "description": "Påhittade svar för demonstration, inte verklig statistik.",
            "description_en": "Invented answers for demonstration, not real statistics.",
            "base_year": FIRST_INDICATOR_YEAR,
            "is_demo": True,
        },
    )
    if created:
        indicator.goals.set([goals[spec["goal"]]])
        result.created["indicators"] += 1
    if not indicator.is_demo:
        return
    units = [
        area
        for area in areas.values()
        if area.answers_surveys and area.code != STOCKHOLM_MUNICIPALITY_CODE
    ]
    taken = set(indicator.survey_answers.values_list("year", "area_id"))
    answers = []
    for year in range(FIRST_INDICATOR_YEAR, today.year):
        share = min(
            0.95, spec["first_share"] + spec["yearly_change"] * (year - FIRST_INDICATOR_YEAR)
        )
        for area in units:
            if (year, area.pk) not in taken:
                says_yes = _rng("answer", spec["slug"], area.code, year).random() < share
                answers.append(
                    SurveyAnswer(indicator=indicator, year=year, area=area, answer=says_yes)
                )
    _bulk_create(SurveyAnswer, answers)
    result.created["indicator values"] += len(answers)


def _indicator_values(
    spec: content.IndicatorSpec,
    indicator: Indicator,
    area: Area,
    *,
    today: date,
    taken: set,
) -> Iterable[IndicatorValue]:
    """A believable series for one area: its own level, a trend and some yearly noise."""
    area_key = "county" if area.is_county else area.code
    level = spec.base * (
        1 if area.is_county else _rng("area", spec.name, area_key).uniform(0.75, 1.25)
    )
    sexes = [IndicatorValue.Sex.ALL]
    if spec.sex_factors:
        sexes += [IndicatorValue.Sex.WOMEN, IndicatorValue.Sex.MEN]
    # Statistics for a year come out the year after.
    for year in range(FIRST_INDICATOR_YEAR, today.year):
        trend = (1 + spec.yearly_change) ** (year - FIRST_INDICATOR_YEAR)
        for sex in sexes:
            key = (indicator.pk, year, area.pk, sex)
            if key in taken:
                continue
            noise = _rng("value", spec.name, area_key, year, sex).uniform(0.96, 1.04)
            factor = 1.0
            if sex == IndicatorValue.Sex.WOMEN:
                factor = spec.sex_factors[0]
            elif sex == IndicatorValue.Sex.MEN:
                factor = spec.sex_factors[1]
            value = level * trend * noise * factor
            if spec.is_percent:
                value = min(value, 100.0)
            yield IndicatorValue(
                indicator=indicator,
                year=year,
                area=area,
                sex=sex,
                value=Decimal(f"{value:.2f}"),
            )


# ---------------------------------------------------------------------------------------------
# prize: this year's call, open, with a few marked demo nominations


def _ensure_prize(*, today: date, result: DemoResult) -> None:
    from prize.models import Motivation, Nomination, PrizeCall
    from prize.services import prize_call_create

    call = PrizeCall.objects.filter(year=today.year).first()
    if call is None:
        call = prize_call_create(
            year=today.year,
            opens_on=today - timedelta(days=14),
            closes_on=today + timedelta(days=30),
            description="Demo: nomineringsomgång med påhittade nomineringar.",
        )
    criteria = list(call.criteria.all())
    users = {
        user.username: user for user in User.objects.filter(username__startswith="samordnare.")
    }
    organisations = {
        org.slug: org for org in Organisation.objects.filter(slug__in=["huddinge", "polisen"])
    }
    existing = set(call.nominations.values_list("title", flat=True))
    now = timezone.now()
    for username, slug, unit, title, summary in content.PRIZE_NOMINATIONS:
        if title in existing or slug not in organisations:
            continue
        if username is not None and username not in users:
            continue
        visitor = (
            {}
            if username
            else {
                "nominator_name": "Demo Besökare",
                "nominator_email": f"besokare@{DEMO_EMAIL_DOMAIN}",
                "email_confirmed_at": now,
            }
        )
        nomination = Nomination.objects.create(
            call=call,
            organisation=organisations[slug],
            unit_name=unit,
            title=title,
            summary=summary,
            nominator=users.get(username) if username else None,
            state=Nomination.State.SUBMITTED,
            submitted_at=now,
            **visitor,
        )
        Motivation.objects.bulk_create(
            Motivation(nomination=nomination, criterion=criterion, text=content.PRIZE_MOTIVATION)
            for criterion in criteria
        )
        result.created["prize nominations"] += 1


# ---------------------------------------------------------------------------------------------
# prize (jury): the demo coordinators of Huddinge (chair) and Polisen sit on this year's jury;
# each is a member of a nominated organisation, so each meets the conflict-of-interest rule.


def _ensure_prize_jury(*, today: date) -> None:
    from prize.models import JuryMember, PrizeCall

    call = PrizeCall.objects.filter(year=today.year).first()
    if call is None:
        return
    for username, is_chair in content.PRIZE_JURY:
        user = User.objects.filter(username=username).first()
        if user is None or JuryMember.objects.filter(call=call, user=user).exists():
            continue
        chair_taken = JuryMember.objects.filter(call=call, is_chair=True).exists()
        JuryMember.objects.create(call=call, user=user, is_chair=is_chair and not chair_taken)


# practices: a few invented entries in the good-practice library, linked to demo commitments


def _ensure_practices(*, result: DemoResult) -> None:
    """The demo's library entries that are missing, each linked to two demo commitments of its
    organisation. Made through the services, as people would."""
    existing = set(Practice.objects.filter(is_demo=True).values_list("slug", flat=True))
    for spec in content.PRACTICES:
        if spec.slug in existing:
            continue
        organisation = Organisation.objects.filter(slug=spec.organisation_slug).first()
        if organisation is None:
            continue
        proposer = User.objects.filter(username=spec.proposer_username).first()
        practice = practice_services.practice_create(
            proposing_organisation=organisation,
            created_by=proposer,
            title=spec.title,
            summary=spec.summary,
            target_group=spec.target_group,
            evidence_level=spec.evidence_level,
            what_is_done=spec.what_is_done,
            organisation_of_work=spec.organisation_of_work,
            cost=spec.cost,
            is_demo=True,
            municipalities=Organisation.objects.filter(
                municipality_code__in=spec.municipality_codes
            ),
            goals=Goal.objects.filter(number__in=spec.goal_numbers),
            violence_areas=ViolenceArea.objects.filter(slug__in=spec.area_slugs),
            commitments=Commitment.objects.filter(
                is_demo=True, lead_organisation=organisation
            ).order_by("-plan__start_year", "code")[:2],
        )
        # The slug follows the title; the demo's are fixed so that a second run finds them.
        Practice.objects.filter(pk=practice.pk).update(slug=spec.slug)
        practice.slug = spec.slug
        practice = practice_services.practice_propose(practice=practice, user=proposer)
        if spec.state == Practice.State.APPROVED:
            practice_services.practice_approve(practice=practice, user=None)
        result.created["good practices"] += 1
