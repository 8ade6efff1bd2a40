import pytest
from django.db import IntegrityError, transaction

from actors.models import Membership, Organisation
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(**fields)


def test_a_municipality_code_is_refused_on_an_organisation_that_is_not_a_municipality():
    refused(kind=Organisation.Kind.STATE_AGENCY, municipality_code="0199")


def test_a_municipality_without_a_code_is_refused():
    refused(kind=Organisation.Kind.MUNICIPALITY, municipality_code="")


def test_a_municipality_code_outside_stockholm_county_is_refused():
    refused(kind=Organisation.Kind.MUNICIPALITY, municipality_code="1480")
    refused(kind=Organisation.Kind.MUNICIPALITY, municipality_code="01a4")


def test_a_municipality_code_already_in_use_is_refused():
    refused(kind=Organisation.Kind.MUNICIPALITY, municipality_code="0180")


def test_a_new_municipality_with_a_free_code_is_accepted():
    OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY, municipality_code="0199")


def test_a_person_has_one_membership_per_organisation():
    membership = MembershipFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=membership.user,
            organisation=membership.organisation,
            role=Membership.Role.COUNTY_STAFF,
        )
