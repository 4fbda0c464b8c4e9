"""Every safeguarding route (and case closure) × every persona: staff on the case get in,
everyone else gets a 404, the anonymous go to the sign-in page."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from ipip.accounts.models import User
from ipip.cases.models import Case
from ipip.safeguarding.models import Alert, Concern, Escalation
from ipip.safeguarding.tests.conftest import escalate, raise_concern

pytestmark = [pytest.mark.django_db, pytest.mark.urls("ipip.safeguarding.tests.urls")]

PERSONAS = ("alice", "bob", "charlie", "dave", "lena", "erin", "adam", "rita")
ON_CASE = {"alice", "bob", "lena"}
ALERT_READERS = {"alice", "bob", "charlie", "dave", "lena"}


@dataclass
class World:
    case: Case
    open_concern: Concern
    escalation: Escalation
    alert: Alert


@pytest.fixture
def world(case: Case, hull_case: Case, alice: User, bob: User) -> World:
    open_concern = raise_concern(case, bob)  # alerts bob's area and alice
    escalation = escalate(raise_concern(case, alice), alice)
    return World(
        case=case,
        open_concern=open_concern,
        escalation=escalation,
        alert=Alert.objects.get(case=case, for_user=alice),
    )


Url = Callable[[World], str]


def case_url(name: str) -> Url:
    return lambda w: reverse(name, kwargs={"case_id": w.case.public_id})


def concern_url(name: str) -> Url:
    return lambda w: reverse(
        name, kwargs={"case_id": w.case.public_id, "concern_id": w.open_concern.public_id}
    )


def outcome_url(w: World) -> str:
    return reverse(
        "safeguarding:outcome",
        kwargs={"case_id": w.case.public_id, "escalation_id": w.escalation.public_id},
    )


def close_case_url(w: World) -> str:
    return reverse("cases:close", args=[w.case.public_id])


def alerts_url(w: World) -> str:
    return reverse("alerts:list")


def acknowledge_url(w: World) -> str:
    return reverse("alerts:acknowledge", kwargs={"alert_id": w.alert.public_id})


# (method, name, url, personas allowed, status when allowed). POSTs send no fields: a
# form page answers 200 with its errors, a button redirects.
ROUTES: list[tuple[str, str, Url, set[str], int]] = [
    ("GET", "safeguarding:index", case_url("safeguarding:index"), ON_CASE, 200),
    ("GET", "safeguarding:raise", case_url("safeguarding:raise"), ON_CASE, 200),
    ("POST", "safeguarding:raise", case_url("safeguarding:raise"), ON_CASE, 200),
    ("GET", "safeguarding:concern", concern_url("safeguarding:concern"), ON_CASE, 200),
    ("GET", "safeguarding:escalate", concern_url("safeguarding:escalate"), ON_CASE, 200),
    ("POST", "safeguarding:escalate", concern_url("safeguarding:escalate"), ON_CASE, 200),
    ("POST", "safeguarding:close", concern_url("safeguarding:close"), ON_CASE, 409),
    ("GET", "safeguarding:outcome", outcome_url, ON_CASE, 200),
    ("POST", "safeguarding:outcome", outcome_url, ON_CASE, 200),
    ("GET", "cases:close", close_case_url, ON_CASE, 200),
    ("POST", "cases:close", close_case_url, ON_CASE, 200),
    ("GET", "alerts:list", alerts_url, ALERT_READERS, 200),
    ("POST", "alerts:acknowledge", acknowledge_url, ON_CASE, 302),
]


@pytest.mark.parametrize(
    ("method", "url", "allowed", "status"),
    [(m, u, a, s) for m, _, u, a, s in ROUTES],
    ids=[f"{m} {n}" for m, n, *_ in ROUTES],
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_route_access(
    client: Client,
    world: World,
    request: pytest.FixtureRequest,
    persona: str,
    method: str,
    url: Url,
    allowed: set[str],
    status: int,
) -> None:
    user: User = request.getfixturevalue(persona)
    client.force_login(user)
    address = url(world)
    response = client.get(address) if method == "GET" else client.post(address, {})
    assert response.status_code == (status if persona in allowed else 404)


@pytest.mark.parametrize(
    ("method", "url"),
    [(m, u) for m, _, u, _, _ in ROUTES],
    ids=[f"{m} {n}" for m, n, *_ in ROUTES],
)
def test_anonymous_go_to_sign_in(client: Client, world: World, method: str, url: Url) -> None:
    address = url(world)
    response = client.get(address) if method == "GET" else client.post(address, {})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_concern_of_another_case_is_a_404(
    client: Client, world: World, hull_case: Case, alice: User, charlie: User
) -> None:
    """alice's own case in the URL, with a concern or escalation of another case."""
    other = escalate(raise_concern(hull_case, charlie), charlie)
    client.force_login(alice)
    ids = {"case_id": world.case.public_id}
    concern = reverse("safeguarding:concern", kwargs=ids | {"concern_id": other.concern.public_id})
    outcome = reverse("safeguarding:outcome", kwargs=ids | {"escalation_id": other.public_id})
    assert client.get(concern).status_code == 404
    assert client.get(outcome).status_code == 404
