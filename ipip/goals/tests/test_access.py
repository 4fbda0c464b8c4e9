"""Every goals route × every persona: alice (allocated), bob (manager of the area) and lena
(national lead) may; everyone else gets a 404, and anonymous visitors are sent to log in."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ipip.accounts.models import User
from ipip.cases.models import Case
from ipip.goals.models import Goal, GoalRating, GoalStatus
from ipip.goals.tests.conftest import set_goal

pytestmark = pytest.mark.django_db

PERSONAS = ("alice", "bob", "charlie", "dave", "lena", "erin", "adam", "rita", "ross")
ALLOWED = {"alice", "bob", "lena"}

Url = Callable[[Case, Goal], str]


def case_url(name: str) -> Url:
    return lambda case, goal: reverse(name, kwargs={"case_id": case.public_id})


def goal_url(name: str) -> Url:
    return lambda case, goal: reverse(
        name, kwargs={"case_id": case.public_id, "goal_id": goal.public_id}
    )


# (method, route, url, status when allowed); POSTs are empty, so allowed people see the
# form again with its errors (200) and nothing changes.
ROUTES: list[tuple[str, str, Url, int]] = [
    ("GET", "goals:index", case_url("goals:index"), 200),
    ("GET", "goals:new", case_url("goals:new"), 200),
    ("POST", "goals:new", case_url("goals:new"), 200),
    ("GET", "goals:rate", case_url("goals:rate"), 200),
    ("POST", "goals:rate", case_url("goals:rate"), 200),
    ("GET", "goals:status", goal_url("goals:status"), 200),
    ("POST", "goals:status", goal_url("goals:status"), 200),
]

ROUTE_IDS = [f"{method} {name}" for method, name, _, _ in ROUTES]


@pytest.fixture
def goal(case: Case, alice: User) -> Goal:
    return set_goal(case, alice)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("method", "name", "url", "ok"), ROUTES, ids=ROUTE_IDS)
def test_access_matrix(
    client: Client,
    case: Case,
    goal: Goal,
    persona: str,
    method: str,
    name: str,
    url: Url,
    ok: int,
    request: pytest.FixtureRequest,
) -> None:
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url(case, goal)) if method == "GET" else client.post(url(case, goal))
    assert response.status_code == (ok if persona in ALLOWED else 404), (persona, name)
    assert Goal.objects.get() == goal
    assert GoalRating.objects.count() == 1
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


@pytest.mark.parametrize(("method", "name", "url", "ok"), ROUTES, ids=ROUTE_IDS)
def test_anonymous_is_sent_to_login(
    client: Client, case: Case, goal: Goal, method: str, name: str, url: Url, ok: int
) -> None:
    target = url(case, goal)
    response = client.get(target) if method == "GET" else client.post(target)
    assert response.status_code == 302, name
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - ALLOWED))
def test_outsiders_cannot_change_anything_with_good_data(
    client: Client, case: Case, goal: Goal, persona: str, request: pytest.FixtureRequest
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
        assert client.post(url(case, goal), data).status_code == 404
    assert Goal.objects.count() == 1
    assert GoalRating.objects.count() == 1
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE
