"""factory_boy factories that keep related objects consistent."""

import datetime

import factory
from factory.django import DjangoModelFactory

from actionplan.models import (
    ActionPlan,
    Commitment,
    Goal,
    Indicator,
    IndicatorValue,
    Strategy,
    ViolenceArea,
)
from actionplan.services import commitment_create
from actors.models import Membership, Organisation, User
from followup.models import ProgressReport, ReportingPeriod
from practices import services as practice_services
from practices.models import Practice


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testmyndigheten {n}")
    short_name = factory.Sequence(lambda n: f"Test {n}")
    slug = factory.Sequence(lambda n: f"test-{n}")
    kind = Organisation.Kind.STATE_AGENCY
    affiliation = Organisation.Affiliation.MEMBER


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.COORDINATOR


def shipped_strategy() -> Strategy:
    return Strategy.objects.get(start_year=2020)


def shipped_goal(number: int) -> Goal:
    return Goal.objects.get(strategy__start_year=2020, number=number)


class ActionPlanFactory(DjangoModelFactory):
    class Meta:
        model = ActionPlan

    strategy = factory.LazyFunction(shipped_strategy)
    title = factory.Sequence(lambda n: f"Testplan {n}")
    slug = factory.Sequence(lambda n: f"testplan-{n}")
    start_year = 2024
    end_year = 2027


class CommitmentFactory(DjangoModelFactory):
    """Made through the service, like every commitment, so that its grants follow."""

    class Meta:
        model = Commitment

    plan = factory.LazyFunction(lambda: ActionPlan.objects.get(slug="handlingsplan-2024-2027"))
    code = factory.Sequence(lambda n: f"9.{n}")
    title = factory.Sequence(lambda n: f"Åtagande {n}")
    description = "Ett åtagande för tester."
    lead_organisation = factory.SubFactory(OrganisationFactory)
    start_year = 2024
    end_year = 2027
    goals = factory.LazyFunction(lambda: [shipped_goal(1)])
    participating_organisations = ()

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return commitment_create(**kwargs)


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    goal = factory.LazyFunction(lambda: shipped_goal(1))
    name = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "procent"
    source = "Kolada"
    desired_direction = Indicator.Direction.DECREASE


class IndicatorValueFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2024
    value = 12.5


class ReportingPeriodFactory(DjangoModelFactory):
    class Meta:
        model = ReportingPeriod
        django_get_or_create = ["year"]

    year = 2026
    opens_on = factory.LazyAttribute(lambda period: datetime.date(period.year, 11, 1))
    due_on = factory.LazyAttribute(lambda period: datetime.date(period.year, 12, 15))
    closes_on = factory.LazyAttribute(lambda period: datetime.date(period.year + 1, 1, 31))


class ProgressReportFactory(DjangoModelFactory):
    class Meta:
        model = ProgressReport

    commitment = factory.SubFactory(CommitmentFactory)
    organisation = factory.SelfAttribute("commitment.lead_organisation")
    period = factory.SubFactory(ReportingPeriodFactory)
    status = ProgressReport.Status.ON_TRACK
    percent_done = 40
    work_done = "Utbildningar har genomförts."


# practices


class PracticeFactory(DjangoModelFactory):
    """A draft made through the service; pass `state` to have it proposed or approved too."""

    class Meta:
        model = Practice

    proposing_organisation = factory.SubFactory(OrganisationFactory)
    created_by = None
    title = factory.Sequence(lambda n: f"Arbetssätt {n}")
    summary = "Ett arbetssätt för tester."
    target_group = Practice.TargetGroup.YOUNG_PEOPLE
    what_is_done = "Samtal i grupp."
    organisation_of_work = "Skolan och socialtjänsten samarbetar."
    evidence_level = Practice.EvidenceLevel.DESCRIBED
    goals = factory.LazyFunction(lambda: [shipped_goal(1)])
    violence_areas = factory.LazyFunction(lambda: list(ViolenceArea.objects.all()[:1]))
    state = Practice.State.DRAFT

    @classmethod
    def _create(cls, model_class, *args, state=Practice.State.DRAFT, **kwargs):
        practice = practice_services.practice_create(**kwargs)
        if state in (Practice.State.PROPOSED, Practice.State.APPROVED, Practice.State.RETURNED):
            practice = practice_services.practice_propose(practice=practice, user=None)
        if state == Practice.State.APPROVED:
            practice = practice_services.practice_approve(practice=practice, user=None)
        if state == Practice.State.RETURNED:
            practice.state = Practice.State.RETURNED
            practice.return_comment = "Beskriv kostnaden."
            practice.save()
        return practice
