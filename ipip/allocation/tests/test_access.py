"""Every allocation route × every persona: deny by default, outsiders get 404.

The area pages are Sheffield's for bob, Hull's for dave, and the area chosen for lena. With
`?area=` naming Sheffield, dave (Hull) gets a 404 like any outsider.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from ipip.accounts.models import Area, Role, User
from ipip.cases.actions import do_allocate_case
from ipip.cases.models import Approach, Case
from ipip.core.testing.builders import referral_input
from ipip.core.testing.personas import make_user
from ipip.referrals import actions

PERSONAS = ("alice", "bob", "charlie", "dave", "lena", "erin", "adam", "rita", "ross")


@dataclass
class World:
    users: dict[str, User]
    case: Case  # Sheffield, allocated to alice
    sheffield: Area


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
    referral = actions.do_receive_referral(referral_input(), acting_user=users["rita"])
    case = actions.do_accept_referral(referral, acting_user=users["bob"])
    case = do_allocate_case(
        case, practitioner=users["alice"], approach=Approach.VIG, acting_user=users["bob"]
    )
    return World(users=users, case=case, sheffield=Area.objects.get(name="Sheffield"))


Url = Callable[[World], str]


def plain(name: str) -> Url:
    return lambda w: reverse(name)


def in_sheffield(name: str) -> Url:
    return lambda w: f"{reverse(name)}?area={w.sheffield.public_id}"


def alices_capacity(w: World) -> str:
    return reverse("allocation:capacity-edit", args=[w.users["alice"].public_id])


def case_allocate(w: World) -> str:
    return reverse("cases:allocate", args=[w.case.public_id])


AREA_MANAGERS = {"bob", "dave", "lena"}
SHEFFIELD = {"bob", "lena"}
# (method, name, url, personas allowed, status when allowed). POSTs send an empty form:
# allowed people get the page back with its errors (200), everyone else a 404.
ROUTES: list[tuple[str, str, Url, set[str], int]] = [
    ("GET", "waiting-list", plain("allocation:waiting-list"), AREA_MANAGERS, 200),
    ("GET", "waiting-list?area", in_sheffield("allocation:waiting-list"), SHEFFIELD, 200),
    ("GET", "capacity", plain("allocation:capacity"), AREA_MANAGERS, 200),
    ("GET", "capacity?area", in_sheffield("allocation:capacity"), SHEFFIELD, 200),
    ("GET", "capacity-edit", alices_capacity, SHEFFIELD, 200),
    ("POST", "capacity-edit", alices_capacity, SHEFFIELD, 200),
    ("GET", "trial", plain("allocation:trial"), AREA_MANAGERS, 200),
    ("GET", "trial?area", in_sheffield("allocation:trial"), SHEFFIELD, 200),
    ("POST", "trial?area", in_sheffield("allocation:trial"), SHEFFIELD, 200),
    ("GET", "cases:allocate", case_allocate, SHEFFIELD, 200),
    ("POST", "cases:allocate", case_allocate, SHEFFIELD, 200),
]
IDS = [f"{method} {name}" for method, name, *_ in ROUTES]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("method", "name", "url", "allowed", "ok"), ROUTES, ids=IDS)
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
    response = client.get(path) if method == "GET" else client.post(path, {"submitted": "1"})
    expected = ok if persona in allowed else 404
    assert response.status_code == expected, f"{persona} {method} {name}"
    if response.status_code == 200 and method == "POST":
        assert "There is a problem" in response.content.decode()


@pytest.mark.parametrize(("method", "name", "url"), [r[:3] for r in ROUTES], ids=IDS)
def test_anonymous_is_sent_to_login(
    world: World, client: Client, method: str, name: str, url: Url
) -> None:
    path = url(world)
    response = client.get(path) if method == "GET" else client.post(path, {"submitted": "1"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_an_inactive_manager_gets_404(world: World, client: Client) -> None:
    bob = world.users["bob"]
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    client.force_login(bob)
    for _method, _name, url, _allowed, _ok in ROUTES:
        assert client.get(url(world)).status_code in (302, 404)
