"""Grants follow the data: responsibility, delegation and membership."""

import pytest

from actors import permissions
from tests.personas import build_world

pytestmark = pytest.mark.django_db


def test_a_delegation_ends_when_its_organisation_is_no_longer_responsible():
    world = build_world()
    delegate = world.users["delegate"]
    b = world.b_submitted.organisation
    assert delegate.has_perm("actionplan.report_on_commitment", world.commitment)

    world.commitment.lead_organisation = b  # A hands the commitment over to B
    world.commitment.save()
    permissions.commitment_permissions_sync([world.commitment])

    delegate = type(delegate).objects.get(pk=delegate.pk)  # no cached permissions
    assert not delegate.delegations.exists()
    assert not delegate.has_perm("actionplan.report_on_commitment", world.commitment)
    assert permissions.reporting_organisations(world.users["coordinator_a"], world.commitment) == []
    assert permissions.reporting_organisations(world.users["coordinator_b"], world.commitment) == [
        b
    ]


def test_syncing_twice_changes_nothing():
    world = build_world()
    before = list(world.commitment.commitmentgroupobjectpermission_set.values())

    permissions.commitment_permissions_sync()

    assert list(world.commitment.commitmentgroupobjectpermission_set.values()) == before
