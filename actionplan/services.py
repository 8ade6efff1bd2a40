"""Writes that concern the action plans and their commitments."""

from django.db import transaction

from actionplan.models import Commitment
from actors import permissions


@transaction.atomic
def commitment_organisations_changed(*, commitment: Commitment) -> None:
    """Re-grant the report permission after a commitment's lead or participants changed."""
    permissions.commitment_permissions_sync([commitment])
