"""factory_boy factories that keep related objects consistent."""

import datetime

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from actionplan.models import (
    ActionPlan,
    Commitment,
    Goal,
    Strategy,
    ViolenceArea,
)
from actionplan.services import commitment_create
from actors.models import Membership, Organisation, User
from countyreport.models import CountyReport, ReportBuild
from followup.models import ProgressReport, ReportingPeriod
from indicators.models import Area, Indicator, IndicatorValue, SurveyAnswer
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
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Indikator {n}")
    slug = factory.Sequence(lambda n: f"indikator-{n}")
    kind = Indicator.Kind.PERCENT
    unit = "procent"
    source = "Kolada"
    desired_direction = Indicator.Direction.DECREASE

    @factory.post_generation
    def goals(obj, create, extracted, **kwargs):
        if create:
            obj.goals.set(extracted or [shipped_goal(1)])


def area(code: str) -> Area:
    """A shipped area by its code: "01" the county, "0126" Huddinge, "018001" Bromma."""
    return Area.objects.get(code=code)


class IndicatorValueFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2024
    area = factory.LazyFunction(lambda: area("01"))
    value = 12.5


class SurveyAnswerFactory(DjangoModelFactory):
    class Meta:
        model = SurveyAnswer

    indicator = factory.SubFactory(
        IndicatorFactory, kind=Indicator.Kind.YES_NO_SHARE, unit="procent"
    )
    year = 2024
    area = factory.LazyFunction(lambda: area("0126"))
    answer = True


def make_demo_indicators() -> dict[str, Indicator]:
    """The demo's indicators as seed_demo makes them (the import samples name them), by slug."""
    from demo import content

    made = {}
    for spec in content.INDICATORS:
        made[spec.slug] = IndicatorFactory(
            name=spec.name,
            slug=spec.slug,
            kind=spec.kind,
            unit=spec.unit,
            by_sex=spec.sex_factors is not None,
            kolada_kpi=spec.kolada_kpi or None,
            goals=[shipped_goal(spec.goal)],
        )
    made["valj-att-sluta"] = IndicatorFactory(
        slug="valj-att-sluta", kind=Indicator.Kind.COUNT, unit="antal samtal"
    )
    made["stodsamtal-utan-beslut"] = IndicatorFactory(
        slug="stodsamtal-utan-beslut", kind=Indicator.Kind.YES_NO_SHARE
    )
    return made


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


# --- prize ---------------------------------------------------------------------------------------
from prize.models import (  # noqa: E402
    DEFAULT_CRITERIA,
    Attachment,
    Award,
    Criterion,
    JuryMember,
    Motivation,
    Nomination,
    PrizeCall,
    Score,
)


class PrizeCallFactory(DjangoModelFactory):
    """A call open today, with the four default criteria (as prize_call_create makes it)."""

    class Meta:
        model = PrizeCall
        django_get_or_create = ["year"]
        skip_postgeneration_save = True

    year = 2026
    opens_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=20))
    description = "Nominera en verksamhet som gör särskilt bra arbete mot våld."

    @factory.post_generation
    def criteria(call, create, extracted, **kwargs):
        if create and not call.criteria.exists():
            Criterion.objects.bulk_create(
                Criterion(call=call, position=position, title=str(title), description=str(text))
                for position, (title, text) in enumerate(DEFAULT_CRITERIA, start=1)
            )


class CriterionFactory(DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(PrizeCallFactory)
    position = factory.Sequence(lambda n: 100 + n)
    title = factory.Sequence(lambda n: f"Kriterium {n}")


class NominationFactory(DjangoModelFactory):
    """A submitted nomination by a signed-in person, with a motivation per criterion."""

    class Meta:
        model = Nomination
        skip_postgeneration_save = True

    call = factory.SubFactory(PrizeCallFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    unit_name = factory.Sequence(lambda n: f"Enhet {n}")
    title = factory.Sequence(lambda n: f"Nominering {n}")
    summary = "Ett arbete som förtjänar priset."
    state = Nomination.State.SUBMITTED
    submitted_at = factory.LazyAttribute(
        lambda nomination: (
            datetime.datetime.now(datetime.UTC)
            if nomination.state == Nomination.State.SUBMITTED
            else None
        )
    )
    nominator = factory.SubFactory(UserFactory)

    class Params:
        draft = factory.Trait(state=Nomination.State.DRAFT)
        # A visitor who has not yet confirmed the address.
        by_visitor = factory.Trait(
            nominator=None,
            nominator_name="Vera Besökare",
            nominator_email=factory.Sequence(lambda n: f"besokare{n}@example.org"),
            state=Nomination.State.AWAITING_CONFIRMATION,
        )

    @factory.post_generation
    def motivations(nomination, create, extracted, **kwargs):
        if create:
            Motivation.objects.bulk_create(
                Motivation(nomination=nomination, criterion=criterion, text="Så här.")
                for criterion in nomination.call.criteria.all()
            )


class AttachmentFactory(DjangoModelFactory):
    class Meta:
        model = Attachment

    nomination = factory.SubFactory(NominationFactory)
    file = factory.django.FileField(filename="bilaga.pdf", data=b"%PDF-1.4\n%%EOF\n")
    original_name = "bilaga.pdf"
    content_type = Attachment.ContentType.PDF
    size = 15


class JuryMemberFactory(DjangoModelFactory):
    class Meta:
        model = JuryMember

    call = factory.SubFactory(PrizeCallFactory)
    user = factory.SubFactory(UserFactory)


class ScoreFactory(DjangoModelFactory):
    class Meta:
        model = Score

    juror = factory.SubFactory(JuryMemberFactory)
    nomination = factory.SubFactory(NominationFactory, call=factory.SelfAttribute("..juror.call"))
    criterion = factory.LazyAttribute(lambda score: score.nomination.call.criteria.first())
    value = 4


class AwardFactory(DjangoModelFactory):
    class Meta:
        model = Award

    call = factory.SubFactory(PrizeCallFactory)
    nomination = factory.SubFactory(NominationFactory, call=factory.SelfAttribute("..call"))
    organisation = factory.SelfAttribute("nomination.organisation")
    unit_name = factory.SelfAttribute("nomination.unit_name")
    motivation = "Juryns motivering."


# --- countyreport -------------------------------------------------------------------------------


class CountyReportFactory(DjangoModelFactory):
    class Meta:
        model = CountyReport
        django_get_or_create = ["period"]

    period = factory.SubFactory(ReportingPeriodFactory)
    summary = "Året i korthet."


class ReportBuildFactory(DjangoModelFactory):
    """A finished build with three small files in the private storage (the real build renders
    them with WeasyPrint and friends: see tests/countyreport for that)."""

    class Meta:
        model = ReportBuild
        skip_postgeneration_save = True

    report = factory.SubFactory(CountyReportFactory)
    state = ReportBuild.State.DONE
    step = ReportBuild.Step.FINISHED
    percent = 100
    input_checksum = "0" * 64

    @factory.post_generation
    def files(build, create, extracted, **kwargs):
        if not create or build.state != ReportBuild.State.DONE:
            return
        for kind in ("pdf", "xlsx", "docx"):
            name = f"factory/{build.pk}/lagesrapport.{kind}"
            getattr(build, kind).name = getattr(build, kind).storage.save(
                name, ContentFile(f"{kind} {build.pk}".encode())
            )
        build.save()


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
