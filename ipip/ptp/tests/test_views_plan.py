"""`ptp:plan`: set and change the plan; errors name the field and keep what was typed."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case
from ipip.ptp.actions import do_set_plan
from ipip.ptp.models import SessionPlan

pytestmark = pytest.mark.django_db

GOOD = {
    "planned_sessions": "5",
    "planned_modules": ["attribution", "anger"],
    "starts_on_0": "16",
    "starts_on_1": "3",
    "starts_on_2": "2026",
    "note": "Weekly",
    "version": "0",
}


def plan_url(case: Case) -> str:
    return reverse("ptp:plan", kwargs={"case_id": case.public_id})


def test_set_the_plan(client: Client, case: Case, alice: User) -> None:
    client.force_login(alice)
    html = client.get(plan_url(case)).content.decode()
    assert "<title>Set the session plan" in html
    assert "Pathways is usually 2 to 5 sessions, Enhanced 3 to 8" in html
    assert 'name="version" value="0"' in html
    response = client.post(plan_url(case), GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("ptp:index", kwargs={"case_id": case.public_id})
    plan = SessionPlan.objects.get(case=case)
    assert (plan.planned_sessions, plan.planned_modules) == (5, ["attribution", "anger"])
    assert (plan.starts_on, plan.note, plan.version) == (date(2026, 3, 16), "Weekly", 1)
    assert AuditEvent.objects.filter(action=Action.PTP_PLAN_SET, actor=alice).count() == 1


def test_change_the_plan_shows_it_and_checks_the_version(
    client: Client, case: Case, alice: User, bob: User
) -> None:
    do_set_plan(
        case,
        planned_sessions=3,
        planned_modules=["mood"],
        starts_on=date(2026, 3, 16),
        note="First plan",
        acting_user=alice,
    )
    client.force_login(bob)
    html = client.get(plan_url(case)).content.decode()
    assert "<title>Change the session plan" in html
    assert 'value="3"' in html
    assert 'value="mood" checked' in html
    assert "First plan</textarea>" in html
    assert 'name="version" value="1"' in html
    viewed = AuditEvent.objects.get(action=Action.PTP_VIEWED)
    assert viewed.data["page"] == "plan"
    response = client.post(plan_url(case), {**GOOD, "version": "1"})
    assert response.status_code == 302
    assert SessionPlan.objects.get().version == 2
    stale = client.post(plan_url(case), {**GOOD, "planned_sessions": "8", "version": "1"})
    html = stale.content.decode()
    assert "Someone else changed this session plan" in html
    assert 'value="8"' in html  # what was typed is kept
    assert SessionPlan.objects.get().planned_sessions == 5


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("planned_sessions", "", "Enter the number of planned sessions"),
        ("planned_sessions", "1", "Number of planned sessions must be from 2 to 12"),
        ("planned_sessions", "13", "Number of planned sessions must be from 2 to 12"),
        ("planned_sessions", "four", "Number of planned sessions must be a whole number"),
        ("planned_modules", [], "Select at least one module to plan"),
        ("planned_modules", ["juggling"], "Choose only modules from the list"),
        ("starts_on_1", "", "Date the sessions start must include a month"),
        ("starts_on_0", "31", "Date the sessions start must be a real date"),
    ],
)
def test_errors_name_the_field_and_keep_values(
    client: Client, case: Case, alice: User, field: str, value: object, message: str
) -> None:
    data = {**GOOD, "starts_on_1": "4", field: value}
    if field == "starts_on_0":
        data["starts_on_1"] = "2"
    client.force_login(alice)
    response = client.post(plan_url(case), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Set the session plan" in html
    assert message in html
    assert "Weekly</textarea>" in html
    for name in ("planned_sessions", "starts_on_0", "starts_on_1", "starts_on_2"):
        typed = data[name]
        if typed:
            assert f'value="{typed}"' in html, name
    if field != "planned_modules":
        assert 'value="attribution" checked' in html
    assert not SessionPlan.objects.exists()


def test_a_vig_case_cannot_have_a_plan(client: Client, vig_case: Case, alice: User) -> None:
    client.force_login(alice)
    html = client.get(plan_url(vig_case)).content.decode()
    assert "not Pathways Triple P" in html
    assert "<form" not in html.split("govuk-main-wrapper", 1)[1]
    response = client.post(plan_url(vig_case), GOOD)
    html = response.content.decode()
    assert "not Pathways Triple P" in html
    assert not SessionPlan.objects.exists()
