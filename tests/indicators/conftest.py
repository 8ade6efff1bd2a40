import pytest

from actors.models import Membership
from actors.services import membership_grant
from demo import content
from indicators.models import Indicator
from tests.factories import IndicatorFactory, OrganisationFactory, UserFactory, shipped_goal


@pytest.fixture
def demo_indicators() -> dict[str, Indicator]:
    """The demo's indicators as seed_demo makes them (the samples name them), by slug."""
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


@pytest.fixture
def staff_client(client):
    """County staff, signed in (the pages are theirs; administrators may use them too)."""
    kansli = OrganisationFactory(name="Kansliet", short_name="Kansli", slug="kansli")
    user = UserFactory(username="kansli")
    membership_grant(user=user, organisation=kansli, role=Membership.Role.COUNTY_STAFF)
    client.force_login(user)
    return client
