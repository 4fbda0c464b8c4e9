"""Every page × every role: deny by default, outsiders get 404, evaluators never see a name."""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from ipip.accounts.actions import do_create_api_token
from ipip.accounts.models import User
from ipip.api.tests.test_api_referrals import body
from ipip.cases.models import Case
from ipip.core.dates import long_date
from ipip.core.testing.access import ON_CASE, Route, case_url, check_route, each_route
from ipip.core.testing.builders import allocated_case, referral_input
from ipip.core.testing.personas import PERSONAS
from ipip.referrals import actions
from ipip.referrals.models import Referral


@dataclass
class World:
    users: dict[str, User]
    referral: Referral
    case: Case


@pytest.fixture
def world(personas: dict[str, User]) -> World:
    # The referral under test stays open; the case comes from a second, accepted referral.
    referral = actions.do_receive_referral(referral_input(), acting_user=personas["rita"])
    case = allocated_case(personas["rita"], personas["bob"], personas["alice"])
    return World(users=personas, referral=referral, case=case)


Url = Callable[[World], str]


def r(name: str) -> Url:
    return lambda w: reverse(name, args=[w.referral.public_id])


def c(name: str) -> Url:
    return lambda w: reverse(name, args=[w.case.public_id])


def plain(name: str) -> Url:
    return lambda w: reverse(name)


def alices_account(name: str) -> Url:
    return lambda w: reverse(name, args=[w.users["alice"].public_id])


ALL = set(PERSONAS)
MANAGERS = {"bob", "lena"}
# Route(method, name, url, personas allowed, status when allowed: 200 unless given)
ROUTES: list[Route[World]] = [
    Route("GET", "core:home", plain("core:home"), ALL),
    Route("GET", "referrals:queue", plain("referrals:queue"), MANAGERS | {"dave", "rita", "ross"}),
    Route(
        "GET", "referrals:create", plain("referrals:create"), MANAGERS | {"dave", "rita", "ross"}
    ),
    Route("GET", "referrals:detail", r("referrals:detail"), MANAGERS | {"rita"}),
    Route("GET", "referrals:facts", r("referrals:facts"), MANAGERS),
    Route("GET", "referrals:override", r("referrals:override"), MANAGERS),
    Route("GET", "referrals:decline", r("referrals:decline"), MANAGERS),
    Route("GET", "referrals:duplicates", r("referrals:duplicates"), MANAGERS),
    Route("POST", "referrals:rescreen", r("referrals:rescreen"), MANAGERS, 302),
    Route("POST", "referrals:accept", r("referrals:accept"), MANAGERS, 302),
    Route(
        "GET",
        "cases:list",
        plain("cases:list"),
        {"alice", "bob", "charlie", "dave", "lena", "erin"},
    ),
    Route("GET", "cases:detail", c("cases:detail"), {"alice", "bob", "lena", "erin"}),
    Route("GET", "cases:allocate", c("cases:allocate"), MANAGERS),
    Route("GET", "cases:close", c("cases:close"), MANAGERS | {"alice"}),
    Route("POST", "cases:activate", c("cases:activate"), MANAGERS | {"alice"}, 302),
    Route("GET", "cases:audit", c("cases:audit"), MANAGERS | {"adam"}),
    Route("GET", "consent:index", case_url("consent:index"), ON_CASE),
    Route("GET", "consent:record", case_url("consent:record"), ON_CASE),
    Route("GET", "visits:index", case_url("visits:index"), ON_CASE),
    Route("GET", "visits:schedule", case_url("visits:schedule"), ON_CASE),
    Route("GET", "dashboard:index", plain("dashboard:index"), MANAGERS | {"dave"}),
    Route(
        "GET",
        "dashboard:fidelity-rules",
        plain("dashboard:fidelity-rules"),
        {"alice", "bob", "charlie", "dave", "lena", "erin"},
    ),
    Route("GET", "alerts:list", plain("alerts:list"), {"alice", "bob", "charlie", "dave", "lena"}),
    Route("GET", "allocation:waiting-list", plain("allocation:waiting-list"), MANAGERS | {"dave"}),
    Route("GET", "vig:index", case_url("vig:index"), ON_CASE),
    Route("GET", "goals:index", case_url("goals:index"), ON_CASE),
    Route("GET", "safeguarding:index", case_url("safeguarding:index"), ON_CASE),
    Route(
        "GET",
        "accounts:api-tokens",
        plain("accounts:api-tokens"),
        MANAGERS | {"dave", "rita", "ross"},
    ),
    Route("GET", "accounts:users", plain("accounts:users"), {"adam"}),
    Route("GET", "accounts:create-user", plain("accounts:create-user"), {"adam"}),
    Route("GET", "accounts:edit-user", alices_account("accounts:edit-user"), {"adam"}),
    Route(
        "POST", "accounts:reset-user-mfa", alices_account("accounts:reset-user-mfa"), {"adam"}, 302
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@each_route(ROUTES)
def test_access_matrix(
    world: World, client: Client, request: pytest.FixtureRequest, persona: str, route: Route[World]
) -> None:
    version = world.case.version if route.name.startswith("cases:") else world.referral.version
    check_route(client, request, persona, route, world, data={"version": version})


@each_route(ROUTES)
def test_anonymous_is_sent_to_login(world: World, client: Client, route: Route[World]) -> None:
    response = client.get(route.url(world))  # GET even a POST route: 405 is a refusal too
    assert response.status_code in (302, 405)
    if response.status_code == 302:
        assert reverse("account_login") in response["Location"]


def _identities(world: World) -> list[str]:
    family = world.case.family
    found = [family.postcode, family.address_line_1]
    for child in family.children.all():
        found += [child.first_name, child.last_name]
        if child.date_of_birth:
            found.append(long_date(child.date_of_birth))
    for carer in family.carers.all():
        found += [carer.first_name, carer.last_name]
    found.append(world.users["alice"].email)
    return found


@pytest.mark.parametrize("page", ["cases:list", "cases:detail"])
def test_evaluator_never_sees_a_name(world: World, client: Client, page: str) -> None:
    client.force_login(world.users["erin"])
    path = reverse(page) if page == "cases:list" else reverse(page, args=[world.case.public_id])
    content = client.get(path).content.decode()
    assert world.case.family.pseudonym in content
    for value in _identities(world):
        assert escape(value) not in content, f"evaluator saw {value!r} on {page}"


def test_manager_sees_the_names_the_evaluator_does_not(world: World, client: Client) -> None:
    client.force_login(world.users["bob"])
    content = client.get(reverse("cases:detail", args=[world.case.public_id])).content.decode()
    assert escape(world.case.family.children.first().first_name) in content  # type: ignore[union-attr]


# The API, by token, for every role: (method, path builder, allowed personas, status when allowed,
# status for everyone else). Listing and creating are refused with 403 and a reason for roles
# that never use referrals; a referral outside one's scope is 404.
API_ROUTES: list[tuple[str, str, Url, set[str], int, int]] = [
    ("GET", "list", lambda w: "/api/v1/referrals", MANAGERS | {"dave", "rita", "ross"}, 200, 403),
    (
        "GET",
        "detail",
        lambda w: f"/api/v1/referrals/{w.referral.public_id}",
        MANAGERS | {"rita"},
        200,
        404,
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("method", "name", "url", "allowed", "ok", "refused"),
    API_ROUTES,
    ids=[x[1] for x in API_ROUTES],
)
def test_api_access_matrix(
    world: World,
    client: Client,
    persona: str,
    method: str,
    name: str,
    url: Url,
    allowed: set[str],
    ok: int,
    refused: int,
) -> None:
    _token, raw = do_create_api_token(world.users[persona], name="matrix")
    response = client.get(url(world), headers={"Authorization": f"Bearer {raw}"})
    if name == "detail" and persona == "dave":
        refused = 404  # a manager of another area: outside the scope
    assert response.status_code == (ok if persona in allowed else refused), persona
    if name == "list" and response.status_code == 200:
        ids = {item["id"] for item in response.json()["items"]}
        assert (str(world.referral.public_id) in ids) == (persona in MANAGERS | {"rita"})


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_create_by_role(world: World, client: Client, persona: str) -> None:
    """Referrers and managers create (a manager only in their own area); others get 403."""
    _token, raw = do_create_api_token(world.users[persona], name="matrix")
    payload = body()
    if world.users[persona].manages_referrals:
        payload["agency_type"] = "early_help"
    response = client.post(
        "/api/v1/referrals",
        data=json.dumps(payload),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    expected = {"bob": 201, "lena": 201, "rita": 201, "ross": 201, "dave": 422}.get(persona, 403)
    assert response.status_code == expected, (persona, response.content)


def test_api_without_token_is_401(world: World, client: Client) -> None:
    for path in ("/api/v1/referrals", f"/api/v1/referrals/{world.referral.public_id}"):
        assert client.get(path).status_code == 401
