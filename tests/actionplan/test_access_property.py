"""Property: after any sequence of changes made through the services, who may report on what,
read through django-guardian, is exactly what the domain rows say."""

import pytest
from django.db import transaction
from guardian.core import ObjectPermissionChecker
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from actionplan import permissions as reporting
from actionplan import services as actionplan_services
from actionplan.models import Commitment, Delegation
from actors import services as actors_services
from actors.models import Membership, Organisation, User
from tests.factories import CommitmentFactory, OrganisationFactory, UserFactory

PEOPLE, ORGANISATIONS, COMMITMENTS = 4, 3, 3
ROLES = [Membership.Role.COORDINATOR, Membership.Role.COLLEAGUE, Membership.Role.COUNTY_STAFF]

person = st.integers(0, PEOPLE - 1)
organisation = st.integers(0, ORGANISATIONS - 1)
commitment = st.integers(0, COMMITMENTS - 1)


class AccessMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each example runs in a savepoint that teardown() rolls back.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.generation = 0
        self.people = [UserFactory() for _ in range(PEOPLE)]
        self.organisations = [self._new_organisation(index) for index in range(ORGANISATIONS)]
        # Commitments are led by their own organisation, which is never deleted.
        self.commitments = [CommitmentFactory() for _ in range(COMMITMENTS)]

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def _new_organisation(self, index: int) -> Organisation:
        # The same slug again after a deletion: the new organisation must start with nobody.
        self.generation += 1
        return OrganisationFactory(
            slug=f"org-{index}",
            name=f"Organisation {index} ({self.generation})",
            short_name=f"Org {index} ({self.generation})",
        )

    def _membership(self, who: int, where: int) -> Membership | None:
        return Membership.objects.filter(
            user=self.people[who], organisation=self.organisations[where]
        ).first()

    @rule(who=person, where=organisation, role=st.sampled_from(ROLES), contact=st.booleans())
    def grant_membership(self, who, where, role, contact):
        actors_services.membership_grant(
            user=self.people[who],
            organisation=self.organisations[where],
            role=role,
            is_contact_person=contact,
        )

    @rule(who=person, where=organisation)
    def revoke_membership(self, who, where):
        membership = self._membership(who, where)
        if membership is not None:
            actors_services.membership_revoke(membership=membership)

    @rule(which=commitment, who=person, where=organisation)
    def delegate(self, which, who, where):
        target = self.commitments[which]
        membership = self._membership(who, where)
        responsible = {org.pk for org in target.responsible_organisations()}
        if membership is not None and membership.organisation_id in responsible:
            actionplan_services.delegation_grant(
                commitment=target, membership=membership, granted_by=self.people[0]
            )

    @rule(which=commitment)
    def revoke_a_delegation(self, which):
        delegation = Delegation.objects.filter(commitment=self.commitments[which]).first()
        if delegation is not None:
            actionplan_services.delegation_revoke(delegation=delegation)

    @rule(which=commitment, participants=st.sets(organisation, max_size=ORGANISATIONS))
    def change_participants(self, which, participants):
        target = Commitment.objects.get(pk=self.commitments[which].pk)
        actionplan_services.commitment_responsibility_set(
            commitment=target,
            lead_organisation=target.lead_organisation,
            participating_organisations=[self.organisations[index] for index in participants],
        )
        self.commitments[which] = target

    @rule(which=commitment, to=organisation)
    def hand_over(self, which, to):
        target = Commitment.objects.get(pk=self.commitments[which].pk)
        actionplan_services.commitment_responsibility_set(
            commitment=target,
            lead_organisation=self.organisations[to],
            participating_organisations=list(target.participating_organisations.all()),
        )
        self.commitments[which] = target

    @rule(where=organisation, active=st.booleans())
    def set_active(self, where, active):
        actors_services.organisation_set_active(
            organisation=self.organisations[where], is_active=active
        )

    @rule(where=organisation)
    def delete_and_recreate(self, where):
        doomed = self.organisations[where]
        if Commitment.objects.filter(lead_organisation=doomed).exists():
            return  # protected: it leads a commitment
        actors_services.organisation_delete(organisation=doomed)
        self.organisations[where] = self._new_organisation(where)

    @rule(who=person, active=st.booleans())
    def set_person_active(self, who, active):
        User.objects.filter(pk=self.people[who].pk).update(is_active=active)

    @invariant()
    def guardian_says_what_the_domain_rows_say(self):
        for target in Commitment.objects.filter(pk__in=[c.pk for c in self.commitments]):
            responsible = {org.pk: org for org in target.responsible_organisations()}
            for someone in User.objects.filter(pk__in=[p.pk for p in self.people]):
                expected = {
                    membership.organisation_id
                    for membership in Membership.objects.filter(
                        user=someone,
                        organisation__in=list(responsible),
                        organisation__is_active=True,
                    )
                    if someone.is_active
                    and (
                        membership.role == Membership.Role.COORDINATOR
                        or Delegation.objects.filter(
                            commitment=target, membership=membership
                        ).exists()
                    )
                }
                granted = {org.pk for org in reporting.reporting_organisations(someone, target)}
                assert granted == expected
                checker = ObjectPermissionChecker(someone)
                assert checker.has_perm("report_on_commitment", target) == bool(expected)

    @invariant()
    def check_access_finds_nothing(self):
        assert actors_services.expected_group_members() == actors_services.actual_group_members()
        assert not actionplan_services.commitments_access_difference()


AccessMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.mark.django_db
def test_guardian_follows_the_domain_rows_through_any_sequence_of_changes():
    AccessMachine.TestCase().runTest()
