"""Every safeguarding route (and case closure) × every persona: staff on the case get in,
everyone else gets a 404, the anonymous go to the sign-in page."""

from collections.abc import Callable
from dataclasses import dataclass

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
from ipip.core.testing.personas import PERSONAS as ALL_PERSONAS
from ipip.safeguarding.models import Alert, Concern, Escalation
from ipip.safeguarding.tests.conftest import escalate, raise_concern

pytestmark = [pytest.mark.django_db, pytest.mark.urls("ipip.safeguarding.tests.urls")]

# Not ross yet: the second referrer would add 13 more 404s to this matrix.
PERSONAS = tuple(name for name in ALL_PERSONAS if name != "ross")
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


# Route(method, name, url, personas allowed, status when allowed: 200 unless given). POSTs
# send no fields: a form page answers 200 with its errors, a button redirects.
ROUTES: list[Route[World]] = [
    Route("GET", "safeguarding:index", case_url("safeguarding:index")),
    Route("GET", "safeguarding:raise", case_url("safeguarding:raise")),
    Route("POST", "safeguarding:raise", case_url("safeguarding:raise")),
    Route("GET", "safeguarding:concern", concern_url("safeguarding:concern")),
    Route("GET", "safeguarding:escalate", concern_url("safeguarding:escalate")),
    Route("POST", "safeguarding:escalate", concern_url("safeguarding:escalate")),
    Route("POST", "safeguarding:close", concern_url("safeguarding:close"), ON_CASE, 409),
    Route("GET", "safeguarding:outcome", outcome_url),
    Route("POST", "safeguarding:outcome", outcome_url),
    Route("GET", "cases:close", close_case_url),
    Route("POST", "cases:close", close_case_url),
    Route("GET", "alerts:list", alerts_url, ALERT_READERS),
    Route("POST", "alerts:acknowledge", acknowledge_url, ON_CASE, 302),
]


@pytest.mark.parametrize("persona", PERSONAS)
@each_route(ROUTES)
def test_route_access(
    client: Client,
    world: World,
    request: pytest.FixtureRequest,
    persona: str,
    route: Route[World],
) -> None:
    check_route(client, request, persona, route, world)


@each_route(ROUTES)
def test_anonymous_go_to_sign_in(client: Client, world: World, route: Route[World]) -> None:
    check_sent_to_login(client, route, world)


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
