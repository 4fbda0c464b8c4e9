"""The results page × every persona: alice (allocated), bob (manager of the area) and lena
(national lead) may see it; everyone else, evaluators included, gets a 404 (and no audit
row); anonymous visitors are sent to log in."""

import pytest
from django.test import Client

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case
from ipip.core.testing.access import (
    ON_CASE,
    Route,
    case_url,
    check_route,
    check_sent_to_login,
    each_route,
)
from ipip.core.testing.clock import frozen_at
from ipip.core.testing.personas import PERSONAS
from ipip.questionnaires.models import Administration, TimePoint
from ipip.questionnaires.tests.test_results import NOW, complete_phq9, results_case

pytestmark = pytest.mark.django_db

frozen = frozen_at(NOW)

ROUTES: list[Route[Administration]] = [
    Route("GET", "questionnaires:results", case_url("questionnaires:results")),
]


@pytest.fixture
def administration(rita: User, bob: User, alice: User) -> Administration:
    case: Case = results_case(rita, bob, alice)
    return complete_phq9(case, alice, TimePoint.BASELINE, 15)


@pytest.mark.parametrize("persona", PERSONAS)
@each_route(ROUTES)
def test_access_matrix(
    client: Client,
    administration: Administration,
    persona: str,
    route: Route[Administration],
    request: pytest.FixtureRequest,
) -> None:
    response = check_route(client, request, persona, route, administration)
    viewed = AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_RESULTS_VIEWED)
    if persona in ON_CASE:
        assert "Depression severity" in response.content.decode()
        assert viewed.get().actor == request.getfixturevalue(persona)
    else:
        assert "Depression severity" not in response.content.decode()
        assert not viewed.exists()


@each_route(ROUTES)
def test_anonymous_is_sent_to_login(
    client: Client, administration: Administration, route: Route[Administration]
) -> None:
    check_sent_to_login(client, route, administration)
    assert not AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_RESULTS_VIEWED).exists()


def test_post_is_not_allowed(client: Client, administration: Administration, alice: User) -> None:
    client.force_login(alice)
    response = client.post(case_url("questionnaires:results")(administration))
    assert response.status_code == 405
