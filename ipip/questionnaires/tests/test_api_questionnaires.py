"""The questionnaire API through the test client: the library, a case's questionnaires,
start, save part-way, complete and correct; scope (404), field errors (422), stale
versions and locked questionnaires (409), and the audit of reads."""

import json
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from ipip.accounts.models import ApiToken, User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case
from ipip.core.testing.access import ON_CASE
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
    hull_case,
    kidscore,
    start,
)

__all__ = ["case", "frozen", "hull_case", "kidscore"]  # fixtures shared with action tests

pytestmark = pytest.mark.django_db

# The token (with its user), marking it used, the case, the administrations (with their
# children), their scores (one prefetch) and the audit row: the same for one or three.
LIST_QUERIES = 6


class Api:
    """The test client with a bearer token."""

    def __init__(self, client: Client, user: User | None) -> None:
        self.client = client
        self.headers = {}
        if user is not None:
            raw = ApiToken.new_raw_token()
            ApiToken.objects.create(
                user=user, name="tests", prefix=raw[:8], key_hash=ApiToken.hash(raw)
            )
            self.headers = {"Authorization": f"Bearer {raw}"}

    def get(self, path: str) -> Any:
        return self.client.get(f"/api/v1{path}", headers=self.headers)

    def send(self, method: str, path: str, data: dict[str, Any]) -> Any:
        send = getattr(self.client, method)
        return send(
            f"/api/v1{path}",
            data=json.dumps(data),
            content_type="application/json",
            headers=self.headers,
        )


@pytest.fixture
def as_user(client: Client) -> Callable[[User], Api]:
    return lambda user: Api(client, user)


def base(case: Case) -> str:
    return f"/cases/{case.public_id}/questionnaires"


def one(administration: Administration) -> str:
    return f"{base(administration.case)}/{administration.public_id}"


def locs(response: Any) -> list[list[str | int]]:
    return [e["loc"] for e in response.json()["detail"]]


def body_loc(*loc: str) -> list[str]:
    return ["body", "payload", *loc]


def all_answers(**changes: int) -> dict[str, int]:
    answers = {str(n): 1 for n in range(1, 9)} | {"9": 0}
    return answers | {k.removeprefix("i"): v for k, v in changes.items()}


# --- The library -------------------------------------------------------------------------


def test_the_library_lists_items_options_and_scales(
    alice: User, as_user: Callable[[User], Api], kidscore: Instrument
) -> None:
    response = as_user(alice).get("/instruments")
    assert response.status_code == 200
    library = {i["code"]: i for i in response.json()}
    phq9 = library["phq9"]
    assert phq9["licence"] == "items"
    assert [item["number"] for item in phq9["items"]] == list(range(1, 10))
    assert phq9["items"][8]["risk_above"] == 0
    assert phq9["items"][0]["options"][3] == {"value": 3, "label": "Nearly every day"}
    assert phq9["items"][0]["wording"] == "Little interest or pleasure in doing things"
    assert phq9["scales"][0]["code"] == "total"
    scores = library["kidscore"]
    assert scores["licence"] == "scores"
    assert scores["items"] == []
    assert scores["about_child"] is True
    entered = {s["code"]: s["entered"] for s in scores["scales"]}
    assert entered == {
        "emotional": True,
        "conduct": True,
        "impact": True,
        "warmth": True,
        "total": False,
    }


@pytest.mark.parametrize("persona", ["bob", "lena", "erin", "adam"])
def test_the_library_is_open_to_staff(
    persona: str, as_user: Callable[[User], Api], request: pytest.FixtureRequest
) -> None:
    assert as_user(request.getfixturevalue(persona)).get("/instruments").status_code == 200


def test_the_library_is_closed_to_referrers_and_anonymous(
    rita: User, client: Client, as_user: Callable[[User], Api]
) -> None:
    assert as_user(rita).get("/instruments").status_code == 403
    assert Api(client, None).get("/instruments").status_code == 401


# --- A case's questionnaires ---------------------------------------------------------------


def test_list_shows_each_with_its_scores_and_bands(
    case: Case, alice: User, as_user: Callable[[User], Api]
) -> None:
    done = complete(answer_all(start(case, alice), alice, {1: 3, 2: 3}), alice).administration
    in_progress = start(case, alice, time_point=TimePoint.END)
    response = as_user(alice).get(base(case))
    assert response.status_code == 200
    first, second = response.json()
    assert first["id"] == str(done.public_id)
    assert first["instrument"] == "phq9"
    assert first["instrument_name"] == "PHQ-9"
    assert (first["time_point"], first["status"]) == ("baseline", "completed")
    assert first["completed_on"] == TODAY.isoformat()
    [score] = first["scores"]
    assert (score["scale"], score["value"], score["band"]) == ("total", "12.00", "moderate")
    assert score["band_label"] == "Moderate"
    assert second["id"] == str(in_progress.public_id)
    assert (second["status"], second["completed_on"], second["scores"]) == (
        "in_progress",
        None,
        [],
    )
    event = AuditEvent.objects.get(action=Action.QUESTIONNAIRE_VIEWED)
    assert event.actor == alice
    assert event.data == {
        "via": "api",
        "administration_ids": [str(done.public_id), str(in_progress.public_id)],
    }


@pytest.mark.parametrize("count", [1, 3])
def test_list_takes_a_fixed_number_of_queries(
    case: Case,
    alice: User,
    as_user: Callable[[User], Api],
    count: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    for point in list(TimePoint)[:count]:
        complete(answer_all(start(case, alice, time_point=point), alice), alice)
    api = as_user(alice)
    with django_assert_num_queries(LIST_QUERIES):
        response = api.get(base(case))
    assert len(response.json()) == count


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_staff_on_the_case_see_its_questionnaires(
    case: Case,
    alice: User,
    persona: str,
    as_user: Callable[[User], Api],
    request: pytest.FixtureRequest,
) -> None:
    administration = start(case, alice)
    api = as_user(request.getfixturevalue(persona))
    expected = 200 if persona in ON_CASE else 404
    assert api.get(base(case)).status_code == expected
    assert api.get(one(administration)).status_code == expected
    saved = api.send("patch", one(administration), {"version": 1, "answers": {"1": 2}})
    assert saved.status_code == expected
    if persona not in ON_CASE:
        created = api.send("post", base(case), {"instrument": "phq9", "time_point": "end"})
        assert created.status_code == 404
        assert Administration.objects.count() == 1
        assert not AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_VIEWED).exists()


def test_a_questionnaire_of_another_case_is_not_found(
    case: Case,
    hull_case: Case,
    alice: User,
    charlie: User,
    as_user: Callable[[User], Api],
) -> None:
    theirs = start(hull_case, charlie)
    api = as_user(alice)
    assert api.get(f"{base(case)}/{theirs.public_id}").status_code == 404
    assert api.get(f"{base(case)}/{uuid4()}").status_code == 404
    assert api.get(f"/cases/{uuid4()}/questionnaires").status_code == 404


# --- Start ---------------------------------------------------------------------------------


def test_start_returns_the_new_questionnaire(
    case: Case, alice: User, as_user: Callable[[User], Api]
) -> None:
    response = as_user(alice).send(
        "post", base(case), {"instrument": "phq9", "time_point": "baseline"}
    )
    assert response.status_code == 201
    data = response.json()
    administration = Administration.objects.get()
    assert data["id"] == str(administration.public_id)
    assert (data["status"], data["version"], data["number"]) == ("in_progress", 1, 1)
    assert data["answers"] == {}
    assert data["unanswered"] == list(range(1, 10))
    assert AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_STARTED).count() == 1


def test_start_a_second_time_is_a_conflict(
    case: Case, alice: User, as_user: Callable[[User], Api]
) -> None:
    start(case, alice)
    response = as_user(alice).send(
        "post", base(case), {"instrument": "phq9", "time_point": "baseline"}
    )
    assert response.status_code == 409
    assert "already started" in response.json()["detail"]


def test_start_refuses_an_unknown_instrument_naming_the_field(
    case: Case, alice: User, as_user: Callable[[User], Api]
) -> None:
    response = as_user(alice).send(
        "post", base(case), {"instrument": "nope", "time_point": "soon"}
    )
    assert response.status_code == 422
    assert sorted(locs(response)) == [body_loc("instrument"), body_loc("time_point")]
    assert not Administration.objects.exists()


def test_start_about_a_child_needs_a_child_of_the_family(
    case: Case,
    hull_case: Case,
    alice: User,
    as_user: Callable[[User], Api],
    kidscore: Instrument,
) -> None:
    api = as_user(alice)
    data: dict[str, Any] = {"instrument": "kidscore", "time_point": "end"}
    response = api.send("post", base(case), data)
    assert response.status_code == 422
    assert locs(response) == [body_loc("child_id")]
    data["child_id"] = str(child_of(hull_case).public_id)
    assert locs(api.send("post", base(case), data)) == [body_loc("child_id")]
    data["child_id"] = str(child_of(case).public_id)
    response = api.send("post", base(case), data)
    assert response.status_code == 201
    assert response.json()["child_id"] == data["child_id"]


# --- Read one ------------------------------------------------------------------------------


def test_get_one_shows_answers_and_is_audited(
    case: Case, alice: User, as_user: Callable[[User], Api]
) -> None:
    administration = actions.do_save_answers(
        start(case, alice), answers={1: 2, 4: 0}, expected_version=1, acting_user=alice
    )
    response = as_user(alice).get(one(administration))
    assert response.status_code == 200
    data = response.json()
    assert data["answers"] == {"1": 2, "4": 0}
    assert data["version"] == 2
    assert data["unanswered"] == [2, 3, 5, 6, 7, 8, 9]
    event = AuditEvent.objects.get(action=Action.QUESTIONNAIRE_VIEWED)
    assert event.subject_public_id == administration.public_id
    assert event.data["via"] == "api"


# --- Save part-way -------------------------------------------------------------------------


def test_save_part_way(case: Case, alice: User, as_user: Callable[[User], Api]) -> None:
    administration = start(case, alice)
    api = as_user(alice)
    response = api.send("patch", one(administration), {"version": 1, "answers": {"1": 2}})
    assert response.status_code == 200
    assert response.json()["version"] == 2
    response = api.send(
        "patch", one(administration), {"version": 2, "answers": {"1": None, "2": 3}}
    )
    assert response.json()["answers"] == {"2": 3}


def test_save_with_a_stale_version_is_a_conflict(
    case: Case, alice: User, as_user: Callable[[User], Api]
) -> None:
    administration = start(case, alice)
    api = as_user(alice)
    api.send("patch", one(administration), {"version": 1, "answers": {"1": 2}})
    response = api.send("patch", one(administration), {"version": 1, "answers": {"1": 0}})
    assert response.status_code == 409
    assert "Someone else changed this questionnaire" in response.json()["detail"]
    assert Administration.objects.get().answers == {"1": 2}


def test_save_refuses_an_answer_out_of_range_naming_the_item(
    case: Case, alice: User, as_user: Callable[[User], Api]
) -> None:
    administration = start(case, alice)
    response = as_user(alice).send(
        "patch", one(administration), {"version": 1, "answers": {"1": 2, "3": 7}}
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == body_loc("answers", "3")
    assert error["msg"].startswith("Item 3: 7 is not an answer")
    assert Administration.objects.get().answers == {}


def test_save_refuses_unknown_fields_and_non_numbers(
    case: Case, alice: User, as_user: Callable[[User], Api]
) -> None:
    administration = start(case, alice)
    api = as_user(alice)
    response = api.send("patch", one(administration), {"version": 1, "anwsers": {}})
    assert response.status_code == 422
    assert locs(response) == [body_loc("anwsers")]
    response = api.send("patch", one(administration), {"version": 1, "answers": {"1": "2"}})
    assert response.status_code == 422
    assert locs(response) == [body_loc("answers", "1")]


def test_scores_only_errors_name_the_scale(
    case: Case, alice: User, as_user: Callable[[User], Api], kidscore: Instrument
) -> None:
    administration = start(case, alice, "kidscore", child=child_of(case))
    api = as_user(alice)
    response = api.send(
        "patch", one(administration), {"version": 1, "scores": {"emotional": 11, "warmth": "2"}}
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == body_loc("scores", "emotional")
    assert error["msg"] == "Emotional must be from 0 to 10."
    response = api.send(
        "patch", one(administration), {"version": 1, "scores": {"emotional": 4, "warmth": 2.5}}
    )
    assert response.status_code == 200
    assert response.json()["entered"] == {"emotional": "4", "warmth": "2.5"}


# --- Complete ------------------------------------------------------------------------------


def test_complete_scores_and_reports_the_risk(
    case: Case, alice: User, as_user: Callable[[User], Api]
) -> None:
    administration = start(case, alice)
    response = as_user(alice).send(
        "post",
        f"{one(administration)}/complete",
        {"version": 1, "completed_on": TODAY.isoformat(), "answers": all_answers(i9=1)},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "completed"
    assert data["scores"][0]["value"] == "9.00"
    [flag] = data["risk_flags"]
    assert flag["code"] == "item_9"
    assert flag["alert_id"]
    assert Administration.objects.get().status == AdministrationStatus.COMPLETED


def test_complete_with_missing_items_names_each(
    case: Case, alice: User, as_user: Callable[[User], Api]
) -> None:
    administration = start(case, alice)
    answers = all_answers()
    del answers["8"], answers["9"]
    api = as_user(alice)
    data: dict[str, Any] = {"version": 1, "completed_on": TODAY.isoformat(), "answers": answers}
    response = api.send("post", f"{one(administration)}/complete", data)
    assert response.status_code == 422
    assert locs(response) == [body_loc("answers", "8"), body_loc("answers", "9")]
    assert Administration.objects.get().version == 1
    data["missing_confirmed"] = True
    assert api.send("post", f"{one(administration)}/complete", data).status_code == 200


def test_complete_refuses_a_future_date(
    case: Case, alice: User, as_user: Callable[[User], Api]
) -> None:
    administration = answer_all(start(case, alice), alice)
    response = as_user(alice).send(
        "post", f"{one(administration)}/complete", {"version": 2, "completed_on": "2026-03-13"}
    )
    assert response.status_code == 422
    assert locs(response) == [body_loc("completed_on")]


def test_a_completed_questionnaire_is_locked(
    case: Case, alice: User, as_user: Callable[[User], Api]
) -> None:
    done = complete(answer_all(start(case, alice), alice), alice).administration
    api = as_user(alice)
    response = api.send("patch", one(done), {"version": done.version, "answers": {"1": 3}})
    assert response.status_code == 409
    assert "locked" in response.json()["detail"]
    complete_again = {"version": done.version, "completed_on": TODAY.isoformat()}
    assert api.send("post", f"{one(done)}/complete", complete_again).status_code == 409


# --- Correct -------------------------------------------------------------------------------


def test_correct_returns_the_new_version(
    case: Case, alice: User, as_user: Callable[[User], Api]
) -> None:
    done = complete(answer_all(start(case, alice), alice), alice).administration
    response = as_user(alice).send(
        "post",
        f"{one(done)}/correct",
        {
            "version": done.version,
            "completed_on": TODAY.isoformat(),
            "answers": {"2": 3},
            "reason": "Item 2 was entered wrongly.",
        },
    )
    assert response.status_code == 201
    data = response.json()
    assert (data["number"], data["status"]) == (2, "completed")
    assert data["supersedes_id"] == str(done.public_id)
    assert data["correction_reason"] == "Item 2 was entered wrongly."
    assert data["answers"]["2"] == 3
    assert Administration.objects.get(pk=done.pk).status == AdministrationStatus.SUPERSEDED


def test_correct_needs_a_reason_and_a_completed_questionnaire(
    case: Case, alice: User, as_user: Callable[[User], Api]
) -> None:
    done = complete(answer_all(start(case, alice), alice), alice).administration
    api = as_user(alice)
    data = {"version": done.version, "completed_on": TODAY.isoformat(), "reason": " "}
    response = api.send("post", f"{one(done)}/correct", data)
    assert response.status_code == 422
    assert locs(response) == [body_loc("reason")]
    in_progress = start(case, alice, time_point=TimePoint.END)
    data = {"version": 1, "completed_on": TODAY.isoformat(), "reason": "x"}
    response = api.send("post", f"{one(in_progress)}/correct", data)
    assert response.status_code == 409
    assert Administration.objects.count() == 2


def test_openapi_schema_lists_the_questionnaire_operations(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operations = {
        op["operationId"]
        for path, ops in paths.items()
        if "questionnaires" in path or "instruments" in path
        for op in ops.values()
    }
    assert operations == {
        "list_instruments",
        "list_questionnaires",
        "start_questionnaire",
        "get_questionnaire",
        "save_questionnaire",
        "complete_questionnaire",
        "correct_questionnaire",
    }
    save = paths["/api/v1/cases/{case_id}/questionnaires/{questionnaire_id}"]["patch"]
    assert set(save["responses"]) >= {"200", "404", "409", "422"}
