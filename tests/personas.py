"""The people of the permission tests, like healthchecks' Alice, Bob and Charlie.

Organisation A leads commitment `commitment` (delegated to A's colleague) and `other_commitment`
(with A's draft); organisation B leads `b_commitment` with a submitted report.
`county_coordinator` is county staff and a coordinator of B too. `staff_only` may use the admin
(is_staff, a few model permissions) but has no role in the collaboration.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.utils import timezone

from actionplan.models import Delegation
from actionplan.services import delegation_grant
from actors.models import Membership, User
from actors.services import membership_grant
from followup.models import ProgressReport, ReportingPeriod, ReportState
from tests.factories import (
    CommitmentFactory,
    OrganisationFactory,
    ProgressReportFactory,
    ReportingPeriodFactory,
    UserFactory,
)

PASSWORD = "correct-horse-battery"
PERSONAS = [
    "visitor",
    "coordinator_a",
    "coordinator_b",
    "delegate",
    "county_staff",
    "county_coordinator",
    "staff_only",
    "administrator",
]


@dataclass
class World:
    users: dict[str, User | None]
    period: ReportingPeriod
    commitment: object
    other_commitment: object
    b_commitment: object
    a_draft: ProgressReport
    a_submitted: ProgressReport
    b_submitted: ProgressReport
    delegation: Delegation


def open_period() -> ReportingPeriod:
    today = timezone.localdate()
    return ReportingPeriodFactory(
        year=today.year,
        opens_on=today - timezone.timedelta(days=20),
        due_on=today + timezone.timedelta(days=10),
        closes_on=today + timezone.timedelta(days=40),
    )


def build_world() -> World:
    period = open_period()
    year = period.year
    a = OrganisationFactory(name="Myndighet A", short_name="A", slug="a")
    b = OrganisationFactory(name="Myndighet B", short_name="B", slug="b")
    storsthlm = OrganisationFactory(name="Kansliet", short_name="Kansli", slug="kansli")

    users = {"visitor": None}
    memberships = {}
    for name, organisation, role in [
        ("coordinator_a", a, Membership.Role.COORDINATOR),
        ("coordinator_b", b, Membership.Role.COORDINATOR),
        ("delegate", a, Membership.Role.COLLEAGUE),
        ("county_staff", storsthlm, Membership.Role.COUNTY_STAFF),
        # County staff who also coordinate B: B's reports are their own, not theirs to review.
        ("county_coordinator", storsthlm, Membership.Role.COUNTY_STAFF),
        ("county_coordinator", b, Membership.Role.COORDINATOR),
    ]:
        if name not in users:
            users[name] = UserFactory(username=name)
        memberships[name] = membership_grant(user=users[name], organisation=organisation, role=role)
    # A technical administrator: staff in the admin with a few model permissions, no role.
    users["staff_only"] = UserFactory(username="staff_only", is_staff=True)
    users["staff_only"].user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="actors",
            codename__in=["view_organisation", "change_organisation"],
        )
    )
    users["administrator"] = UserFactory(username="administrator", is_staff=True, is_superuser=True)

    years = {"start_year": year - 1, "end_year": year + 1}
    commitment = CommitmentFactory(lead_organisation=a, **years)
    other_commitment = CommitmentFactory(lead_organisation=a, **years)
    b_commitment = CommitmentFactory(lead_organisation=b, **years)

    submitted = {"state": ReportState.SUBMITTED, "period": period}
    a_draft = ProgressReportFactory(commitment=other_commitment, organisation=a, period=period)
    a_submitted = ProgressReportFactory(commitment=commitment, organisation=a, **submitted)
    b_submitted = ProgressReportFactory(commitment=b_commitment, organisation=b, **submitted)
    delegation = delegation_grant(
        commitment=commitment,
        membership=memberships["delegate"],
        granted_by=users["coordinator_a"],
    )
    return World(
        users=users,
        period=period,
        commitment=commitment,
        other_commitment=other_commitment,
        b_commitment=b_commitment,
        a_draft=a_draft,
        a_submitted=a_submitted,
        b_submitted=b_submitted,
        delegation=delegation,
    )
