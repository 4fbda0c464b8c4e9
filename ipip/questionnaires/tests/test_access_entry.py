"""Every entry route × every persona: alice (allocated), bob (manager of the area) and lena
(national lead) may; everyone else gets a 404 (evaluators too: answers are personal data),
and anonymous visitors are sent to log in."""

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
from ipip.core.testing.personas import PERSONAS
from ipip.questionnaires import actions
from ipip.questionnaires.instruments.base import Instrument
from ipip.questionnaires.models import Administration, AdministrationStatus, TimePoint
from ipip.questionnaires.tests.test_actions import (
    TODAY,
    answer_all,
    case,
    child_of,
    complete,
    frozen,
    kidscore,
    start,
)

__all__ = ["case", "frozen", "kidscore"]  # fixtures shared with the action tests

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class World:
    case: Case
    in_progress: Administration  # PHQ-9 at baseline, two items answered
    scores: Administration  # the scores-only test instrument, about a child
    completed: Administration  # PHQ-9 at end


@pytest.fixture
def world(case: Case, alice: User, kidscore: Instrument) -> World:
    in_progress = actions.do_save_answers(
        start(case, alice), answers={1: 1, 2: 2}, expected_version=1, acting_user=alice
    )
    scores = start(case, alice, "kidscore", child=child_of(case))
    completed = complete(
        answer_all(start(case, alice, time_point=TimePoint.END), alice), alice
    ).administration
    return World(case, in_progress, scores, completed)


def admin_url(name: str, which: str) -> Callable[[World], str]:
    def build(world: World) -> str:
        administration: Administration = getattr(world, which)
        return reverse(
            f"questionnaires:{name}",
            kwargs={
                "case_id": world.case.public_id,
                "administration_id": administration.public_id,
            },
        )

    return build


# POSTs are empty, so those allowed see the form again with its errors (200) and nothing
# changes.
ROUTES: list[Route[World]] = [
    Route("GET", "questionnaires:start", case_url("questionnaires:start")),
    Route("POST", "questionnaires:start", case_url("questionnaires:start")),
    Route("GET", "questionnaires:detail", admin_url("detail", "completed")),
    Route("GET", "questionnaires:answer", admin_url("answer", "in_progress")),
    Route("POST", "questionnaires:answer", admin_url("answer", "in_progress")),
    Route("GET", "questionnaires:scores", admin_url("scores", "scores")),
    Route("POST", "questionnaires:scores", admin_url("scores", "scores")),
    Route("GET", "questionnaires:complete", admin_url("complete", "in_progress")),
    Route("POST", "questionnaires:complete", admin_url("complete", "in_progress")),
    Route("GET", "questionnaires:correct", admin_url("correct", "completed")),
    Route("POST", "questionnaires:correct", admin_url("correct", "completed")),
]


def _state() -> list[tuple[object, ...]]:
    return list(
        Administration.objects.order_by("id").values_list(
            "status", "version", "answers", "entered"
        )
    )


@pytest.mark.parametrize("persona", PERSONAS)
@each_route(ROUTES)
def test_access_matrix(
    client: Client, world: World, persona: str, route: Route[World], request: pytest.FixtureRequest
) -> None:
    before = _state()
    check_route(client, request, persona, route, world)
    assert _state() == before


@each_route(ROUTES)
def test_anonymous_is_sent_to_login(client: Client, world: World, route: Route[World]) -> None:
    check_sent_to_login(client, route, world)


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - ON_CASE))
def test_outsiders_cannot_change_anything_with_good_data(
    client: Client, world: World, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    on = {"completed_on_0": str(TODAY.day), "completed_on_1": str(TODAY.month)}
    on["completed_on_2"] = str(TODAY.year)
    posts = [
        (case_url("questionnaires:start"), {"instrument": "phq9", "time_point": "follow_up"}),
        (admin_url("answer", "in_progress"), {"version": "2", "item_3": "1", "then": "later"}),
        (admin_url("scores", "scores"), {"version": "1", "scale_emotional": "3"}),
        (admin_url("complete", "in_progress"), {"version": "2", "missing_confirmed": "on", **on}),
        (
            admin_url("correct", "completed"),
            {"version": str(world.completed.version), "reason": "x", "item_1": "3", **on},
        ),
    ]
    before = _state()
    for url, data in posts:
        assert client.post(url(world), data).status_code == 404
    assert _state() == before
    assert not Administration.objects.filter(status=AdministrationStatus.SUPERSEDED).exists()
