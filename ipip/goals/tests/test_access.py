"""Every goals route × every persona: alice (allocated), bob (manager of the area) and lena
(national lead) may; everyone else gets a 404, and anonymous visitors are sent to log in."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ipip.accounts.models import User
from ipip.cases.models import Case
from ipip.core.testing.access import (
    ON_CASE,
    Route,
    case_url,
    check_route,
    check_sent_to_login,
    each_route,
)
from ipip.core.testing.personas import PERSONAS
from ipip.goals.models import Goal, GoalRating, GoalStatus
from ipip.goals.tests.conftest import set_goal

pytestmark = pytest.mark.django_db

Url = Callable[[Goal], str]


def goal_url(name: str) -> Url:
    return lambda goal: reverse(
        name, kwargs={"case_id": goal.case.public_id, "goal_id": goal.public_id}
    )


# Routes of alice's case and its goal; POSTs are empty, so allowed people see the form again
# with its errors (200) and nothing changes.
ROUTES: list[Route[Goal]] = [
    Route("GET", "goals:index", case_url("goals:index")),
    Route("GET", "goals:new", case_url("goals:new")),
    Route("POST", "goals:new", case_url("goals:new")),
    Route("GET", "goals:rate", case_url("goals:rate")),
    Route("POST", "goals:rate", case_url("goals:rate")),
    Route("GET", "goals:status", goal_url("goals:status")),
    Route("POST", "goals:status", goal_url("goals:status")),
]


@pytest.fixture
def goal(case: Case, alice: User) -> Goal:
    return set_goal(case, alice)


@pytest.mark.parametrize("persona", PERSONAS)
@each_route(ROUTES)
def test_access_matrix(
    client: Client, goal: Goal, persona: str, route: Route[Goal], request: pytest.FixtureRequest
) -> None:
    check_route(client, request, persona, route, goal)
    assert Goal.objects.get() == goal
    assert GoalRating.objects.count() == 1
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


@each_route(ROUTES)
def test_anonymous_is_sent_to_login(client: Client, goal: Goal, route: Route[Goal]) -> None:
    check_sent_to_login(client, route, goal)


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - ON_CASE))
def test_outsiders_cannot_change_anything_with_good_data(
    client: Client, goal: Goal, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    posts = [
        (
            case_url("goals:new"),
            {
                "text": "X",
                "set_on_0": "1",
                "set_on_1": "3",
                "set_on_2": "2026",
                "now": "2",
                "hoped": "5",
            },
        ),
        (
            case_url("goals:rate"),
            {
                "rated_on_0": "1",
                "rated_on_1": "3",
                "rated_on_2": "2026",
                f"now_{goal.pk}": "5",
                f"hoped_{goal.pk}": "8",
            },
        ),
        (goal_url("goals:status"), {"version": "1", "status": "achieved"}),
    ]
    for url, data in posts:
        assert client.post(url(goal), data).status_code == 404
    assert Goal.objects.count() == 1
    assert GoalRating.objects.count() == 1
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE
