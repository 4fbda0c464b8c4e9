"""The case list says, per case, the next visit and how many are overdue."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from ipip.accounts.models import User
from ipip.cases.models import Case
from ipip.core.testing.clock import frozen_at
from ipip.visits.actions import do_record_visit, do_schedule_visit
from ipip.visits.models import VisitOutcome

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)


frozen = frozen_at(NOW)


def schedule(case: Case, user: User, at: datetime) -> None:
    do_schedule_visit(case, scheduled_at=at, planned_minutes=60, acting_user=user)


def row_of(html: str, case: Case) -> str:
    start = html.index(str(case.public_id))
    return html[start : html.index("</tr>", start)]


def test_caseload_shows_next_visit_and_overdue_count(
    client: Client, case: Case, alice: User
) -> None:
    schedule(case, alice, NOW - timedelta(hours=24, minutes=1))  # overdue
    schedule(case, alice, NOW - timedelta(hours=3))  # due: its outcome is not yet recorded
    schedule(case, alice, NOW + timedelta(days=5))
    client.force_login(alice)
    row = row_of(client.get("/cases/").content.decode(), case)
    assert '<strong class="govuk-tag govuk-tag--red">1 overdue</strong>' in row
    assert "Due</strong> 12 March 2026, 06:00" in row
    assert "Next visit" in client.get("/cases/").content.decode()


def test_caseload_shows_the_last_visit_that_took_place(
    client: Client, case: Case, alice: User, erin: User
) -> None:
    schedule(case, alice, NOW + timedelta(days=2))
    visit = do_schedule_visit(
        case, scheduled_at=NOW - timedelta(days=3), planned_minutes=60, acting_user=alice
    )
    do_record_visit(
        visit,
        outcome=VisitOutcome.TOOK_PLACE,
        actual_minutes=40,
        present_carers=list(case.family.carers.all()),
        present_children=[],
        note="",
        acting_user=alice,
    )
    client.force_login(erin)  # evaluators see dates too: no names are involved
    row = row_of(client.get("/cases/").content.decode(), case)
    assert "14 March 2026, 09:00" in row
    assert "Last visit 9 March 2026" in row
    assert "overdue" not in row


def test_caseload_without_visits(client: Client, case: Case, bob: User) -> None:
    client.force_login(bob)
    row = row_of(client.get("/cases/").content.decode(), case)
    assert "None planned" in row
    assert "overdue" not in row
