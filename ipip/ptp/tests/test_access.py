"""Every PTP route × every persona: alice (the allocated practitioner), bob (manager of the
area) and lena (national lead) may; everyone else gets 404 and nothing changes; anonymous
people are sent to log in."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ipip.accounts.models import User
from ipip.cases.models import Case
from ipip.core.testing.access import Route, case_url, check_route, check_sent_to_login, each_route
from ipip.core.testing.personas import PERSONAS
from ipip.ptp.models import PtpSession, SessionPlan
from ipip.ptp.tests.helpers import record

pytestmark = pytest.mark.django_db


def session_url(name: str) -> Callable[[PtpSession], str]:
    return lambda s: reverse(name, kwargs={"case_id": s.case.public_id, "session_id": s.public_id})


# Routes of alice's case and its session; an allowed POST with nothing filled in shows the
# form's errors (200).
ROUTES: list[Route[PtpSession]] = [
    Route("GET", "ptp:index", case_url("ptp:index")),
    Route("GET", "ptp:plan", case_url("ptp:plan")),
    Route("POST", "ptp:plan", case_url("ptp:plan")),
    Route("GET", "ptp:record", case_url("ptp:record")),
    Route("POST", "ptp:record", case_url("ptp:record")),
    Route("GET", "ptp:session", session_url("ptp:session")),
    Route("GET", "ptp:edit", session_url("ptp:edit")),
    Route("POST", "ptp:edit", session_url("ptp:edit")),
]


@pytest.fixture
def session(case: Case, alice: User) -> PtpSession:
    return record(case, alice)


@pytest.mark.parametrize("persona", PERSONAS)
@each_route(ROUTES)
def test_access_matrix(
    client: Client,
    session: PtpSession,
    request: pytest.FixtureRequest,
    persona: str,
    route: Route[PtpSession],
) -> None:
    check_route(client, request, persona, route, session)
    assert PtpSession.objects.count() == 1
    assert not SessionPlan.objects.exists()


@each_route(ROUTES)
def test_anonymous_is_sent_to_login(
    client: Client, session: PtpSession, route: Route[PtpSession]
) -> None:
    check_sent_to_login(client, route, session)
    assert PtpSession.objects.count() == 1
