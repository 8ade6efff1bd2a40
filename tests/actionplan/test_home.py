"""The public front page: the goals and how many commitments serve each, kept in the cache."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CommitmentFactory, UserFactory, shipped_goal

pytestmark = pytest.mark.django_db


def commitments_of_goal_1(client) -> int:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return next(goal for goal in response.context["goals"] if goal.number == 1).commitment_count


def test_a_second_visit_reads_the_goals_from_the_cache(client, django_assert_num_queries):
    CommitmentFactory(goals=[shipped_goal(1)])
    with django_assert_num_queries(2):  # the goals with their counts, the violence areas
        first = commitments_of_goal_1(client)
    with django_assert_num_queries(0):
        second = commitments_of_goal_1(client)

    assert first == second == 1


def test_a_new_commitment_shows_on_the_front_page_at_once(
    client, django_capture_on_commit_callbacks
):
    assert commitments_of_goal_1(client) == 0
    with django_capture_on_commit_callbacks(execute=True):
        CommitmentFactory(goals=[shipped_goal(1)])

    assert commitments_of_goal_1(client) == 1


def test_a_commitment_deleted_in_the_admin_leaves_the_front_page_at_once(
    client, django_capture_on_commit_callbacks
):
    commitment = CommitmentFactory(goals=[shipped_goal(1)])
    assert commitments_of_goal_1(client) == 1
    administrator = Client()
    administrator.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:actionplan_commitment_delete", args=[commitment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = administrator.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert commitments_of_goal_1(client) == 0
