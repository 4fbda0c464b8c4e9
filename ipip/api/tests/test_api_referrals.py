"""The referral API through the test client: auth, scope, validation, audit, schema."""

import json
from collections.abc import Callable
from copy import deepcopy
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from ipip.accounts.models import AgencyType, ApiToken, Area, Role, User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Child, Family
from ipip.core.errors import DomainError
from ipip.eligibility.rules import Criterion
from ipip.referrals.models import Referral

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals"

# Referral dates are given, not "today", so the decisions do not drift with the calendar.
ELIGIBLE: dict[str, Any] = {
    "received_on": "2026-06-01",
    "area": "Sheffield",
    "address": {"line_1": "1 Test Street", "town": "Sheffield", "postcode": "s1 2ab"},
    "carers": [{"first_name": "Pat", "last_name": "Example", "relationship": "mother"}],
    "referred_child": {
        "first_name": "Sam",
        "last_name": "Example",
        "date_of_birth": "2021-03-10",  # aged 5 on the referral date
        "ever_on_plan": "no",
        "plans": [],
        "care_proceedings": "none",
    },
    "other_children": [],
    "assessment": {"kind": "eha", "completed_on": "2026-05-01", "shows_neglect_concerns": "yes"},
    "reason": "Concerns about the child's care at home.",
}


def body(**changes: Any) -> dict[str, Any]:
    data = deepcopy(ELIGIBLE)
    data.update(changes)
    return data


# --- Personas ----------------------------------------------------------------------------


def _user(email: str, role: Role, area: str | None = None, **extra: Any) -> User:
    return User.objects.create_user(
        email=email,
        password="not-used-by-the-api",
        role=role,
        area=Area.objects.get(name=area) if area else None,
        **extra,
    )


def token_for(user: User) -> str:
    raw = ApiToken.new_raw_token()
    ApiToken.objects.create(user=user, name="tests", prefix=raw[:8], key_hash=ApiToken.hash(raw))
    return raw


@pytest.fixture
def alice() -> User:
    """A health visitor in Sheffield who refers families."""
    return _user(
        "alice@hv.example",
        Role.REFERRER,
        "Sheffield",
        agency_type=AgencyType.HEALTH_VISITOR,
        agency_name="Sheffield HV team",
    )


@pytest.fixture
def bob() -> User:
    """Another referrer: the outsider to alice's referrals."""
    return _user("bob@school.example", Role.REFERRER, "Sheffield", agency_type=AgencyType.SCHOOL)


@pytest.fixture
def manager() -> User:
    return _user("manager@ipip.example", Role.CENTRE_MANAGER, "Sheffield")


@pytest.fixture
def hull_manager() -> User:
    return _user("hull@ipip.example", Role.CENTRE_MANAGER, "Hull")


@pytest.fixture
def lead() -> User:
    return _user("lead@ipip.example", Role.NATIONAL_LEAD)


class Api:
    """The test client with a bearer token."""

    def __init__(self, client: Client, raw: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {raw}"} if raw else {}

    def post(self, data: dict[str, Any] | str, path: str = URL) -> Any:
        text = data if isinstance(data, str) else json.dumps(data)
        return self.client.post(
            path, data=text, content_type="application/json", headers=self.headers
        )

    def get(self, path: str = URL) -> Any:
        return self.client.get(path, headers=self.headers)


@pytest.fixture
def as_user(client: Client) -> Callable[[User], Api]:
    return lambda user: Api(client, token_for(user))


def send(api: Api, data: dict[str, Any] | None = None) -> dict[str, Any]:
    response = api.post(data or body())
    assert response.status_code == 201, response.content
    result: dict[str, Any] = response.json()
    return result


def locs(response: Any) -> list[list[str | int]]:
    return [e["loc"] for e in response.json()["detail"]]


# --- Creating a referral -----------------------------------------------------------------


def test_create_returns_the_referral_and_its_decision(
    alice: User, as_user: Callable[[User], Api]
) -> None:
    response = as_user(alice).post(body())

    assert response.status_code == 201
    data = response.json()
    referral = Referral.objects.get(public_id=UUID(data["id"]))
    assert referral.referred_by == alice
    assert referral.agency_type == AgencyType.HEALTH_VISITOR  # from alice's account
    assert referral.agency_name == "Sheffield HV team"
    assert referral.family.postcode == "S1 2AB"
    assert data["status"] == "screened"
    assert data["received_on"] == "2026-06-01"
    assert data["area"] == "Sheffield"
    assert data["referred_child"] == {
        "first_name": "Sam",
        "last_name": "Example",
        "date_of_birth": "2021-03-10",
    }
    assert data["duplicate_status"] == "none"
    assert data["decline_reason"] is None
    decision = data["decision"]
    assert decision["outcome"] == "eligible"
    assert decision["is_override"] is False
    assert decision["missing"] == []
    assert [c["criterion"] for c in decision["criteria"]] == [c.value for c in Criterion]
    for criterion in decision["criteria"]:
        assert criterion["result"] == "met"
        assert criterion["reason"]
        assert criterion["label"]


def test_response_never_holds_internal_ids(alice: User, as_user: Callable[[User], Api]) -> None:
    data = send(as_user(alice))

    def integers(value: object) -> list[object]:
        if isinstance(value, dict):
            return [i for v in value.values() for i in integers(v)]
        if isinstance(value, list):
            return [i for v in value for i in integers(v)]
        return [value] if isinstance(value, int) and not isinstance(value, bool) else []

    assert integers(data) == []
    assert "pk" not in json.dumps(data)


def test_missing_facts_give_needs_information(alice: User, as_user: Callable[[User], Api]) -> None:
    child = {**ELIGIBLE["referred_child"], "date_of_birth": None, "ever_on_plan": "unknown"}
    data = send(as_user(alice), body(referred_child=child, assessment=None))

    decision = data["decision"]
    assert decision["outcome"] == "needs_information"
    assert "the referred child's date of birth" in decision["missing"]
    assert len(decision["missing"]) == 3  # age, assessment and the child's plan history
    unknown = {c["criterion"] for c in decision["criteria"] if c["result"] == "unknown"}
    assert unknown == {"child_age", "early_help_assessment", "child_never_on_plan"}


def test_referral_for_another_area_is_not_eligible(
    alice: User, as_user: Callable[[User], Api]
) -> None:
    data = send(as_user(alice), body(area=None, other_area_name="Leeds", assessment=None))

    assert data["area"] is None
    assert data["other_area_name"] == "Leeds"
    assert data["decision"]["outcome"] == "not_eligible"


def test_manager_gives_the_agency(manager: User, as_user: Callable[[User], Api]) -> None:
    data = send(as_user(manager), body(agency_type="early_help", agency_name="Early help hub"))

    referral = Referral.objects.get(public_id=data["id"])
    assert (referral.agency_type, referral.agency_name) == ("early_help", "Early help hub")


def test_received_on_defaults_to_today(alice: User, as_user: Callable[[User], Api]) -> None:
    data = body()
    del data["received_on"]

    assert send(as_user(alice), data)["received_on"] == timezone.localdate().isoformat()


# --- Bad requests ------------------------------------------------------------------------


def test_malformed_json_is_400(alice: User, as_user: Callable[[User], Api]) -> None:
    response = as_user(alice).post('{"area": "Sheffield",')

    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body"}
    assert not Family.objects.exists()


def test_wrong_type_is_422_naming_the_field(alice: User, as_user: Callable[[User], Api]) -> None:
    child = {**ELIGIBLE["referred_child"], "date_of_birth": "yesterday"}
    response = as_user(alice).post(body(referred_child=child))

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "payload", "referred_child", "date_of_birth"]
    assert error["type"] == "date_from_datetime_parsing"
    assert "date" in error["msg"]


def test_missing_field_is_422_naming_it(alice: User, as_user: Callable[[User], Api]) -> None:
    data = body()
    del data["reason"]
    response = as_user(alice).post(data)

    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {"type": "missing", "loc": ["body", "payload", "reason"], "msg": "Field required"}
        ]
    }


def test_blank_reason_is_422(alice: User, as_user: Callable[[User], Api]) -> None:
    response = as_user(alice).post(body(reason="   "))

    assert response.status_code == 422
    assert locs(response) == [["body", "payload", "reason"]]


def test_bad_choice_is_422_listing_the_choices(
    alice: User, as_user: Callable[[User], Api]
) -> None:
    child = {**ELIGIBLE["referred_child"], "ever_on_plan": "maybe"}
    response = as_user(alice).post(body(referred_child=child))

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "payload", "referred_child", "ever_on_plan"]
    assert error["type"] == "enum"
    assert error["msg"] == "Input should be 'yes', 'no' or 'unknown'"


def test_unknown_field_is_422(alice: User, as_user: Callable[[User], Api]) -> None:
    response = as_user(alice).post(body(reasons="typo"))

    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "extra_forbidden"
    assert locs(response) == [["body", "payload", "reasons"]]


def test_no_carers_is_422(alice: User, as_user: Callable[[User], Api]) -> None:
    response = as_user(alice).post(body(carers=[]))

    assert response.status_code == 422
    assert locs(response) == [["body", "payload", "carers"]]


@pytest.mark.parametrize(
    ("field", "value", "loc"),
    [
        (
            "address",
            {"line_1": "1 Test St", "town": "Sheffield", "postcode": "S1"},
            ["address", "postcode"],
        ),
        (
            "carers",
            [
                {
                    "first_name": "P",
                    "last_name": "E",
                    "relationship": "mother",
                    "email": "not-an-email",
                }
            ],
            ["carers", 0, "email"],
        ),
        ("received_on", "2999-01-01", ["received_on"]),
    ],
)
def test_field_checks_are_value_errors(
    alice: User, as_user: Callable[[User], Api], field: str, value: object, loc: list[object]
) -> None:
    response = as_user(alice).post(body(**{field: value}))

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error == {"type": "value_error", "loc": ["body", "payload", *loc], "msg": error["msg"]}


def test_assessment_not_used_in_the_nation_is_422_and_saves_nothing(
    alice: User, as_user: Callable[[User], Api]
) -> None:
    assessment = {"kind": "unocini", "completed_on": "2026-05-01", "shows_neglect_concerns": "yes"}
    response = as_user(alice).post(body(assessment=assessment))

    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "value_error",
                "loc": ["body", "payload", "assessment", "kind"],
                "msg": "UNOCINI assessment (Northern Ireland) is not used in England: "
                "give the assessment used there ('caf' or 'eha')",
            }
        ]
    }
    assert Family.objects.count() == 0
    assert Referral.objects.count() == 0
    assert not AuditEvent.objects.filter(action=Action.REFERRAL_CREATED).exists()


def _plan(**plan: object) -> dict[str, Any]:
    return {**ELIGIBLE["referred_child"], "ever_on_plan": "yes", "plans": [plan]}


@pytest.mark.parametrize(
    ("persona", "changes", "loc"),
    [
        (
            "alice",
            {
                "referred_child": _plan(
                    started_on="2024-01-01", ended_on="2025-01-01", is_ongoing=True
                )
            },
            ["referred_child", "plans", 0, "ended_on"],
        ),
        (
            "alice",
            {"referred_child": _plan(started_on="2025-01-01", ended_on="2024-01-01")},
            ["referred_child", "plans", 0, "ended_on"],
        ),
        (
            "alice",
            {"referred_child": {**_plan(started_on="2024-01-01"), "ever_on_plan": "no"}},
            ["referred_child", "ever_on_plan"],
        ),
        (
            "alice",
            {"other_children": [_plan(started_on="2025-01-01", ended_on="2024-01-01")]},
            ["other_children", 0, "plans", 0, "ended_on"],
        ),
        ("alice", {"area": "Atlantis"}, ["area"]),
        ("alice", {"area": None}, ["other_area_name"]),
        ("alice", {"agency_type": "school"}, ["agency_type"]),
        ("manager", {}, ["agency_type"]),
        ("hull_manager", {"agency_type": "school"}, ["area"]),
        ("manager", {"agency_type": "school", "area": None, "other_area_name": "Leeds"}, ["area"]),
    ],
)
def test_rules_of_the_page_are_422(
    request: pytest.FixtureRequest,
    as_user: Callable[[User], Api],
    persona: str,
    changes: dict[str, Any],
    loc: list[object],
) -> None:
    user = request.getfixturevalue(persona)
    response = as_user(user).post(body(**changes))

    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    assert error["type"] == "value_error"
    assert error["loc"] == ["body", "payload", *loc]
    assert error["msg"]
    assert Family.objects.count() == 0


def test_a_failure_inside_the_action_leaves_nothing_saved(
    alice: User, as_user: Callable[[User], Api], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The family and children are written before duplicates are looked for.
    def refuse(*args: object) -> None:
        raise DomainError("Refused for the test.")

    monkeypatch.setattr("ipip.referrals.actions.find_duplicates", refuse)
    response = as_user(alice).post(body())

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"type": "value_error", "loc": ["body", "payload"], "msg": "Refused for the test."}
    ]
    assert Family.objects.count() == 0
    assert Child.objects.count() == 0
    assert not AuditEvent.objects.filter(action=Action.FAMILY_CREATED).exists()


# --- Authentication ----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_no_token_is_401(client: Client, method: str) -> None:
    response = Api(client, None).get() if method == "get" else Api(client, None).post(body())

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


@pytest.mark.parametrize(
    "header", ["Bearer ipip_not-a-real-token", "Bearer", "Token ipip_x", "ipip_x"]
)
def test_bad_token_is_401(client: Client, alice: User, header: str) -> None:
    token_for(alice)
    response = client.get(URL, headers={"Authorization": header})

    assert response.status_code == 401


def test_revoked_token_is_401(client: Client, alice: User) -> None:
    raw = token_for(alice)
    ApiToken.objects.filter(user=alice).update(revoked_at=timezone.now())

    assert Api(client, raw).get().status_code == 401


def test_token_of_an_inactive_user_is_401(client: Client, alice: User) -> None:
    raw = token_for(alice)
    User.objects.filter(pk=alice.pk).update(is_active=False)

    assert Api(client, raw).get().status_code == 401


def test_last_use_is_recorded_at_most_once_a_minute(client: Client, alice: User) -> None:
    api = Api(client, token_for(alice))
    api.get()
    first = ApiToken.objects.get(user=alice).last_used_at
    assert first is not None

    api.get()
    assert ApiToken.objects.get(user=alice).last_used_at == first

    ApiToken.objects.filter(user=alice).update(last_used_at=first - timedelta(minutes=2))
    api.get()
    last = ApiToken.objects.get(user=alice).last_used_at
    assert last is not None
    assert last > first - timedelta(minutes=2)


# --- Scope -------------------------------------------------------------------------------


def test_referrer_reads_their_referral(alice: User, as_user: Callable[[User], Api]) -> None:
    api = as_user(alice)
    created = send(api)

    response = api.get(f"{URL}/{created['id']}")

    assert response.status_code == 200
    assert response.json() == created


@pytest.mark.parametrize(
    ("persona", "status"),
    [("bob", 404), ("hull_manager", 404), ("manager", 200), ("lead", 200)],
)
def test_who_can_read_alices_referral(
    request: pytest.FixtureRequest,
    alice: User,
    as_user: Callable[[User], Api],
    persona: str,
    status: int,
) -> None:
    created = send(as_user(alice))

    response = as_user(request.getfixturevalue(persona)).get(f"{URL}/{created['id']}")

    assert response.status_code == status
    if status == 404:
        assert response.json() == {"detail": "Not Found"}


def test_unknown_referral_is_404(alice: User, as_user: Callable[[User], Api]) -> None:
    assert as_user(alice).get(f"{URL}/{uuid4()}").status_code == 404


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.PRACTITIONER, Role.ADMINISTRATOR])
def test_other_roles_cannot_use_referrals(
    alice: User, as_user: Callable[[User], Api], role: Role
) -> None:
    created = send(as_user(alice))
    api = as_user(_user(f"{role}@ipip.example", role, "Sheffield"))

    assert api.get(f"{URL}/{created['id']}").status_code == 404
    listed = api.get()
    assert listed.status_code == 403
    assert "Only referrers, centre managers and the national lead" in listed.json()["detail"]
    made = api.post(body())
    assert made.status_code == 403
    assert Referral.objects.count() == 1


def test_list_holds_only_ones_own_referrals_newest_first(
    alice: User, bob: User, as_user: Callable[[User], Api]
) -> None:
    api = as_user(alice)
    older = send(api, body(received_on="2026-05-01"))
    newer = send(api, body(received_on="2026-06-02"))
    send(as_user(bob))

    response = api.get()

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert [r["id"] for r in data["items"]] == [newer["id"], older["id"]]


def test_list_pages_with_limit_and_offset(alice: User, as_user: Callable[[User], Api]) -> None:
    api = as_user(alice)
    ids = [send(api, body(received_on=f"2026-06-0{d}"))["id"] for d in (1, 2, 3)]

    data = api.get(f"{URL}?limit=2&offset=1").json()

    assert data["count"] == 3
    assert [r["id"] for r in data["items"]] == [ids[1], ids[0]]
    assert api.get(f"{URL}?limit=0").status_code == 422


def test_list_is_a_fixed_number_of_queries(
    manager: User,
    as_user: Callable[[User], Api],
    django_assert_num_queries: Any,
) -> None:
    api = as_user(manager)
    for _ in range(3):
        send(api, body(agency_type="school"))

    # token and user; count; the page with area, child and decision; the audit row
    with django_assert_num_queries(4):
        response = api.get()
    assert response.json()["count"] == 3


# --- Audit -------------------------------------------------------------------------------


def test_create_read_and_list_are_audited(alice: User, as_user: Callable[[User], Api]) -> None:
    api = as_user(alice)
    created = send(api)
    referral = Referral.objects.get(public_id=created["id"])

    made = AuditEvent.objects.get(action=Action.REFERRAL_CREATED)
    assert made.actor == alice
    assert made.subject_public_id == referral.public_id
    assert made.family_public_id == referral.family.public_id

    api.get(f"{URL}/{created['id']}")
    viewed = AuditEvent.objects.get(action=Action.REFERRAL_VIEWED)
    assert viewed.actor == alice
    assert viewed.subject_public_id == referral.public_id
    assert viewed.family_public_id == referral.family.public_id
    assert viewed.data["via"] == "api"
    assert viewed.ip_address == "127.0.0.1"

    api.get()
    listed = AuditEvent.objects.get(action=Action.REFERRAL_LIST_VIEWED)
    assert listed.actor == alice
    assert listed.data["referral_ids"] == [created["id"]]


def test_refused_read_is_not_audited_as_a_view(
    alice: User, bob: User, as_user: Callable[[User], Api]
) -> None:
    created = send(as_user(alice))

    as_user(bob).get(f"{URL}/{created['id']}")

    assert not AuditEvent.objects.filter(action=Action.REFERRAL_VIEWED).exists()


# --- Schema and tokens -------------------------------------------------------------------


def test_openapi_schema_is_public_and_lists_the_operations(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    operations = {op["operationId"] for path in paths.values() for op in path.values()}
    # Other operations (questionnaires) are tested with their own endpoints.
    assert {"create_referral", "list_referrals", "get_referral"} <= operations
    assert {"/api/v1/referrals", "/api/v1/referrals/{public_id}"} <= set(paths)


def test_docs_page_is_served(client: Client) -> None:
    assert client.get("/api/v1/docs").status_code == 200


def test_create_api_token_command(
    client: Client, alice: User, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("create_api_token", "Alice@HV.example", "--name", "HV team import")

    raw = capsys.readouterr().out.strip()
    assert raw.startswith("ipip_")
    token = ApiToken.objects.get(user=alice)
    assert token.name == "HV team import"
    assert token.key_hash == ApiToken.hash(raw)
    assert raw not in {token.key_hash, token.prefix}
    assert token.prefix == raw[:8]
    event = AuditEvent.objects.get(action=Action.API_TOKEN_CREATED)
    assert event.actor == alice
    assert event.data == {"token_prefix": token.prefix}
    assert Api(client, raw).get().status_code == 200


@pytest.mark.parametrize(
    ("email", "name"), [("nobody@example.com", "x"), ("alice@hv.example", "  ")]
)
def test_create_api_token_refuses(alice: User, email: str, name: str) -> None:
    with pytest.raises(CommandError):
        call_command("create_api_token", email, "--name", name)
    assert not ApiToken.objects.exists()


def test_create_api_token_refuses_an_inactive_user(alice: User) -> None:
    User.objects.filter(pk=alice.pk).update(is_active=False)

    with pytest.raises(CommandError):
        call_command("create_api_token", alice.email, "--name", "x")
