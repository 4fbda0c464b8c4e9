"""Every PTP route × every persona: alice (the allocated practitioner), bob (manager of the
area) and lena (national lead) may; everyone else gets 404 and nothing changes; anonymous
people are sent to log in."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ipip.accounts.models import User
from ipip.cases.models import Case
from ipip.ptp.models import PtpSession, SessionPlan
from ipip.ptp.tests.helpers import record

pytestmark = pytest.mark.django_db

PERSONAS = ("alice", "bob", "charlie", "dave", "lena", "erin", "adam", "rita", "ross")
ALLOWED = {"alice", "bob", "lena"}

Url = Callable[[PtpSession], str]


def case_route(name: str) -> Url:
    return lambda s: reverse(name, kwargs={"case_id": s.case.public_id})


def session_route(name: str) -> Url:
    return lambda s: reverse(name, kwargs={"case_id": s.case.public_id, "session_id": s.public_id})


# (method, name, url); an allowed POST with nothing filled in shows the form's errors (200).
ROUTES: list[tuple[str, str, Url]] = [
    ("GET", "ptp:index", case_route("ptp:index")),
    ("GET", "ptp:plan", case_route("ptp:plan")),
    ("POST", "ptp:plan", case_route("ptp:plan")),
    ("GET", "ptp:record", case_route("ptp:record")),
    ("POST", "ptp:record", case_route("ptp:record")),
    ("GET", "ptp:session", session_route("ptp:session")),
    ("GET", "ptp:edit", session_route("ptp:edit")),
    ("POST", "ptp:edit", session_route("ptp:edit")),
]


@pytest.fixture
def session(case: Case, alice: User) -> PtpSession:
    return record(case, alice)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("method", "name", "url"), ROUTES, ids=[f"{m} {n}" for m, n, _ in ROUTES])
def test_access_matrix(
    client: Client,
    session: PtpSession,
    request: pytest.FixtureRequest,
    persona: str,
    method: str,
    name: str,
    url: Url,
) -> None:
    client.force_login(request.getfixturevalue(persona))
    path = url(session)
    response = client.get(path) if method == "GET" else client.post(path, {})
    expected = 200 if persona in ALLOWED else 404
    assert response.status_code == expected, f"{persona} {method} {name}"
    assert PtpSession.objects.count() == 1
    assert not SessionPlan.objects.exists()


@pytest.mark.parametrize(("method", "name", "url"), ROUTES, ids=[f"{m} {n}" for m, n, _ in ROUTES])
def test_anonymous_is_sent_to_login(
    client: Client, session: PtpSession, method: str, name: str, url: Url
) -> None:
    path = url(session)
    response = client.get(path) if method == "GET" else client.post(path, {})
    assert response.status_code == 302, name
    assert reverse("account_login") in response["Location"]
    assert PtpSession.objects.count() == 1
