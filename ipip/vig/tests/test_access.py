"""Every VIG route × every persona: alice (the allocated practitioner), bob (her manager) and
lena (the national lead) get in; everyone else gets 404, anonymous visitors go to login."""

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
    check_route,
    check_sent_to_login,
    each_route,
)
from ipip.core.testing.personas import PERSONAS
from ipip.vig.models import Clip, Filming, VigCycle
from ipip.vig.tests.helpers import add_clip, film, start

pytestmark = pytest.mark.django_db

REFUSED = tuple(name for name in PERSONAS if name not in ON_CASE)


@dataclass
class World:
    case: Case
    cycle: VigCycle
    filming: Filming
    clip: Clip


@pytest.fixture
def world(case: Case, alice: User) -> World:
    cycle = start(case, alice)
    filming = film(cycle, alice)
    return World(case=case, cycle=cycle, filming=filming, clip=add_clip(filming, alice))


Url = Callable[[World], str]


def _url(name: str, **ids: str) -> Url:
    def build(w: World) -> str:
        kwargs = {"case_id": w.case.public_id}
        kwargs |= {key: getattr(w, attr).public_id for key, attr in ids.items()}
        return reverse(name, kwargs=kwargs)

    return build


# GET pages answer 200 when allowed; the POST-only route redirects.
ROUTES: list[Route[World]] = [
    Route("GET", "vig:index", _url("vig:index")),
    Route("GET", "vig:start", _url("vig:start")),
    Route("GET", "vig:cycle", _url("vig:cycle", cycle_id="cycle")),
    Route("GET", "vig:edit", _url("vig:edit", cycle_id="cycle")),
    Route("GET", "vig:filming", _url("vig:filming", cycle_id="cycle")),
    Route("GET", "vig:review", _url("vig:review", cycle_id="cycle")),
    Route("GET", "vig:clip", _url("vig:clip", filming_id="filming")),
    Route("POST", "vig:remove-clip", _url("vig:remove-clip", clip_id="clip"), ON_CASE, 302),
]
# The routes that take a POST (the index and the cycle page are GET only: a POST is 405).
WRITES = [(r.name, r.url) for r in ROUTES if r.name not in ("vig:index", "vig:cycle")]


@pytest.mark.parametrize("persona", PERSONAS)
@each_route(ROUTES)
def test_access_matrix(
    world: World,
    client: Client,
    persona: str,
    route: Route[World],
    request: pytest.FixtureRequest,
) -> None:
    check_route(client, request, persona, route, world, data={"version": str(world.clip.version)})


@pytest.mark.parametrize("persona", REFUSED)
@pytest.mark.parametrize(("name", "url"), WRITES, ids=[name for name, _ in WRITES])
def test_outsiders_post_nothing(
    world: World,
    client: Client,
    persona: str,
    name: str,
    url: Url,
    request: pytest.FixtureRequest,
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.post(url(world), {"version": "1"}).status_code == 404, name
    assert VigCycle.objects.count() == 1
    assert Filming.objects.count() == 1
    assert Clip.objects.chosen().count() == 1


@each_route(ROUTES)
def test_anonymous_is_sent_to_login(world: World, client: Client, route: Route[World]) -> None:
    check_sent_to_login(client, route, world)
