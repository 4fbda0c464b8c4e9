"""The area dashboard: who sees it, what it counts, where its numbers lead, its cost."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from ipip.accounts.models import Area, Role, User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases import actions as case_actions
from ipip.cases.models import Approach, Case, ClosureReason
from ipip.core.testing.builders import accepted_case, referral_input
from ipip.core.testing.clock import frozen_at
from ipip.core.testing.personas import make_user
from ipip.dashboard.tests.conftest import NOW, MakeCase, add_cycles, add_visits
from ipip.referrals import actions as referral_actions
from ipip.visits.models import VisitOutcome

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"
# Session, user, second-factor check; the manager's area; referral counts; cases grouped by
# status; the fidelity roll-up; the waiting list; caseloads; the questionnaire plan (settings,
# instruments), the cases in play with their questionnaires; escalations; alerts; the audit row.
DASHBOARD_QUERIES = 15


frozen = frozen_at(NOW)


def figure(html: str, label: str) -> tuple[str, int]:
    """The link and the number in the row labelled `label`."""
    match = re.search(
        rf">{re.escape(label)}</th><td[^>]*><a class=\"govuk-link\" href=\"([^\"]+)\">(\d+)</a>",
        html,
    )
    assert match, f"no figure {label!r}"
    return match.group(1).replace("&amp;", "&"), int(match.group(2))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("bob", 200),
        ("dave", 200),
        ("lena", 200),
        ("alice", 404),
        ("charlie", 404),
        ("erin", 404),
        ("adam", 404),
        ("rita", 404),
    ],
)
def test_who_sees_the_dashboard(
    client: Client, persona: str, status: int, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(DASHBOARD).status_code == status


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_counts_link_to_the_cases_behind_them(
    client: Client, make_case: MakeCase, bob: User, rita: User, dave: User
) -> None:
    vig = make_case(Approach.VIG, days_ago=70)
    add_cycles(vig, completed=1)  # under dose
    add_visits(vig, [VisitOutcome.TOOK_PLACE])
    make_case(Approach.PTP, days_ago=5)
    closed = make_case(Approach.VIG, days_ago=5)
    case_actions.do_close_case(
        closed, reason=ClosureReason.MOVED_AWAY, note="Moved to Leeds.", acting_user=bob
    )
    waiting = accepted_case(rita, bob)
    referral_actions.do_receive_referral(referral_input(), acting_user=rita)  # awaiting
    referral_actions.do_receive_referral(referral_input(area="Hull"), acting_user=rita)

    client.force_login(bob)
    html = client.get(DASHBOARD).content.decode()
    assert figure(html, "Received")[1] == 5  # Sheffield only: not the Hull referral
    assert figure(html, "Awaiting a decision")[1] == 1
    url, n = figure(html, "Allocated, VIG")
    assert n == 1
    listed = client.get(url).content.decode()
    assert vig.family.pseudonym in listed and closed.family.pseudonym not in listed
    assert figure(html, "Allocated, PTP")[1] == 1
    url, n = figure(html, "Moved away")
    assert n == 1 and closed.family.pseudonym in client.get(url).content.decode()
    url, n = figure(html, "Under dose")
    assert n == 1
    listed = client.get(url).content.decode()
    assert vig.family.pseudonym in listed
    assert "1 case<" in listed
    assert waiting.family.pseudonym in html  # on the waiting list
    assert figure(html, "Accepted, waiting for allocation")[1] == 1

    client.force_login(dave)  # Hull: none of Sheffield's
    html = client.get(DASHBOARD).content.decode()
    assert figure(html, "Received")[1] == 1
    assert vig.family.pseudonym not in html and waiting.family.pseudonym not in html


def test_the_national_lead_sees_all_areas_or_one(
    client: Client, make_case: MakeCase, lena: User
) -> None:
    hull_practitioner = make_user("hp@example.org", Role.PRACTITIONER, "Hull")
    hull_manager = make_user("hm@example.org", Role.CENTRE_MANAGER, "Hull")
    make_case(Approach.VIG)
    make_case(Approach.VIG, area="Hull", practitioner=hull_practitioner, manager=hull_manager)
    client.force_login(lena)
    assert figure(client.get(DASHBOARD).content.decode(), "Allocated, VIG")[1] == 2
    hull = Area.objects.get(name="Hull")
    html = client.get(f"{DASHBOARD}?area={hull.public_id}").content.decode()
    url, n = figure(html, "Allocated, VIG")
    assert n == 1 and f"area={hull.public_id}" in url
    assert client.get(f"{DASHBOARD}?area=not-an-area").status_code == 404


def test_viewing_is_audited(client: Client, bob: User, make_case: MakeCase) -> None:
    client.force_login(bob)
    client.get(DASHBOARD)
    event = AuditEvent.objects.get(action=Action.DASHBOARD_VIEWED)
    assert event.actor == bob
    assert event.data["area_id"] == str(bob.area.public_id)  # type: ignore[union-attr]


def test_a_fixed_number_of_queries(
    client: Client,
    bob: User,
    make_case: MakeCase,
    rita: User,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client.force_login(bob)
    make_case(Approach.VIG, days_ago=40)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        client.get(DASHBOARD)
    for n in range(6):
        case = make_case(Approach.PTP if n % 2 else Approach.VIG, days_ago=20 + 10 * n)
        add_visits(case, [VisitOutcome.TOOK_PLACE, VisitOutcome.NO_ONE_HOME])
    for _ in range(3):
        accepted_case(rita, bob)
    assert Case.objects.count() == 10
    with django_assert_num_queries(DASHBOARD_QUERIES):
        client.get(DASHBOARD)


@pytest.mark.parametrize("persona", ["alice", "bob", "lena", "erin"])
def test_the_fidelity_rules_page(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse("dashboard:fidelity-rules")).content.decode()
    assert "Beyond 3 months" in html and "more than 92 days" in html


@pytest.mark.parametrize("persona", ["adam", "rita"])
def test_the_fidelity_rules_page_is_not_for_everyone(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("dashboard:fidelity-rules")).status_code == 404
