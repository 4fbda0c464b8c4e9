"""Every VIG route × every persona: alice (the allocated practitioner), bob (her manager) and
lena (the national lead) get in; everyone else gets 404, anonymous visitors go to login."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from ipip.accounts.models import User
from ipip.cases.models import Case
from ipip.vig.models import Clip, Filming, VigCycle
from ipip.vig.tests.helpers import add_clip, film, start

pytestmark = pytest.mark.django_db

ALLOWED = ("alice", "bob", "lena")
REFUSED = ("charlie", "dave", "erin", "adam", "rita", "ross")


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


# (method, name, url): GET pages answer 200 when allowed; the POST-only route redirects.
ROUTES: list[tuple[str, str, Url]] = [
    ("GET", "vig:index", _url("vig:index")),
    ("GET", "vig:start", _url("vig:start")),
    ("GET", "vig:cycle", _url("vig:cycle", cycle_id="cycle")),
    ("GET", "vig:edit", _url("vig:edit", cycle_id="cycle")),
    ("GET", "vig:filming", _url("vig:filming", cycle_id="cycle")),
    ("GET", "vig:review", _url("vig:review", cycle_id="cycle")),
    ("GET", "vig:clip", _url("vig:clip", filming_id="filming")),
    ("POST", "vig:remove-clip", _url("vig:remove-clip", clip_id="clip")),
]
IDS = [name for _, name, _ in ROUTES]
# The routes that take a POST (the index and the cycle page are GET only: a POST is 405).
WRITES = [(name, url) for _, name, url in ROUTES if name not in ("vig:index", "vig:cycle")]


@pytest.mark.parametrize("persona", ALLOWED + REFUSED)
@pytest.mark.parametrize(("method", "name", "url"), ROUTES, ids=IDS)
def test_access_matrix(
    world: World,
    client: Client,
    persona: str,
    method: str,
    name: str,
    url: Url,
    request: pytest.FixtureRequest,
) -> None:
    client.force_login(request.getfixturevalue(persona))
    path = url(world)
    if method == "GET":
        expected = 200 if persona in ALLOWED else 404
        assert client.get(path).status_code == expected, f"{persona} GET {name}"
    else:
        expected = 302 if persona in ALLOWED else 404
        response = client.post(path, {"version": str(world.clip.version)})
        assert response.status_code == expected, f"{persona} POST {name}"


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


@pytest.mark.parametrize(("method", "name", "url"), ROUTES, ids=IDS)
def test_anonymous_is_sent_to_login(
    world: World, client: Client, method: str, name: str, url: Url
) -> None:
    response = client.get(url(world)) if method == "GET" else client.post(url(world), {})
    assert response.status_code == 302, name
    assert reverse("account_login") in response["Location"]
