"""Visit pages: the list, scheduling, recording; errors keep what was typed; outsiders 404."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case
from ipip.core.testing import builders
from ipip.core.testing.clock import frozen_at
from ipip.visits.actions import do_record_visit, do_schedule_visit
from ipip.visits.models import Visit, VisitOutcome

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
# Session, user, second-factor check, the case (one join), the visits, and their present
# carers and children (two prefetches), and the audit row: the same for 2 visits or 12.
INDEX_QUERIES = 8


frozen = frozen_at(NOW)


def index_url(case: Case) -> str:
    return reverse("visits:index", kwargs={"case_id": case.public_id})


def schedule_url(case: Case) -> str:
    return reverse("visits:schedule", kwargs={"case_id": case.public_id})


def record_url(visit: Visit) -> str:
    return reverse(
        "visits:record", kwargs={"case_id": visit.case.public_id, "visit_id": visit.public_id}
    )


def schedule(case: Case, user: User, at: datetime) -> Visit:
    return do_schedule_visit(case, scheduled_at=at, planned_minutes=60, acting_user=user)


def took_place(visit: Visit, user: User, *, note: str = "") -> Visit:
    family = visit.case.family
    return do_record_visit(
        visit,
        outcome=VisitOutcome.TOOK_PLACE,
        actual_minutes=45,
        present_carers=list(family.carers.all()),
        present_children=list(family.children.all()),
        note=note,
        acting_user=user,
    )


def test_index_shows_planned_overdue_and_past(client: Client, case: Case, alice: User) -> None:
    planned = schedule(case, alice, NOW + timedelta(days=2))
    overdue = schedule(case, alice, NOW - timedelta(days=3))
    took_place(schedule(case, alice, NOW - timedelta(days=7)), alice, note="Bath time went well")
    carer = case.family.carers.get()
    client.force_login(alice)
    html = client.get(index_url(case)).content.decode()
    assert "Schedule a visit" in html
    assert "Saturday 14 March 2026, 09:00" in html
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in html
    assert "1 overdue" in html
    assert record_url(planned) in html
    assert record_url(overdue) in html
    assert "Took place" in html
    assert "45 minutes" in html
    assert escape(f"{carer.first_name} {carer.last_name}") in html
    assert "Bath time went well" in html


def test_schedule_happy_path_in_london_time(client: Client, case: Case, alice: User) -> None:
    client.force_login(alice)
    html = client.get(schedule_url(case)).content.decode()
    assert 'value="60"' in html  # the default planned length
    response = client.post(
        schedule_url(case),
        {"date_0": "1", "date_1": "7", "date_2": "2026", "time": "9.05", "planned_minutes": "90"},
    )
    assert response.status_code == 302
    assert response["Location"] == index_url(case)
    visit = Visit.objects.get()
    assert visit.scheduled_at == datetime(2026, 7, 1, 8, 5, tzinfo=UTC)  # 09:05 BST
    assert visit.planned_minutes == 90
    assert AuditEvent.objects.filter(action=Action.VISIT_SCHEDULED, actor=alice).count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time", "", "Enter the time of the visit"),
        ("time", "25:00", "Enter the time in the 24-hour clock, like 14:30"),
        ("time", "half two", "Enter the time in the 24-hour clock, like 14:30"),
        ("planned_minutes", "10", "Planned length must be at least 15 minutes"),
        ("planned_minutes", "300", "Planned length must be 240 minutes or less"),
        ("planned_minutes", "an hour", "Planned length must be a whole number of minutes"),
        ("date_1", "", "Date of the visit must include a month"),
    ],
)
def test_schedule_errors_name_the_field_and_keep_values(
    client: Client, case: Case, alice: User, field: str, value: str, message: str
) -> None:
    data = {"date_0": "16", "date_1": "3", "date_2": "2026", "time": "14:30"}
    data["planned_minutes"] = "75"
    data[field] = value
    client.force_login(alice)
    response = client.post(schedule_url(case), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Schedule a visit" in html
    assert message in html
    for name, typed in data.items():
        if typed:
            assert f'name="{name}"' in html
            assert f'value="{typed}"' in html, name
    assert not Visit.objects.exists()


def test_schedule_on_an_unallocated_case_says_why(
    client: Client, accepted_case: Case, bob: User
) -> None:
    client.force_login(bob)
    response = client.post(
        schedule_url(accepted_case),
        {
            "date_0": "16",
            "date_1": "3",
            "date_2": "2026",
            "time": "14:30",
            "planned_minutes": "60",
        },
    )
    assert "Allocate the case before scheduling visits" in response.content.decode()
    assert not Visit.objects.exists()


def test_record_happy_path(client: Client, case: Case, alice: User) -> None:
    visit = schedule(case, alice, NOW - timedelta(hours=2))
    carer = case.family.carers.get()
    child = case.family.children.get()
    client.force_login(alice)
    html = client.get(record_url(visit)).content.decode()
    assert "No one at home" in html
    assert escape(f"{child.first_name} {child.last_name}") in html
    response = client.post(
        record_url(visit),
        {
            "version": visit.version,
            "outcome": "took_place",
            "actual_minutes": "50",
            "present_carers": [str(carer.public_id)],
            "present_children": [str(child.public_id)],
            "note": "Good visit",
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.outcome, visit.actual_minutes, visit.note) == ("took_place", 50, "Good visit")
    assert list(visit.present_carers.all()) == [carer]
    assert list(visit.present_children.all()) == [child]


def test_record_not_took_place_drops_minutes_and_people(
    client: Client, case: Case, alice: User
) -> None:
    visit = schedule(case, alice, NOW - timedelta(hours=2))
    carer = case.family.carers.get()
    client.force_login(alice)
    response = client.post(
        record_url(visit),
        {
            "version": visit.version,
            "outcome": "no_one_home",
            "actual_minutes": "5000",
            "present_carers": [str(carer.public_id)],
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.outcome, visit.actual_minutes) == ("no_one_home", None)
    assert not visit.present_carers.exists()


def test_record_errors_name_the_fields_and_keep_values(
    client: Client, case: Case, alice: User
) -> None:
    visit = schedule(case, alice, NOW - timedelta(hours=2))
    client.force_login(alice)
    response = client.post(
        record_url(visit),
        {"version": visit.version, "outcome": "took_place", "note": "Typed note kept"},
    )
    html = response.content.decode()
    assert "<title>Error: Record a visit" in html
    assert "Enter how long the visit lasted, in minutes" in html
    assert 'href="#id_actual_minutes"' in html
    assert "Select who was present at the visit" in html
    assert 'value="took_place" checked' in html
    assert "Typed note kept</textarea>" in html
    response = client.post(record_url(visit), {"version": visit.version})
    assert "Select what happened at the visit" in response.content.decode()
    visit.refresh_from_db()
    assert visit.outcome == ""


def test_recording_twice_shows_the_reason(client: Client, case: Case, alice: User) -> None:
    visit = took_place(schedule(case, alice, NOW - timedelta(hours=2)), alice)
    client.force_login(alice)
    response = client.post(
        record_url(visit),
        {"version": visit.version, "outcome": "no_one_home"},
    )
    assert "already been recorded" in response.content.decode()


def test_a_visit_of_another_case_is_404(
    client: Client, case: Case, alice: User, bob: User, rita: User
) -> None:
    visit = schedule(case, alice, NOW)
    other = builders.accepted_case(rita, bob)
    client.force_login(bob)
    wrong = reverse(
        "visits:record", kwargs={"case_id": other.public_id, "visit_id": visit.public_id}
    )
    assert client.get(wrong).status_code == 404


@pytest.mark.parametrize("persona", ["charlie", "dave", "rita", "erin", "adam"])
def test_outsider_gets_404(
    client: Client, case: Case, alice: User, persona: str, request: pytest.FixtureRequest
) -> None:
    visit = schedule(case, alice, NOW)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(index_url(case)).status_code == 404
    for url in (schedule_url(case), record_url(visit)):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    assert Visit.objects.count() == 1


@pytest.mark.parametrize("count", [2, 12])
def test_index_query_count_does_not_grow_with_visits(
    client: Client,
    case: Case,
    alice: User,
    count: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    for i in range(count):
        visit = schedule(case, alice, NOW + timedelta(days=i - count // 2))
        if i % 2:
            took_place(visit, alice)
    client.force_login(alice)
    with django_assert_num_queries(INDEX_QUERIES):
        response = client.get(index_url(case))
    html = response.content.decode()
    assert len(re.findall(r"<tr class=\"govuk-table__row\">", html)) == count + 2  # two heads


def test_index_view_is_audited(client: Client, case: Case, alice: User) -> None:
    client.force_login(alice)
    client.get(reverse("visits:index", kwargs={"case_id": case.public_id}))
    event = AuditEvent.objects.get(action=Action.VISITS_VIEWED)
    assert event.actor == alice
    assert event.family_public_id == case.family.public_id
