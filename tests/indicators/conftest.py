import pytest

from actors.models import Membership
from actors.services import membership_grant
from indicators.models import Indicator
from tests.factories import OrganisationFactory, UserFactory, make_demo_indicators


@pytest.fixture
def demo_indicators() -> dict[str, Indicator]:
    return make_demo_indicators()


@pytest.fixture
def staff_client(client):
    """County staff, signed in (the pages are theirs; administrators may use them too)."""
    kansli = OrganisationFactory(name="Kansliet", short_name="Kansli", slug="kansli")
    user = UserFactory(username="kansli")
    membership_grant(user=user, organisation=kansli, role=Membership.Role.COUNTY_STAFF)
    client.force_login(user)
    return client
