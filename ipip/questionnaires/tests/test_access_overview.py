"""Every route of the time points × every persona: the case's questionnaires page for alice
(allocated), bob (the area's manager) and lena (national lead); the time points settings for
lena only. Everyone else gets a 404, and anonymous visitors are sent to log in."""

import pytest
from django.test import Client
from django.urls import reverse

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case
from ipip.core.testing.access import Route, check_route, check_sent_to_login, each_route
from ipip.core.testing.clock import frozen_at
from ipip.core.testing.personas import PERSONAS
from ipip.questionnaires.queries import current_settings
from ipip.questionnaires.tests.test_queries import NOW, default_schedule, make_case

pytestmark = pytest.mark.django_db

frozen = frozen_at(NOW)
schedule = default_schedule()

SETTINGS = "/settings/questionnaires/"


def index_url(case: Case) -> str:
    return reverse("questionnaires:index", kwargs={"case_id": case.public_id})


# An empty POST to the settings shows the form again with its errors (200) for the lead.
ROUTES: list[Route[Case]] = [
    Route("GET", "questionnaires:index", index_url),
    Route("GET", "questionnaire_settings:edit", lambda _case: SETTINGS, allowed={"lena"}),
    Route("POST", "questionnaire_settings:edit", lambda _case: SETTINGS, allowed={"lena"}),
]


@pytest.fixture
def case(rita: User, bob: User, alice: User) -> Case:
    return make_case(rita, bob, alice)


@pytest.mark.parametrize("persona", PERSONAS)
@each_route(ROUTES)
def test_access_matrix(
    client: Client, case: Case, persona: str, route: Route[Case], request: pytest.FixtureRequest
) -> None:
    check_route(client, request, persona, route, case)
    viewed = AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_VIEWED).exists()
    assert viewed is (route.name == "questionnaires:index" and persona in route.allowed)
    assert current_settings().version == 1


@each_route(ROUTES)
def test_anonymous_is_sent_to_login(client: Client, case: Case, route: Route[Case]) -> None:
    check_sent_to_login(client, route, case)


def test_a_case_in_another_area_is_a_404_for_its_manager(
    client: Client, rita: User, dave: User, charlie: User, bob: User
) -> None:
    hull = make_case(rita, dave, charlie, area="Hull")
    client.force_login(bob)
    assert client.get(index_url(hull)).status_code == 404
    client.force_login(dave)
    assert client.get(index_url(hull)).status_code == 200
