"""Every URL of the portal, every persona, GET and POST: the expected answer, and nothing changed
by a refused request. A URL that is missing here fails `test_every_url_is_in_the_matrix`."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from actionplan.models import (
    ActionPlan,
    Commitment,
    CommitmentGroupObjectPermission,
    Delegation,
)
from actors.models import Invitation, Membership, invitation_token_hash
from countyreport.models import CountyReport, GoalAnalysis, ReportBuild
from followup.models import CommitmentFollow, ProgressReport, Reminder, ReportingPeriod
from indicators.models import Indicator, IndicatorValue, SurveyAnswer
from practices.models import Practice
from tests.factories import IndicatorFactory, PracticeFactory
from tests.personas import PERSONAS, build_world

pytestmark = pytest.mark.django_db

LOGIN = "login-redirect"  # a 302 to the login page: refused for visitors
ALL_200 = dict.fromkeys(PERSONAS, 200)


def everyone(status, visitor=None):
    return {**dict.fromkeys(PERSONAS, status), **({"visitor": visitor} if visitor else {})}


def members(*statuses, **by_name):
    """Signed-in personas, positionally in the order of PERSONAS (or by name); the visitor is sent
    to the login page."""
    signed_in = PERSONAS[1:]
    assert len(statuses) in (0, len(signed_in)), f"give one status for each of {signed_in}"
    answers = dict(zip(signed_in, statuses, strict=False)) | by_name
    assert set(answers) == set(signed_in), answers
    return {"visitor": LOGIN, **answers}


# County staff follow up and administrators may look; coordinators and delegates may not.
COUNTY_READS = {
    "coordinator_a": 403,
    "coordinator_b": 403,
    "delegate": 403,
    "county_staff": 200,
    "county_coordinator": 200,
    "staff_only": 403,
    "administrator": 200,
}
COUNTY_WRITES = COUNTY_READS | {
    "county_staff": 302,
    "county_coordinator": 302,
    "administrator": 403,
}

# indicators: those who may manage the indicators (county staff and administrators).
COUNTY_ALL = ("county_staff", "county_coordinator", "administrator")

INVITATION_TOKEN = "matrix-invitation-token-with-enough-characters"


def _invitation(world) -> Invitation:
    """A pending invitation to A (for an address none of the personas has), made in the world."""
    invitation = Invitation.objects.create(
        email="invited@example.org",
        organisation=world.commitment.lead_organisation,
        role=Invitation.Role.COLLEAGUE,
        invited_by=world.users["administrator"],
        expires_at=timezone.now() + datetime.timedelta(days=7),
        token_hash=invitation_token_hash(INVITATION_TOKEN),
    )
    return invitation


# case id: (url name, arguments from the world, expected GET, expected POST);
# members(coordinator A, coordinator B, A's delegate, county staff, county staff who coordinate B,
#         staff only, administrator)
MATRIX = {
    "home": ("home", lambda w: {}, ALL_200, everyone(405)),
    "administration": (
        "actors:administration",
        lambda w: {},
        members(403, 403, 403, 403, 403, 403, 200),
        members(403, 403, 403, 403, 403, 403, 405),
    ),
    "audit-log": (
        "actors:audit-log",
        lambda w: {},
        members(403, 403, 403, 403, 403, 403, 200),
        members(403, 403, 403, 403, 403, 403, 405),
    ),
    # The administration of organisations and people: administrators only.
    "organisation-list": (
        "actors:organisation-list",
        lambda w: {},
        members(403, 403, 403, 403, 403, 403, 200),
        members(403, 403, 403, 403, 403, 403, 405),
    ),
    # An empty POST is re-rendered with errors: nothing is added or changed.
    "organisation-create": (
        "actors:organisation-create",
        lambda w: {},
        members(403, 403, 403, 403, 403, 403, 200),
        members(403, 403, 403, 403, 403, 403, 200),
    ),
    "organisation-update": (
        "actors:organisation-update",
        lambda w: {"pk": w.commitment.lead_organisation_id},
        members(403, 403, 403, 403, 403, 403, 200),
        members(403, 403, 403, 403, 403, 403, 200),
    ),
    "organisation-deactivate": (
        "actors:organisation-deactivate",
        lambda w: {"pk": w.commitment.lead_organisation_id},
        members(403, 403, 403, 403, 403, 403, 200),
        members(403, 403, 403, 403, 403, 403, 302),
    ),
    # A is active already: reactivating it changes nothing.
    "organisation-reactivate": (
        "actors:organisation-reactivate",
        lambda w: {"pk": w.commitment.lead_organisation_id},
        members(403, 403, 403, 403, 403, 403, 200),
        members(403, 403, 403, 403, 403, 403, 302),
    ),
    "organisation-detail": (
        "followup:organisation-detail",
        lambda w: {"pk": w.commitment.lead_organisation_id},
        members(403, 403, 403, 403, 403, 403, 200),
        everyone(405, visitor=LOGIN),
    ),
    "person-list": (
        "actors:person-list",
        lambda w: {},
        members(403, 403, 403, 403, 403, 403, 200),
        members(403, 403, 403, 403, 403, 403, 405),
    ),
    "person-detail": (
        "actors:person-detail",
        lambda w: {"pk": w.users["coordinator_a"].pk},
        members(403, 403, 403, 403, 403, 403, 200),
        everyone(405, visitor=LOGIN),
    ),
    # An empty POST would take the administrator's own rights: refused, they are the last one.
    "person-access": (
        "actors:person-access",
        lambda w: {"pk": w.users["administrator"].pk},
        everyone(405, visitor=LOGIN),
        members(403, 403, 403, 403, 403, 403, 200),
    ),
    "membership-create": (
        "actors:membership-create",
        lambda w: {"pk": w.users["coordinator_a"].pk},
        members(403, 403, 403, 403, 403, 403, 200),
        members(403, 403, 403, 403, 403, 403, 200),
    ),
    "membership-update": (
        "actors:membership-update",
        lambda w: {
            "pk": w.users["coordinator_a"].pk,
            "membership_pk": w.users["coordinator_a"].memberships.get().pk,
        },
        members(403, 403, 403, 403, 403, 403, 200),
        members(403, 403, 403, 403, 403, 403, 200),
    ),
    "membership-end": (
        "actors:membership-end",
        lambda w: {
            "pk": w.users["coordinator_a"].pk,
            "membership_pk": w.users["coordinator_a"].memberships.get().pk,
        },
        members(403, 403, 403, 403, 403, 403, 200),
        members(403, 403, 403, 403, 403, 403, 302),
    ),
    # Invitations: administrators manage them; the link is public, and opens its invitation
    # only for a visitor (who makes an account) or the account with the invited address.
    "invitation-list": (
        "actors:invitation-list",
        lambda w: {},
        members(403, 403, 403, 403, 403, 403, 200),
        members(403, 403, 403, 403, 403, 403, 405),
    ),
    "invitation-create": (
        "actors:invitation-create",
        lambda w: {},
        members(403, 403, 403, 403, 403, 403, 200),
        # An empty POST is re-rendered with errors: nothing is sent.
        members(403, 403, 403, 403, 403, 403, 200),
    ),
    "invitation-resend": (
        "actors:invitation-resend",
        lambda w: {"pk": _invitation(w).pk},
        everyone(405, visitor=LOGIN),
        members(403, 403, 403, 403, 403, 403, 302),
    ),
    "invitation-revoke": (
        "actors:invitation-revoke",
        lambda w: {"pk": _invitation(w).pk},
        everyone(405, visitor=LOGIN),
        members(403, 403, 403, 403, 403, 403, 302),
    ),
    "invitation-accept": (
        "actors:invitation-accept",
        lambda w: {"token": _invitation(w) and INVITATION_TOKEN},
        everyone(403, visitor=200),
        # A visitor's empty POST is re-rendered with errors: no account is made.
        everyone(403, visitor=200),
    ),
    "invitation-accept-junk": (
        "actors:invitation-accept",
        lambda w: {"token": "not-an-invitation"},
        everyone(404),
        everyone(404),
    ),
    # The action plans' administration (actionplan.administration_views): administrators only.
    # An administrator's empty POST is answered with the form's errors, and saves nothing.
    "plan-list": (
        "actionplan:plan-list",
        lambda w: {},
        members(403, 403, 403, 403, 403, 403, 200),
        members(403, 403, 403, 403, 403, 403, 200),
    ),
    "plan-detail": (
        "actionplan:plan-detail",
        lambda w: {"pk": w.commitment.plan_id},
        members(403, 403, 403, 403, 403, 403, 200),
        members(403, 403, 403, 403, 403, 403, 405),
    ),
    "import-template": (
        "actionplan:import-template",
        lambda w: {"extension": "xlsx"},
        members(403, 403, 403, 403, 403, 403, 200),
        members(403, 403, 403, 403, 403, 403, 405),
    ),
    "commitment-import": (
        "actionplan:commitment-import",
        lambda w: {"pk": w.commitment.plan_id},
        members(403, 403, 403, 403, 403, 403, 200),
        members(403, 403, 403, 403, 403, 403, 200),
    ),
    # A preview id that nobody's session holds: nothing to see or confirm.
    "commitment-import-preview": (
        "actionplan:commitment-import-preview",
        lambda w: {"pk": w.commitment.plan_id, "token": "made-up"},
        members(403, 403, 403, 403, 403, 403, 404),
        members(403, 403, 403, 403, 403, 403, 404),
    ),
    # An empty POST closes nothing: the administrator is sent back with a message.
    "commitment-close": (
        "actionplan:commitment-close",
        lambda w: {"pk": w.commitment.pk},
        members(403, 403, 403, 403, 403, 403, 405),
        members(403, 403, 403, 403, 403, 403, 302),
    ),
    "commitment-list": ("actionplan:commitment-list", lambda w: {}, ALL_200, everyone(405)),
    # Exports (CSV by default). Commitments are public; reports as visible_to says (drafts
    # only for their organisation: tests/followup/test_report_export.py); organisations and
    # people for administrators only.
    "commitment-export": ("actionplan:commitment-export", lambda w: {}, ALL_200, everyone(405)),
    "report-export": (
        "followup:report-export",
        lambda w: {},
        everyone(200, visitor=LOGIN),
        everyone(405, visitor=LOGIN),
    ),
    "organisation-export": (
        "actors:organisation-export",
        lambda w: {},
        members(403, 403, 403, 403, 403, 403, 200),
        members(403, 403, 403, 403, 403, 403, 405),
    ),
    "person-export": (
        "actors:person-export",
        lambda w: {},
        members(403, 403, 403, 403, 403, 403, 200),
        members(403, 403, 403, 403, 403, 403, 405),
    ),
    "commitment-detail": (
        "followup:commitment-detail",
        lambda w: {"pk": w.commitment.pk},
        ALL_200,
        everyone(405),
    ),
    "my-tasks": (
        "followup:my-tasks",
        lambda w: {},
        everyone(200, visitor=LOGIN),
        everyone(405, visitor=LOGIN),
    ),
    "report-edit-delegated": (
        "followup:report-edit",
        lambda w: {"commitment_pk": w.commitment.pk, "organisation_slug": "a"},
        members(200, 404, 200, 403, 403, 404, 403),
        # An empty POST is re-rendered with errors: allowed, and nothing saved.
        members(200, 404, 200, 403, 403, 404, 403),
    ),
    "report-edit-not-delegated": (
        "followup:report-edit",
        lambda w: {"commitment_pk": w.other_commitment.pk, "organisation_slug": "a"},
        members(200, 404, 404, 403, 403, 404, 403),
        members(200, 404, 404, 403, 403, 404, 403),
    ),
    "report-edit-wrong-organisation": (
        "followup:report-edit",
        lambda w: {"commitment_pk": w.commitment.pk, "organisation_slug": "b"},
        members(**dict.fromkeys(PERSONAS[1:], 404)),
        members(**dict.fromkeys(PERSONAS[1:], 404)),
    ),
    # Sent in: the reporting organisation, county staff and administrators; nobody else.
    "report-detail-submitted": (
        "followup:report-detail",
        lambda w: {"pk": w.b_submitted.pk},
        members(404, 200, 404, 200, 200, 404, 200),
        everyone(405, visitor=LOGIN),
    ),
    "report-detail-submitted-delegated": (
        "followup:report-detail",
        lambda w: {"pk": w.a_submitted.pk},
        members(200, 404, 200, 200, 200, 404, 200),
        everyone(405, visitor=LOGIN),
    ),
    "report-detail-draft": (
        "followup:report-detail",
        lambda w: {"pk": w.a_draft.pk},
        members(200, 404, 404, 404, 404, 404, 404),
        everyone(405, visitor=LOGIN),
    ),
    "report-approve": (
        "followup:report-approve",
        lambda w: {"pk": w.b_submitted.pk},
        everyone(405, visitor=LOGIN),
        # County staff's empty POST is refused by the form with a message: nothing changes.
        # Nobody reviews their own organisation's report.
        members(404, 403, 404, 302, 403, 404, 403),
    ),
    # A's report: county staff who coordinate B review it like all county staff.
    "report-approve-other-organisation": (
        "followup:report-approve",
        lambda w: {"pk": w.a_submitted.pk},
        everyone(405, visitor=LOGIN),
        members(403, 404, 403, 302, 302, 404, 403),
    ),
    "report-approve-draft": (
        "followup:report-approve",
        lambda w: {"pk": w.a_draft.pk},
        everyone(405, visitor=LOGIN),
        members(403, 404, 404, 404, 404, 404, 404),
    ),
    "report-return": (
        "followup:report-return",
        lambda w: {"pk": w.b_submitted.pk},
        everyone(405, visitor=LOGIN),
        members(404, 403, 404, 200, 403, 404, 403),
    ),
    "review-queue": (
        "followup:review-queue",
        lambda w: {},
        members(403, 403, 403, 200, 200, 403, 200),
        members(403, 403, 403, 405, 405, 403, 405),
    ),
    "delegation-create": (
        "actionplan:delegation-create",
        lambda w: {"commitment_pk": w.commitment.pk},
        members(200, 403, 403, 403, 403, 403, 403),
        members(200, 403, 403, 403, 403, 403, 403),
    ),
    "delegation-revoke": (
        "actionplan:delegation-revoke",
        lambda w: {"pk": w.delegation.pk},
        everyone(405, visitor=LOGIN),
        members(302, 404, 403, 403, 403, 404, 403),
    ),
    "follow": (
        "followup:follow",
        lambda w: {"commitment_pk": w.commitment.pk},
        everyone(405, visitor=LOGIN),
        # An empty POST means "stop following", which changes nothing for nobody-followers.
        everyone(302, visitor=LOGIN),
    ),
    "period-list": (
        "followup:period-list",
        lambda w: {},
        members(**COUNTY_READS),
        # An empty POST is re-rendered with errors for county staff; administrators only read.
        members(**COUNTY_WRITES | {"county_staff": 200, "county_coordinator": 200}),
    ),
    "period-overview": (
        "followup:period-overview",
        lambda w: {"year": w.period.year},
        members(**COUNTY_READS),
        everyone(405, visitor=LOGIN),
    ),
    # GET asks for confirmation (county staff); the form's POST locks.
    "period-lock": (
        "followup:period-lock",
        lambda w: {"year": w.period.year},
        members(**COUNTY_WRITES | {"county_staff": 200, "county_coordinator": 200}),
        members(**COUNTY_WRITES),
    ),
    "remind-now": (
        "followup:remind-now",
        lambda w: {"year": w.period.year, "organisation_slug": "a"},
        everyone(405, visitor=LOGIN),
        members(**COUNTY_WRITES),
    ),
    "reminder-log": (
        "followup:reminder-log",
        lambda w: {"year": w.period.year},
        members(**COUNTY_READS),
        members(
            **COUNTY_READS | {"county_staff": 405, "county_coordinator": 405, "administrator": 405}
        ),
    ),
    "personal-data": ("privacy:personal-data", lambda w: {}, ALL_200, everyone(405)),
    "accessibility": ("privacy:accessibility", lambda w: {}, ALL_200, everyone(405)),
    "login": ("login", lambda w: {}, ALL_200, ALL_200),
    "logout": ("logout", lambda w: {}, everyone(405), everyone(302)),
    # How long a sign-in has left (actors.sessions): anyone signed in, about their own session.
    "session-status": (
        "session-status",
        lambda w: {},
        everyone(200, visitor=401),
        everyone(200, visitor=401),
    ),
    # Two-factor sign-in (actors/two_factor.py). force_login signs in fully: county staff,
    # administrators and staff have an app and a verified session; the coordinators and the
    # delegate have none (it is theirs to turn on).
    "two-factor": (
        "two-factor",
        lambda w: {},
        everyone(200, visitor=LOGIN),
        everyone(405, visitor=LOGIN),
    ),
    # Nothing left to verify: on to the page asked for.
    "two-factor-verify": (
        "two-factor-verify",
        lambda w: {},
        everyone(302, visitor=LOGIN),
        everyone(302, visitor=LOGIN),
    ),
    # Those with an app already are sent to the account page; an empty code is an error.
    "two-factor-setup": (
        "two-factor-setup",
        lambda w: {},
        members(200, 200, 200, 302, 302, 302, 302),
        members(200, 200, 200, 302, 302, 302, 302),
    ),
    # Those who must use two factors may not turn them off; the others have nothing to turn off.
    "two-factor-disable": (
        "two-factor-disable",
        lambda w: {},
        everyone(405),
        members(302, 302, 302, 403, 403, 403, 403),
    ),
    # New recovery codes for those with an app (shown once); the others have none to renew.
    "two-factor-recovery-codes": (
        "two-factor-recovery-codes",
        lambda w: {},
        everyone(405),
        members(302, 302, 302, 200, 200, 200, 200),
    ),
    "password-reset": ("password_reset", lambda w: {}, ALL_200, ALL_200),
    "password-reset-done": ("password_reset_done", lambda w: {}, ALL_200, everyone(405)),
    "password-reset-confirm": (
        "password_reset_confirm",
        lambda w: {"uidb64": "MQ", "token": "not-a-token"},
        ALL_200,
        ALL_200,
    ),
    "password-reset-complete": (
        "password_reset_complete",
        lambda w: {},
        ALL_200,
        everyone(405),
    ),
    "set-language": ("set_language", lambda w: {}, everyone(302), everyone(302)),
    # The deep check answers only a token, never a persona (tests/kvinnofrid/test_health.py).
    "health": ("health", lambda w: {}, everyone(404), everyone(404)),
    "health-live": ("health-live", lambda w: {}, ALL_200, everyone(405)),
    # indicators: county staff and administrators manage the indicators and their values.
    # An empty POST of a form is re-rendered with its errors; of a year's values (none here), it
    # saves the empty year and changes nothing.
    "indicators-manage-list": (
        "indicators:manage-list",
        lambda w: {},
        members(**COUNTY_READS),
        members(**COUNTY_READS | dict.fromkeys(COUNTY_ALL, 405)),
    ),
    "indicators-manage-create": (
        "indicators:manage-create",
        lambda w: {},
        members(**COUNTY_READS),
        members(**COUNTY_READS),
    ),
    "indicators-manage-edit": (
        "indicators:manage-edit",
        lambda w: {"pk": IndicatorFactory().pk},
        members(**COUNTY_READS),
        members(**COUNTY_READS),
    ),
    "indicators-manage-year": (
        "indicators:manage-year",
        lambda w: {"pk": IndicatorFactory().pk, "year": 2024},
        members(**COUNTY_READS),
        members(**COUNTY_READS | dict.fromkeys(COUNTY_ALL, 302)),
    ),
    "indicators-manage-year-outside-strategy": (
        "indicators:manage-year",
        lambda w: {"pk": IndicatorFactory().pk, "year": 1999},
        members(**COUNTY_READS | dict.fromkeys(COUNTY_ALL, 404)),
        members(**COUNTY_READS | dict.fromkeys(COUNTY_ALL, 404)),
    ),
    "indicators-manage-import": (
        "indicators:manage-import",
        lambda w: {},
        members(**COUNTY_READS),
        members(**COUNTY_READS),
    ),
    "indicators-manage-sample": (
        "indicators:manage-sample",
        lambda w: {"extension": "csv"},
        members(**COUNTY_READS),
        members(**COUNTY_READS | dict.fromkeys(COUNTY_ALL, 405)),
    ),
    # A preview id that nobody's session holds: nothing to see or confirm.
    "indicators-manage-import-preview": (
        "indicators:manage-import-preview",
        lambda w: {"token": "made-up"},
        members(**COUNTY_READS | dict.fromkeys(COUNTY_ALL, 404)),
        members(**COUNTY_READS | dict.fromkeys(COUNTY_ALL, 404)),
    ),
    # The admin is Django's; its index stands for it here, tests/test_admin.py covers the rest.
    "admin": (
        "admin:index",
        lambda w: {},
        everyone(302, visitor=302) | {"staff_only": 200, "administrator": 200},
        everyone(302, visitor=302) | {"staff_only": 200, "administrator": 200},
    ),
    # --- indicators: goal pages (public; read only) ---
    "goal-list": ("indicators:goal-list", lambda w: {}, ALL_200, everyone(405)),
    "goal-detail": ("indicators:goal-detail", lambda w: {"number": 1}, ALL_200, everyone(405)),
    # --- end of indicators: goal pages ---
}

# --- prize: the jury, the ranking, the decision and the public winners' pages ----------------
# Coordinator A chairs the jury of the call; A's own nomination is not theirs to score, B's is.
PRIZE_JURY_YEAR = 2030


def _prize_jury(world) -> dict:
    from prize.models import JuryMember
    from tests.factories import NominationFactory, PrizeCallFactory

    call = PrizeCallFactory(year=PRIZE_JURY_YEAR)
    a = world.commitment.lead_organisation
    b = world.b_commitment.lead_organisation
    chair = JuryMember.objects.create(call=call, user=world.users["coordinator_a"], is_chair=True)
    own = NominationFactory(call=call, organisation=a)
    other = NominationFactory(call=call, organisation=b)
    return {"call": call, "chair": chair, "own": own, "other": other}


def _prize_award(world) -> dict:
    from tests.factories import AwardFactory, PrizeCallFactory

    award = AwardFactory(call=PrizeCallFactory(year=PRIZE_JURY_YEAR + 1))
    return {"year": award.call.year, "pk": award.pk}


PRIZE_COUNTY_READS = {"visitor": LOGIN, **COUNTY_READS}
PRIZE_COUNTY_FORM_POST = members(403, 403, 403, 200, 200, 403, 403)
PRIZE_COUNTY_ACTION = members(403, 403, 403, 302, 302, 403, 403)
PRIZE_POST_ONLY = everyone(405, visitor=LOGIN)
PRIZE_JUROR_ONLY = members(200, 403, 403, 403, 403, 403, 403)
MATRIX |= {
    "prize-winners": ("prize:winners", lambda w: {}, ALL_200, everyone(405)),
    # The shipped 2018 winner.
    "prize-winners-year": (
        "prize:winners-year",
        lambda w: {"year": 2018},
        ALL_200,
        everyone(405),
    ),
    # An empty POST is re-rendered with what is wrong: nobody is appointed.
    "prize-manage-jury": (
        "prize:manage-jury",
        lambda w: {"year": _prize_jury(w)["call"].year},
        PRIZE_COUNTY_READS,
        PRIZE_COUNTY_FORM_POST,
    ),
    "prize-manage-jury-remove": (
        "prize:manage-jury-remove",
        lambda w: {"year": PRIZE_JURY_YEAR, "pk": _prize_jury(w)["chair"].pk},
        PRIZE_POST_ONLY,
        PRIZE_COUNTY_ACTION,
    ),
    "prize-manage-jury-chair": (
        "prize:manage-jury-chair",
        lambda w: {"year": PRIZE_JURY_YEAR, "pk": _prize_jury(w)["chair"].pk},
        PRIZE_POST_ONLY,
        PRIZE_COUNTY_ACTION,
    ),
    # The chair has not scored yet, and has not opened the scores: not for them yet.
    "prize-ranking": (
        "prize:ranking",
        lambda w: {"year": _prize_jury(w)["call"].year},
        PRIZE_COUNTY_READS,
        everyone(405, visitor=LOGIN),
    ),
    "prize-decision": (
        "prize:decision",
        lambda w: {"year": _prize_jury(w)["call"].year},
        PRIZE_COUNTY_READS,
        PRIZE_COUNTY_FORM_POST,
    ),
    # Without a winner, publishing is refused with a message: nothing changes.
    "prize-decision-publish": (
        "prize:decision-publish",
        lambda w: {"year": _prize_jury(w)["call"].year},
        PRIZE_POST_ONLY,
        PRIZE_COUNTY_ACTION,
    ),
    "prize-award-withdraw": (
        "prize:award-withdraw",
        _prize_award,
        PRIZE_POST_ONLY,
        PRIZE_COUNTY_ACTION,
    ),
    # The award's nomination becomes a proposed entry of the library.
    "prize-award-practice": (
        "prize:award-practice",
        _prize_award,
        PRIZE_POST_ONLY,
        PRIZE_COUNTY_ACTION,
    ),
    "prize-juror-home": (
        "prize:juror-home",
        lambda w: {"year": _prize_jury(w)["call"].year},
        PRIZE_JUROR_ONLY,
        everyone(405, visitor=LOGIN),
    ),
    "prize-juror-open-scores": (
        "prize:juror-open-scores",
        lambda w: {"year": _prize_jury(w)["call"].year},
        PRIZE_POST_ONLY,
        members(302, 403, 403, 403, 403, 403, 403),
    ),
    # B's nomination, which A's coordinator may score; an empty POST says what is missing.
    "prize-juror-nomination": (
        "prize:juror-nomination",
        lambda w: {"year": PRIZE_JURY_YEAR, "pk": _prize_jury(w)["other"].pk},
        PRIZE_JUROR_ONLY,
        PRIZE_JUROR_ONLY,
    ),
    # A's own nomination: its coordinator on the jury reads it and may not score it.
    "prize-juror-nomination-conflicted": (
        "prize:juror-nomination",
        lambda w: {"year": PRIZE_JURY_YEAR, "pk": _prize_jury(w)["own"].pk},
        PRIZE_JUROR_ONLY,
        members(403, 403, 403, 403, 403, 403, 403),
    ),
}


# --- prize ---------------------------------------------------------------------------------------
PRIZE_TOKEN = "matrix-prize-confirmation-token-with-enough-characters"


def _prize(world):
    """The 2026 call, open, with coordinator A's submitted nomination (and an attachment), A's
    draft, and a visitor's nomination waiting for its confirmation by PRIZE_TOKEN."""
    from django.core.files.base import ContentFile

    from prize.models import Attachment, Nomination, confirmation_token_hash
    from tests.factories import NominationFactory, PrizeCallFactory

    call = PrizeCallFactory(year=2026)
    a = world.commitment.lead_organisation
    submitted = NominationFactory(call=call, nominator=world.users["coordinator_a"], organisation=a)
    draft = NominationFactory(
        call=call,
        nominator=world.users["coordinator_a"],
        organisation=a,
        state=Nomination.State.DRAFT,
        submitted_at=None,
    )
    visitors = NominationFactory(
        call=call,
        organisation=a,
        by_visitor=True,
        confirmation_token_hash=confirmation_token_hash(PRIZE_TOKEN),
        confirmation_expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    attachment = Attachment.objects.create(
        nomination=submitted,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="bilaga.pdf"),
        original_name="bilaga.pdf",
        content_type="application/pdf",
        size=15,
    )
    return {
        "call": call,
        "submitted": submitted,
        "draft": draft,
        "visitors": visitors,
        "attachment": attachment,
    }


PRIZE_STAFF_FORM_POST = COUNTY_WRITES | {"county_staff": 200, "county_coordinator": 200}
ONLY_COORDINATOR_A = members(200, 404, 404, 404, 404, 404, 404)
MATRIX |= {
    "prize-manage-call-list": (
        "prize:manage-call-list",
        lambda w: {},
        members(**COUNTY_READS),
        everyone(405, visitor=LOGIN),
    ),
    # An empty POST is re-rendered with errors for county staff; administrators only read.
    "prize-manage-call-create": (
        "prize:manage-call-create",
        lambda w: {},
        members(**COUNTY_READS),
        members(**PRIZE_STAFF_FORM_POST),
    ),
    "prize-manage-call-update": (
        "prize:manage-call-update",
        lambda w: {"year": _prize(w)["call"].year},
        members(**COUNTY_READS),
        members(**PRIZE_STAFF_FORM_POST),
    ),
    "prize-manage-nomination-list": (
        "prize:manage-nomination-list",
        lambda w: {"year": _prize(w)["call"].year},
        members(**COUNTY_READS),
        everyone(405, visitor=LOGIN),
    ),
    "prize-manage-nomination-detail": (
        "prize:manage-nomination-detail",
        lambda w: {"pk": _prize(w)["submitted"].pk},
        members(**COUNTY_READS),
        everyone(405, visitor=LOGIN),
    ),
    # A draft is the nominator's alone: county staff do not find it.
    "prize-manage-nomination-detail-draft": (
        "prize:manage-nomination-detail",
        lambda w: {"pk": _prize(w)["draft"].pk},
        members(
            **COUNTY_READS | {"county_staff": 404, "county_coordinator": 404, "administrator": 404}
        ),
        everyone(405, visitor=LOGIN),
    ),
    # An empty reason is refused by the form: nothing is hidden.
    "prize-manage-nomination-hide": (
        "prize:manage-nomination-hide",
        lambda w: {"pk": _prize(w)["submitted"].pk},
        everyone(405, visitor=LOGIN),
        members(**PRIZE_STAFF_FORM_POST),
    ),
    # Not hidden: showing it again changes nothing.
    "prize-manage-nomination-unhide": (
        "prize:manage-nomination-unhide",
        lambda w: {"pk": _prize(w)["submitted"].pk},
        everyone(405, visitor=LOGIN),
        members(**COUNTY_WRITES),
    ),
    # Anyone nominates; an empty POST is re-rendered with errors.
    "prize-nominate": (
        "prize:nominate",
        lambda w: {"year": _prize(w)["call"].year},
        ALL_200,
        ALL_200,
    ),
    "prize-my-nominations": (
        "prize:my-nominations",
        lambda w: {},
        everyone(200, visitor=LOGIN),
        everyone(405, visitor=LOGIN),
    ),
    "prize-nomination-detail": (
        "prize:nomination-detail",
        lambda w: {"pk": _prize(w)["submitted"].pk},
        ONLY_COORDINATOR_A,
        everyone(405, visitor=LOGIN),
    ),
    # The nominator's draft; an empty POST is re-rendered with errors, nothing saved.
    "prize-nomination-edit": (
        "prize:nomination-edit",
        lambda w: {"pk": _prize(w)["draft"].pk},
        ONLY_COORDINATOR_A,
        ONLY_COORDINATOR_A,
    ),
    # Submitted: not editable, by anyone.
    "prize-nomination-edit-submitted": (
        "prize:nomination-edit",
        lambda w: {"pk": _prize(w)["submitted"].pk},
        members(**dict.fromkeys(PERSONAS[1:], 404)),
        members(**dict.fromkeys(PERSONAS[1:], 404)),
    ),
    # The link is the visitor's proof of the address: whoever holds it confirms (POST).
    "prize-nomination-confirm": (
        "prize:nomination-confirm",
        lambda w: {"token": _prize(w) and PRIZE_TOKEN},
        ALL_200,
        ALL_200,
    ),
    "prize-nomination-confirm-junk": (
        "prize:nomination-confirm",
        lambda w: {"token": "not-a-token"},
        everyone(404),
        everyone(404),
    ),
    # Never public: the nominator, county staff and administrators (and the call's jurors).
    "prize-attachment-download": (
        "prize:attachment-download",
        lambda w: {"pk": _prize(w)["attachment"].pk},
        members(200, 404, 404, 200, 200, 404, 200),
        everyone(405, visitor=LOGIN),
    ),
}


# followup, issue 10: Mina bevakningar, each person's own follows and delegations.
MATRIX |= {
    "my-follows": (
        "followup:my-follows",
        lambda w: {},
        everyone(200, visitor=LOGIN),
        everyone(405, visitor=LOGIN),
    ),
}

# dashboard, issue 10: county staff's landing page (administrators may look). Read-only: it
# has no models of its own for snapshot().
MATRIX |= {
    "dashboard": (
        "followup:dashboard",
        lambda w: {},
        members(**COUNTY_READS),
        everyone(405, visitor=LOGIN),
    ),
}

# The requests here that are allowed to change data (all others must leave it untouched).
# --- countyreport: the county report's pages, builds and downloads -----------------------------


def _county_build(world, **fields):
    """A finished build of the world's year (with files), or in the state given."""
    from tests.factories import CountyReportFactory, ReportBuildFactory  # noqa: PLC0415

    return ReportBuildFactory(report=CountyReportFactory(period=world.period), **fields)


def _build_args(**fields):
    return lambda w: {"year": w.period.year, "pk": _county_build(w, **fields).pk}


def _download_args(**fields):
    return lambda w: {"year": w.period.year, "pk": _county_build(w, **fields).pk, "kind": "pdf"}


# Unpublished builds are county staff's and administrators'; to everyone else they do not exist.
COUNTY_DOWNLOADS = {
    "visitor": 404,
    **{persona: 404 for persona in PERSONAS[1:]},
    "county_staff": 200,
    "county_coordinator": 200,
    "administrator": 200,
}
MATRIX |= {
    "county-report-list": (
        "countyreport:report-list",
        lambda w: {},
        members(**COUNTY_READS),
        everyone(405, visitor=LOGIN),
    ),
    # An empty POST names no part of the report: 400, nothing saved.
    "county-report-detail": (
        "countyreport:report-detail",
        lambda w: {"year": w.period.year},
        members(**COUNTY_READS),
        members(**COUNTY_WRITES | {"county_staff": 400, "county_coordinator": 400}),
    ),
    "county-report-build": (
        "countyreport:build-request",
        lambda w: {"year": w.period.year},
        everyone(405, visitor=LOGIN),
        members(**COUNTY_WRITES),
    ),
    "county-report-build-status": (
        "countyreport:build-status",
        _build_args(),
        members(**COUNTY_READS),
        everyone(405, visitor=LOGIN),
    ),
    "county-report-build-retry": (
        "countyreport:build-retry",
        _build_args(state="failed", error="Fel"),
        everyone(405, visitor=LOGIN),
        members(**COUNTY_WRITES),
    ),
    # An empty POST has not confirmed: the page asks again, nothing is published.
    "county-report-build-publish": (
        "countyreport:build-publish",
        _build_args(),
        members(**COUNTY_WRITES | {"county_staff": 200, "county_coordinator": 200}),
        members(**COUNTY_WRITES | {"county_staff": 200, "county_coordinator": 200}),
    ),
    "county-report-download": (
        "countyreport:build-download",
        _download_args(),
        COUNTY_DOWNLOADS,
        everyone(405),
    ),
    "county-report-download-published": (
        "countyreport:build-download",
        _download_args(published_at=timezone.now()),
        ALL_200,
        everyone(405),
    ),
    "county-report-published-list": (
        "countyreport:published-list",
        lambda w: {},
        ALL_200,
        everyone(405),
    ),
}


# followup: coverage you can act on (issue 10). GET previews "remind all late", POST sends;
# an organisation's commitments in a period are read like the overview.
MATRIX |= {
    "remind-all-late": (
        "followup:remind-all-late",
        lambda w: {"year": w.period.year},
        members(**COUNTY_WRITES | {"county_staff": 200, "county_coordinator": 200}),
        members(**COUNTY_WRITES),
    ),
    "period-organisation": (
        "followup:period-organisation",
        lambda w: {"year": w.period.year, "organisation_slug": "a"},
        members(**COUNTY_READS),
        everyone(405, visitor=LOGIN),
    ),
}

ALLOWED_TO_CHANGE = {
    ("organisation-deactivate", "administrator"),
    ("membership-end", "administrator"),
    ("delegation-revoke", "coordinator_a"),
    ("invitation-resend", "administrator"),
    ("invitation-revoke", "administrator"),
    ("period-lock", "county_staff"),
    ("period-lock", "county_coordinator"),
    ("remind-now", "county_staff"),
    ("remind-now", "county_coordinator"),
    ("remind-all-late", "county_staff"),
    ("remind-all-late", "county_coordinator"),
    # prize (jury)
    ("prize-manage-jury-remove", "county_staff"),
    ("prize-manage-jury-remove", "county_coordinator"),
    ("prize-award-withdraw", "county_staff"),
    ("prize-award-withdraw", "county_coordinator"),
    ("prize-juror-open-scores", "coordinator_a"),
    ("prize-award-practice", "county_staff"),
    ("prize-award-practice", "county_coordinator"),
    # prize: confirming a visitor's nomination by its link.
    *(("prize-nomination-confirm", persona) for persona in PERSONAS),
    # countyreport
    ("county-report-build", "county_staff"),
    ("county-report-build", "county_coordinator"),
    ("county-report-build-retry", "county_staff"),
    ("county-report-build-retry", "county_coordinator"),
}


# practices: the good-practice library. Approved entries are public; an unpublished entry of A is
# read by A's coordinator, county staff and administrators, and is a 404 for everyone else.
# Coordinators edit and send their own drafts; county staff edit any entry and review proposals,
# but not their own organisation's; administrators look.
def _practice(world, state):
    return PracticeFactory(
        proposing_organisation=world.commitment.lead_organisation,
        title=f"Arbetssätt {state}",
        state=state,
    )


def _draft(world):
    return {"slug": _practice(world, Practice.State.DRAFT).slug}


def _proposal(world):
    return {"slug": _practice(world, Practice.State.PROPOSED).slug}


UNPUBLISHED_READ = members(200, 404, 404, 200, 200, 404, 200) | {"visitor": 404}
MATRIX |= {
    "practice-list": ("practices:practice-list", lambda w: {}, ALL_200, everyone(405)),
    "practice-detail-public": (
        "practices:practice-detail",
        lambda w: {"slug": _practice(w, Practice.State.APPROVED).slug},
        ALL_200,
        everyone(405),
    ),
    "practice-detail-draft": (
        "practices:practice-detail",
        _draft,
        UNPUBLISHED_READ,
        everyone(405),
    ),
    # An empty POST is re-rendered with errors: nothing is saved.
    "practice-create": (
        "practices:practice-create",
        lambda w: {},
        members(200, 200, 403, 200, 200, 403, 403),
        members(200, 200, 403, 200, 200, 403, 403),
    ),
    "proposal-list": (
        "practices:proposal-list",
        lambda w: {},
        everyone(200, visitor=LOGIN),
        everyone(405, visitor=LOGIN),
    ),
    "practice-update": (
        "practices:practice-update",
        _draft,
        members(200, 404, 404, 200, 200, 404, 403),
        members(200, 404, 404, 200, 200, 404, 403),
    ),
    "practice-propose": (
        "practices:practice-propose",
        _draft,
        everyone(405, visitor=LOGIN),
        members(302, 404, 404, 302, 302, 404, 403),
    ),
    "practice-approve": (
        "practices:practice-approve",
        _proposal,
        everyone(405, visitor=LOGIN),
        members(403, 404, 404, 302, 302, 404, 403),
    ),
    # An empty POST is answered with the form's error: nothing is returned.
    "practice-return": (
        "practices:practice-return",
        _proposal,
        everyone(405, visitor=LOGIN),
        members(403, 404, 404, 200, 200, 404, 403),
    ),
}
ALLOWED_TO_CHANGE |= {
    ("practice-propose", "coordinator_a"),
    ("practice-propose", "county_staff"),
    ("practice-propose", "county_coordinator"),
    ("practice-approve", "county_staff"),
    ("practice-approve", "county_coordinator"),
}


def practices_snapshot():
    return {
        "practices": list(Practice.objects.order_by("pk").values()),
        "practice_history": Practice.history.count(),
        "practice_links": list(Practice.commitments.through.objects.order_by("pk").values()),
    }


def snapshot():
    """What a refused request must leave untouched."""
    return {
        "reports": list(ProgressReport.objects.order_by("pk").values()),
        "history": ProgressReport.history.count(),
        "commitments": list(Commitment.objects.order_by("pk").values()),
        "plans": list(ActionPlan.objects.order_by("pk").values()),
        "delegations": list(Delegation.objects.order_by("pk").values()),
        "memberships": list(Membership.objects.order_by("pk").values()),
        "groups": list(Group.objects.order_by("pk").values("pk", "name", "user")),
        "group_grants": list(CommitmentGroupObjectPermission.objects.order_by("pk").values()),
        "periods": list(ReportingPeriod.objects.order_by("pk").values()),
        "reminders": list(Reminder.objects.order_by("pk").values()),
        "follows": list(CommitmentFollow.objects.order_by("pk").values()),
        "invitations": list(Invitation.objects.order_by("pk").values()),
        "users": list(get_user_model().objects.order_by("pk").values()),
        # indicators
        "indicators": list(Indicator.objects.order_by("pk").values()),
        "indicator_goals": list(Indicator.goals.through.objects.order_by("pk").values()),
        "indicator_values": list(IndicatorValue.objects.order_by("pk").values()),
        "survey_answers": list(SurveyAnswer.objects.order_by("pk").values()),
        # countyreport
        "county_reports": list(CountyReport.objects.order_by("pk").values()),
        "county_report_history": CountyReport.history.count() + GoalAnalysis.history.count(),
        "goal_analyses": list(GoalAnalysis.objects.order_by("pk").values()),
        "report_builds": list(ReportBuild.objects.order_by("pk").values()),
        # practices
        **practices_snapshot(),
        # prize
        **prize_snapshot(),
    }


def prize_snapshot():
    from prize.models import (
        Attachment,
        Award,
        Criterion,
        JuryMember,
        Motivation,
        Nomination,
        PrizeCall,
        PrizeReminder,
        Score,
    )

    models = [
        PrizeCall,
        Criterion,
        Nomination,
        Motivation,
        Attachment,
        JuryMember,
        Score,
        Award,
        PrizeReminder,
    ]
    return {
        f"prize.{model._meta.model_name}": list(model.objects.order_by("pk").values())
        for model in models
    }


def portal_url_names(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner == "admin":
                yield "admin:index"
                continue
            yield from portal_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_in_the_matrix():
    covered = {url_name for url_name, *_rest in MATRIX.values()}

    missing = set(portal_url_names()) - covered

    assert not missing, f"add these URLs to the permission matrix: {sorted(missing)}"


CASES = [
    pytest.param(case, persona, method, id=f"{case}-{persona}-{method}")
    for case in MATRIX
    for persona in PERSONAS
    for method in ("get", "post")
]


@pytest.mark.parametrize("case,persona,method", CASES)
def test_permission_matrix(client, case, persona, method):
    world = build_world()
    url_name, arguments, expected_get, expected_post = MATRIX[case]
    expected = (expected_get if method == "get" else expected_post)[persona]
    if world.users[persona] is not None:
        client.force_login(world.users[persona])
    url = reverse(url_name, kwargs=arguments(world))
    before = snapshot()

    response = getattr(client, method)(url)

    if expected == LOGIN:
        assert response.status_code == 302, response
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected, response
    if method == "post" and (case, persona) in ALLOWED_TO_CHANGE:
        assert snapshot() != before
    else:
        assert snapshot() == before
