"""Every allocation route × every persona: deny by default, outsiders get 404.

The area pages are Sheffield's for bob, Hull's for dave, and the area chosen for lena. With
`?area=` naming Sheffield, dave (Hull) gets a 404 like any outsider.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from ipip.accounts.models import Area, User
from ipip.cases.models import Case
from ipip.core.testing.access import Route, check_route, check_sent_to_login, each_route
from ipip.core.testing.builders import allocated_case
from ipip.core.testing.personas import PERSONAS


@dataclass
class World:
    users: dict[str, User]
    case: Case  # Sheffield, allocated to alice
    sheffield: Area


@pytest.fixture
def world(personas: dict[str, User]) -> World:
    case = allocated_case(personas["rita"], personas["bob"], personas["alice"])
    return World(users=personas, case=case, sheffield=Area.objects.get(name="Sheffield"))


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
# Route(method, name, url, personas allowed). POSTs send an empty form: allowed people get
# the page back with its errors (200), everyone else a 404.
ROUTES: list[Route[World]] = [
    Route("GET", "waiting-list", plain("allocation:waiting-list"), AREA_MANAGERS),
    Route("GET", "waiting-list?area", in_sheffield("allocation:waiting-list"), SHEFFIELD),
    Route("GET", "capacity", plain("allocation:capacity"), AREA_MANAGERS),
    Route("GET", "capacity?area", in_sheffield("allocation:capacity"), SHEFFIELD),
    Route("GET", "capacity-edit", alices_capacity, SHEFFIELD),
    Route("POST", "capacity-edit", alices_capacity, SHEFFIELD),
    Route("GET", "trial", plain("allocation:trial"), AREA_MANAGERS),
    Route("GET", "trial?area", in_sheffield("allocation:trial"), SHEFFIELD),
    Route("POST", "trial?area", in_sheffield("allocation:trial"), SHEFFIELD),
    Route("GET", "cases:allocate", case_allocate, SHEFFIELD),
    Route("POST", "cases:allocate", case_allocate, SHEFFIELD),
]
SUBMITTED = {"submitted": "1"}  # an empty form, sent


@pytest.mark.parametrize("persona", PERSONAS)
@each_route(ROUTES)
def test_access_matrix(
    world: World, client: Client, request: pytest.FixtureRequest, persona: str, route: Route[World]
) -> None:
    response = check_route(client, request, persona, route, world, data=SUBMITTED)
    if response.status_code == 200 and route.method == "POST":
        assert "There is a problem" in response.content.decode()


@each_route(ROUTES)
def test_anonymous_is_sent_to_login(world: World, client: Client, route: Route[World]) -> None:
    check_sent_to_login(client, route, world, data=SUBMITTED)


def test_an_inactive_manager_gets_404(world: World, client: Client) -> None:
    bob = world.users["bob"]
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    client.force_login(bob)
    for route in ROUTES:
        assert client.get(route.url(world)).status_code in (302, 404)
