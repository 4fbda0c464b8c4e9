"""`ptp:index`: the plan, the sessions, module coverage; audited; a fixed query count."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases import actions as case_actions
from ipip.cases.models import Case, ClosureReason
from ipip.goals.actions import Rating
from ipip.ptp.actions import do_set_plan
from ipip.ptp.tests.helpers import record, set_goal

pytestmark = pytest.mark.django_db

# Session, user, second-factor check, the case (one join), the plan, the sessions, their
# modules (one prefetch), the goal-rating counts, and the audit row: the same for 1 or 6.
INDEX_QUERIES = 9


def index_url(case: Case) -> str:
    return reverse("ptp:index", kwargs={"case_id": case.public_id})


def plan(case: Case, user: User) -> None:
    do_set_plan(
        case,
        planned_sessions=4,
        planned_modules=["attribution", "anger", "stress"],
        starts_on=date(2026, 3, 16),
        note="Monday mornings",
        acting_user=user,
    )


def test_empty_index_invites_a_plan_and_a_session(client: Client, case: Case, alice: User) -> None:
    client.force_login(alice)
    html = client.get(index_url(case)).content.decode()
    assert f"Case, family {case.family.pseudonym}" in html
    assert "No session plan yet." in html
    assert reverse("ptp:plan", kwargs={"case_id": case.public_id}) in html
    assert reverse("ptp:record", kwargs={"case_id": case.public_id}) in html
    assert "No sessions recorded yet." in html
    assert html.count("Not planned</strong>") == 5


def test_index_shows_plan_sessions_and_coverage(client: Client, case: Case, alice: User) -> None:
    plan(case, alice)
    goal = set_goal(case, alice)
    first = record(case, alice, modules=["attribution", "anger"], ratings={goal: Rating(4, 8)})
    record(case, alice, held_on=date(2026, 3, 18), modules=["anger", "behaviour"], minutes=60)
    client.force_login(alice)
    html = client.get(index_url(case)).content.decode()
    assert "Monday mornings" in html
    assert "4 (recorded so far: 2)" in html
    assert "Change the session plan" in html
    assert "2 sessions, 135 minutes in all" in html
    assert (
        reverse("ptp:session", kwargs={"case_id": case.public_id, "session_id": first.public_id})
        in html
    )
    assert "16 March 2026" in html
    assert "18 March 2026" in html
    assert escape("Strategies for managing children's behaviour") in html
    assert "Notice two calm moments each day" in html
    coverage = html.split("Module coverage", 1)[1]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", coverage, re.S)
    cells = [re.findall(r"<td class=\"govuk-table__cell\">(.*?)</td>", r, re.S) for r in rows[1:]]
    by_label = {c[0]: c for c in cells}
    anger = by_label["Anger management"]
    assert anger[1:5] == ["Yes", "2", "16 March 2026", "18 March 2026"]
    assert "govuk-tag--green" in anger[5] and "Covered" in anger[5]
    stress = by_label["Stress coping"]
    assert stress[1:3] == ["Yes", "0"]
    assert "govuk-tag--yellow" in stress[5] and "Planned, not yet covered" in stress[5]
    mood = by_label["Mood management"]
    assert mood[1:3] == ["No", "0"]
    assert "govuk-tag--grey" in mood[5] and "Not planned" in mood[5]


def test_index_is_audited_with_the_ids_shown(client: Client, case: Case, alice: User) -> None:
    session = record(case, alice)
    client.force_login(alice)
    client.get(index_url(case))
    event = AuditEvent.objects.get(action=Action.PTP_VIEWED)
    assert event.actor == alice
    assert event.family_public_id == case.family.public_id
    assert event.data == {
        "page": "index",
        "plan_id": None,
        "session_ids": [str(session.public_id)],
    }


def test_closed_case_is_read_only(client: Client, case: Case, alice: User, bob: User) -> None:
    plan(case, alice)
    record(case, alice)
    case_actions.do_close_case(
        case, reason=ClosureReason.COMPLETED, note="Sessions completed.", acting_user=bob
    )
    client.force_login(alice)
    html = client.get(index_url(case)).content.decode()
    assert "This case is closed" in html
    assert "Record a session" not in html
    assert "Change the session plan" not in html
    assert "Session 1" in html


def test_vig_case_says_it_has_no_ptp(client: Client, vig_case: Case, alice: User) -> None:
    client.force_login(alice)
    html = client.get(index_url(vig_case)).content.decode()
    assert "not Pathways Triple P" in html
    assert "Record a session" not in html


@pytest.mark.parametrize("count", [1, 6])
def test_index_query_count_does_not_grow_with_sessions(
    client: Client,
    case: Case,
    alice: User,
    count: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    plan(case, alice)
    goal = set_goal(case, alice)
    for i in range(count):
        record(case, alice, held_on=date(2026, 3, 14 + i), ratings={goal: Rating(3, 8)})
    client.force_login(alice)
    with django_assert_num_queries(INDEX_QUERIES):
        response = client.get(index_url(case))
    html = response.content.decode()
    assert len(re.findall(r'/ptp/sessions/[0-9a-f-]{36}/">Session \d+<', html)) == count
