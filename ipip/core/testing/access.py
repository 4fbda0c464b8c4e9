"""The checks of every app's access matrix (route × persona): deny by default, so anyone not
allowed gets a 404 (never learning that the record exists), and the anonymous go to log in."""

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import pytest
from django.test import Client
from django.urls import reverse

from ipip.cases.models import Case

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

# Who may open alice's allocated Sheffield case: alice, bob (its area's manager) and lena.
ON_CASE = frozenset({"alice", "bob", "lena"})


@dataclass(frozen=True)
class Route[W]:
    """A route of a matrix: `url` builds its path from the test's world (its records)."""

    method: str
    name: str
    url: Callable[[W], str]
    allowed: Collection[str] = ON_CASE
    ok: int = 200  # the status for those allowed

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}"


class OfACase(Protocol):
    """A test's world, or a record, that belongs to a case."""

    @property
    def case(self) -> Case: ...


def case_url(name: str) -> Callable[[OfACase], str]:
    """The path of the case page `name` for the world's case."""
    return lambda world: reverse(name, kwargs={"case_id": world.case.public_id})


def each_route(routes: Sequence[Route[Any]]) -> pytest.MarkDecorator:
    """Parametrise a test's `route` argument over `routes`, named by method and name."""
    return pytest.mark.parametrize("route", routes, ids=[route.id for route in routes])


def _send(client: Client, method: str, path: str, data: Mapping[str, object] | None) -> "Response":
    """GET `path`, or POST `data` (nothing unless given) to it."""
    if method == "GET":
        return client.get(path)
    return client.post(path, data or {})


def check_route[W](
    client: Client,
    request: pytest.FixtureRequest,
    persona: str,
    route: Route[W],
    world: W,
    *,
    data: Mapping[str, object] | None = None,
) -> "Response":
    """`persona` (their fixture, logged in) gets `route.ok` if allowed and a 404 otherwise.
    Returns the response."""
    client.force_login(request.getfixturevalue(persona))
    response = _send(client, route.method, route.url(world), data)
    expected = route.ok if persona in route.allowed else 404
    assert response.status_code == expected, f"{persona} {route.id}"
    return response


def check_sent_to_login[W](
    client: Client, route: Route[W], world: W, *, data: Mapping[str, object] | None = None
) -> None:
    """Someone not logged in is redirected to the login page."""
    response = _send(client, route.method, route.url(world), data)
    assert response.status_code == 302, f"anonymous {route.id}"
    assert response["Location"].startswith(reverse("account_login"))
