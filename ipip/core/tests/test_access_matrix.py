"""Every page × every role: deny by default, outsiders get 404, evaluators never see a name."""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from ipip.accounts.actions import do_create_api_token
from ipip.accounts.models import Role, User
from ipip.api.tests.test_api_referrals import body
from ipip.cases import actions as case_actions
from ipip.cases.models import Approach, Case
from ipip.core.dates import long_date
from ipip.core.testing.builders import referral_input
from ipip.core.testing.personas import make_user
from ipip.referrals import actions
from ipip.referrals.models import Referral

PERSONAS = ("alice", "bob", "charlie", "dave", "lena", "erin", "adam", "rita", "ross")


@dataclass
class World:
    users: dict[str, User]
    referral: Referral
    case: Case


@pytest.fixture
def world(db: None) -> World:
    users = {
        "alice": make_user("alice@example.org", Role.PRACTITIONER, "Sheffield"),
        "bob": make_user("bob@example.org", Role.CENTRE_MANAGER, "Sheffield"),
        "charlie": make_user("charlie@example.org", Role.PRACTITIONER, "Hull"),
        "dave": make_user("dave@example.org", Role.CENTRE_MANAGER, "Hull"),
        "lena": make_user("lena@example.org", Role.NATIONAL_LEAD),
        "erin": make_user("erin@example.org", Role.EVALUATOR),
        "adam": make_user("adam@example.org", Role.ADMINISTRATOR),
        "rita": make_user("rita@example.org", Role.REFERRER, agency_type="health_visitor"),
        "ross": make_user("ross@example.org", Role.REFERRER, agency_type="school"),
    }
    # The referral under test stays open; the case comes from a second, accepted referral.
    referral = actions.do_receive_referral(referral_input(), acting_user=users["rita"])
    accepted = actions.do_receive_referral(referral_input(), acting_user=users["rita"])
    case = actions.do_accept_referral(accepted, acting_user=users["bob"])
    case = case_actions.do_allocate_case(
        case, practitioner=users["alice"], approach=Approach.VIG, acting_user=users["bob"]
    )
    return World(users=users, referral=referral, case=case)


Url = Callable[[World], str]


def r(name: str) -> Url:
    return lambda w: reverse(name, args=[w.referral.public_id])


def c(name: str) -> Url:
    return lambda w: reverse(name, args=[w.case.public_id])


def cc(name: str) -> Url:
    return lambda w: reverse(name, kwargs={"case_id": w.case.public_id})


def plain(name: str) -> Url:
    return lambda w: reverse(name)


def alices_account(name: str) -> Url:
    return lambda w: reverse(name, args=[w.users["alice"].public_id])


ALL = set(PERSONAS)
MANAGERS = {"bob", "lena"}
# (method, url, personas allowed, status when allowed)
ROUTES: list[tuple[str, str, Url, set[str], int]] = [
    ("GET", "core:home", plain("core:home"), ALL, 200),
    ("GET", "referrals:queue", plain("referrals:queue"), MANAGERS | {"dave", "rita", "ross"}, 200),
    (
        "GET",
        "referrals:create",
        plain("referrals:create"),
        MANAGERS | {"dave", "rita", "ross"},
        200,
    ),
    ("GET", "referrals:detail", r("referrals:detail"), MANAGERS | {"rita"}, 200),
    ("GET", "referrals:facts", r("referrals:facts"), MANAGERS, 200),
    ("GET", "referrals:override", r("referrals:override"), MANAGERS, 200),
    ("GET", "referrals:decline", r("referrals:decline"), MANAGERS, 200),
    ("GET", "referrals:duplicates", r("referrals:duplicates"), MANAGERS, 200),
    ("POST", "referrals:rescreen", r("referrals:rescreen"), MANAGERS, 302),
    ("POST", "referrals:accept", r("referrals:accept"), MANAGERS, 302),
    (
        "GET",
        "cases:list",
        plain("cases:list"),
        {"alice", "bob", "charlie", "dave", "lena", "erin"},
        200,
    ),
    ("GET", "cases:detail", c("cases:detail"), {"alice", "bob", "lena", "erin"}, 200),
    ("GET", "cases:allocate", c("cases:allocate"), MANAGERS, 200),
    ("GET", "cases:close", c("cases:close"), MANAGERS | {"alice"}, 200),
    ("POST", "cases:activate", c("cases:activate"), MANAGERS | {"alice"}, 302),
    ("GET", "cases:audit", c("cases:audit"), MANAGERS | {"adam"}, 200),
    ("GET", "consent:index", cc("consent:index"), {"alice", "bob", "lena"}, 200),
    ("GET", "consent:record", cc("consent:record"), {"alice", "bob", "lena"}, 200),
    ("GET", "visits:index", cc("visits:index"), {"alice", "bob", "lena"}, 200),
    ("GET", "visits:schedule", cc("visits:schedule"), {"alice", "bob", "lena"}, 200),
    ("GET", "dashboard:index", plain("dashboard:index"), MANAGERS | {"dave"}, 200),
    (
        "GET",
        "dashboard:fidelity-rules",
        plain("dashboard:fidelity-rules"),
        {"alice", "bob", "charlie", "dave", "lena", "erin"},
        200,
    ),
    ("GET", "alerts:list", plain("alerts:list"), {"alice", "bob", "charlie", "dave", "lena"}, 200),
    ("GET", "allocation:waiting-list", plain("allocation:waiting-list"), MANAGERS | {"dave"}, 200),
    ("GET", "vig:index", cc("vig:index"), {"alice", "bob", "lena"}, 200),
    ("GET", "goals:index", cc("goals:index"), {"alice", "bob", "lena"}, 200),
    ("GET", "safeguarding:index", cc("safeguarding:index"), {"alice", "bob", "lena"}, 200),
    (
        "GET",
        "accounts:api-tokens",
        plain("accounts:api-tokens"),
        MANAGERS | {"dave", "rita", "ross"},
        200,
    ),
    ("GET", "accounts:users", plain("accounts:users"), {"adam"}, 200),
    ("GET", "accounts:create-user", plain("accounts:create-user"), {"adam"}, 200),
    ("GET", "accounts:edit-user", alices_account("accounts:edit-user"), {"adam"}, 200),
    ("POST", "accounts:reset-user-mfa", alices_account("accounts:reset-user-mfa"), {"adam"}, 302),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("method", "name", "url", "allowed", "ok"), ROUTES, ids=[x[1] for x in ROUTES]
)
def test_access_matrix(
    world: World,
    client: Client,
    persona: str,
    method: str,
    name: str,
    url: Url,
    allowed: set[str],
    ok: int,
) -> None:
    client.force_login(world.users[persona])
    path = url(world)
    if method == "GET":
        response = client.get(path)
    else:
        version = world.case.version if name.startswith("cases:") else world.referral.version
        response = client.post(path, {"version": version})
    expected = ok if persona in allowed else 404
    assert response.status_code == expected, f"{persona} {method} {name}"


@pytest.mark.parametrize(("name", "url"), [(x[1], x[2]) for x in ROUTES])
def test_anonymous_is_sent_to_login(world: World, client: Client, name: str, url: Url) -> None:
    response = client.get(url(world))
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
