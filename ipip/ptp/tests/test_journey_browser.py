"""One Pathways Triple P case, from allocation to its closure after safeguarding, in Chromium.

The centre manager allocates an accepted Sheffield case to a practitioner for Pathways
Triple P. The practitioner records consent, the parent's goal, the session plan and two
sessions with the goal ratings (a 45-minute session is refused, naming the length field),
and the module coverage shows what the sessions covered. Then a safeguarding concern is
raised and escalated; the outcome, a child protection plan, ends the family's eligibility:
the case closes as "No longer eligible", and the centre manager sees the alert on the
dashboard and acknowledges it on the alerts list.

Real time, with dates counted back from today (see ipip/vig/tests/test_journey_browser).
"""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from pytest_django import DjangoDbBlocker
from pytest_django.live_server_helper import LiveServer

from ipip.accounts.models import Role
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Carer, CaseStatus, ClosureReason
from ipip.core.dates import long_date
from ipip.core.testing.personas import make_user
from ipip.ptp.models import PtpSession
from ipip.referrals.tests.test_journey_browser import load_service_areas, sign_in
from ipip.safeguarding.models import Alert, AlertKind
from ipip.vig.tests.test_journey_browser import (
    accepted_sheffield_case,
    allocate_in_browser,
    days_ago,
    fill_date,
    rate_goal_1,
    record_consent,
    set_goal,
    success,
    watch_page,
)

PTP = "Pathways Triple P (PTP)"
MODULES = {
    "attribution": "Realistic expectations / attribution retraining",
    "anger": "Anger management",
    "mood": "Mood management",
    "stress": "Stress coping",
    "behaviour": "Strategies for managing children's behaviour",
}


@pytest.fixture
def frozen() -> None:
    """Real time for this journey (overrides the folder's frozen clock)."""


@pytest.fixture(scope="module")
def service_areas(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The migrations' areas, before the journey and again after its flush removed them
    (as the fixture of the same name in ipip/referrals/tests/test_journey_browser explains)."""
    with django_db_blocker.unblock():
        load_service_areas()
    yield
    with django_db_blocker.unblock():
        load_service_areas()


def fill_session(
    page: Page, *, days: int, minutes: int, modules: list[str], homework_review: str
) -> None:
    fill_date(page, "Date of the session", days_ago(days))
    page.get_by_label("Length of the session, in minutes").fill(str(minutes))
    page.get_by_role("radio", name="Level 5 (Pathways and Enhanced)").check()
    covered = page.get_by_role("group", name="Which modules did the session cover?")
    for code in modules:
        covered.get_by_role("checkbox", name=MODULES[code], exact=True).check()
    page.get_by_role("group", name="How did the homework set at the last session go?").get_by_role(
        "radio", name=homework_review, exact=True
    ).check()


def session_shows(page: Page, number: int, days: int, minutes: int, modules: list[str]) -> None:
    expect(page.get_by_role("heading", name=f"Session {number}", exact=True)).to_be_visible()
    expect(page.locator(".govuk-summary-list__row", has_text="Date")).to_contain_text(
        long_date(days_ago(days))
    )
    expect(page.locator(".govuk-summary-list__row", has_text="Length")).to_contain_text(
        f"{minutes} minutes"
    )
    covered = page.locator(".govuk-summary-list__row", has_text="Modules covered")
    expect(covered.locator("li")).to_have_text([MODULES[code] for code in modules])


@pytest.mark.browser
@pytest.mark.usefixtures("service_areas")
def test_ptp_case_to_safeguarding_closure(
    page: Page, live_server: LiveServer, transactional_db: None
) -> None:
    rita = make_user(
        "rita@example.org", Role.REFERRER, agency_type="health_visitor", agency_name="HV team"
    )
    bob = make_user("bob@example.org", Role.CENTRE_MANAGER, "Sheffield")
    alice = make_user("alice@example.org", Role.PRACTITIONER, "Sheffield")
    case = accepted_sheffield_case(rita, bob, child_first_name="Sam")
    carer_row = Carer.objects.get(family=case.family)
    carer_choice = f"{carer_row.first_name} {carer_row.last_name} (mother)"
    child = "Sam Testperson"
    goal = "Stay calm when Sam will not get dressed"
    url = f"{live_server.url}/cases/{case.public_id}/"
    pseudonym = case.family.pseudonym
    broken: list[str] = []
    watch_page(page, broken)

    # The centre manager allocates the case to Alice for Pathways Triple P.
    sign_in(page.context, bob, live_server)
    allocate_in_browser(page, live_server, case, PTP)
    page.context.clear_cookies()

    # Alice records consent to the service, and the parent's goal.
    sign_in(page.context, alice, live_server)
    page.goto(url)
    page.get_by_role("link", name="Consent", exact=True).click()
    record_consent(page, "Receiving the service", days_ago(21), carer_choice)
    page.goto(url)
    page.get_by_role("link", name="The parent's goals").click()
    set_goal(page, goal, days_ago(20), now=2, hoped=8)

    # The session plan.
    page.goto(url)
    page.get_by_role("link", name="Pathways Triple P sessions").click()
    expect(page.get_by_role("heading", name="Pathways Triple P", exact=True)).to_be_visible()
    expect(page.get_by_text("No session plan yet.")).to_be_visible()
    page.get_by_role("button", name="Set the session plan").click()
    expect(page.get_by_role("heading", name="Set the session plan")).to_be_visible()
    page.get_by_label("How many sessions are planned?").fill("4")
    planned = page.get_by_role("group", name="Which modules are planned?")
    for label in MODULES.values():
        planned.get_by_role("checkbox", name=label, exact=True).check()
    fill_date(page, "Date the sessions start", days_ago(14))
    page.get_by_role("button", name="Save the plan").click()
    success(page, "Session plan saved.")
    expect(page.locator(".govuk-summary-list__row", has_text="Planned sessions")).to_contain_text(
        "4 (recorded so far: 0)"
    )
    expect(
        page.locator(".govuk-summary-list__row", has_text="Planned modules").locator("li")
    ).to_have_text(list(MODULES.values()))

    # Session 1: 75 minutes, two modules, homework set, and the goal rated.
    page.get_by_role("button", name="Record a session").click()
    expect(page.get_by_role("heading", name="Record a session")).to_be_visible()
    expect(page.get_by_text("This will be session 1.")).to_be_visible()
    fill_session(
        page,
        days=14,
        minutes=75,
        modules=["attribution", "anger"],
        homework_review="No homework was set",
    )
    page.get_by_label("Homework set at this session (optional)").fill(
        "Notice two calm moments each day"
    )
    rate_goal_1(page, 4, 8)
    page.get_by_role("button", name="Save the session").click()
    success(page, "Session 1 recorded.")
    session_shows(page, 1, 14, 75, ["attribution", "anger"])
    expect(page.locator(".govuk-summary-list__row", has_text="Homework set")).to_contain_text(
        "Notice two calm moments each day"
    )
    goal_ratings = page.get_by_role("table")
    expect(goal_ratings.locator("tbody td")).to_have_text([goal, "4", "8"])

    # Session 2: 45 minutes is refused, naming the length field; nothing typed is lost.
    page.get_by_role("link", name="Back to Pathways Triple P").click()
    page.get_by_role("button", name="Record a session").click()
    expect(page.get_by_text("This will be session 2. Session 1 was on")).to_be_visible()
    expect(page.get_by_text("Homework set then: Notice two calm moments each day")).to_be_visible()
    fill_session(
        page, days=7, minutes=45, modules=["stress", "behaviour"], homework_review="Partly done"
    )
    page.get_by_label("Homework set at this session (optional)").fill("Use the calm-down plan")
    rate_goal_1(page, 6, 9)
    page.get_by_role("button", name="Save the session").click()
    expect(page).to_have_title(re.compile(r"^Error: Record a session"))
    error = "Length of the session must be from 60 to 90 minutes"
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name=error)).to_be_visible()
    length = page.get_by_label("Length of the session, in minutes")
    expect(page.locator(".govuk-form-group--error", has=length)).to_contain_text(error)
    expect(length).to_have_value("45")
    expect(page.get_by_label("Goal 1, now")).to_have_value("6")
    expect(page.get_by_role("checkbox", name=MODULES["stress"], exact=True)).to_be_checked()
    assert PtpSession.objects.filter(case=case).count() == 1
    # The error links to the field it names.
    summary.get_by_role("link", name=error).click()
    expect(length).to_be_focused()
    length.fill("90")
    page.get_by_role("button", name="Save the session").click()
    success(page, "Session 2 recorded.")
    session_shows(page, 2, 7, 90, ["stress", "behaviour"])

    # The sessions and the module coverage.
    page.get_by_role("link", name="Back to Pathways Triple P").click()
    sessions = page.get_by_role("table", name="2 sessions, 165 minutes in all")
    expect(sessions.locator("tbody tr")).to_have_count(2)
    expect(sessions.locator("tbody tr").nth(1)).to_contain_text("Last homework: partly done")
    coverage = page.locator("table", has=page.get_by_role("columnheader", name="First covered"))
    for code, label in MODULES.items():
        row = coverage.locator("tbody tr", has=page.get_by_role("cell", name=label, exact=True))
        if code == "mood":
            expect(row.locator("td").last).to_have_text("Planned, not yet covered")
        else:
            expect(row.locator("td").nth(2)).to_have_text("1")
            expect(row.locator("td").last).to_have_text("Covered")

    # The case page: the sessions and the goal's ratings.
    page.goto(url)
    expect(page.locator(".govuk-summary-list__row", has_text="PTP sessions")).to_contain_text(
        "2, covering 4 of 5 modules"
    )

    # A safeguarding concern is raised, escalated, and ends in a child protection plan.
    page.get_by_role("link", name="Safeguarding", exact=True).click()
    expect(page.get_by_role("heading", name="Safeguarding", exact=True)).to_be_visible()
    page.get_by_role("button", name="Raise a concern").click()
    expect(page.get_by_role("heading", name="Raise a safeguarding concern")).to_be_visible()
    fill_date(page, "Date the concern was raised", days_ago(3))
    page.get_by_role("checkbox", name=child).check()
    page.get_by_label("What was seen or heard").fill("Bruise on the arm, seen at the visit.")
    page.get_by_role("button", name="Record the concern").click()
    success(page, "Concern recorded. The centre managers have been alerted.")
    expect(
        page.get_by_role("heading", name=f"Concern raised on {long_date(days_ago(3))}")
    ).to_be_visible()
    page.get_by_role("link", name="Escalate to another agency").click()
    expect(page.get_by_role("heading", name="Escalate the concern raised on")).to_be_visible()
    fill_date(page, "Date of the escalation", days_ago(2))
    expect(
        page.get_by_role(
            "radio", name="Local authority children's social care (front door or MASH)"
        )
    ).to_be_checked()
    page.get_by_label("Name of the team or agency").fill("Sheffield MASH")
    page.get_by_label("Reason for the escalation").fill("Unexplained injury.")
    page.get_by_role("button", name="Record the escalation").click()
    success(page, "Escalation recorded. Record the outcome when you know it.")
    escalations = page.locator("table", has=page.get_by_role("columnheader", name="Outcome"))
    expect(escalations).to_contain_text("Awaiting outcome")
    escalations.get_by_role("link", name="Record the outcome").click()
    expect(page.get_by_role("heading", name="Outcome of the escalation on")).to_be_visible()
    expect(page.get_by_text("A child protection plan or care proceedings ends")).to_be_visible()
    page.get_by_role("radio", name="Child protection plan").check()
    fill_date(page, "Date of the outcome", days_ago(1))
    page.get_by_role("button", name="Save the outcome").click()
    success(
        page,
        "Outcome recorded. The family is no longer eligible: the case is closed and the "
        "centre managers have been alerted.",
    )
    expect(escalations).to_contain_text("Child protection plan")
    expect(page.get_by_text("This case is closed.")).to_be_visible()

    # The case is closed as no longer eligible; its PTP records are read-only.
    page.goto(url)
    status = page.locator(".govuk-summary-list__row", has_text="Status").first
    expect(status).to_contain_text("Closed (No longer eligible)")
    expect(page.get_by_role("link", name="Close case")).to_have_count(0)
    page.get_by_role("link", name="Pathways Triple P sessions").click()
    expect(page.get_by_role("button", name="Record a session")).to_have_count(0)
    page.context.clear_cookies()

    # The centre manager sees the alert on the dashboard, and acknowledges it.
    sign_in(page.context, bob, live_server)
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", name="Area dashboard")).to_be_visible()
    alerts = page.get_by_role("region", name="Alerts")
    closure = "Case closed as no longer eligible: an escalation ended in child protection plan."
    expect(alerts.locator("li", has_text=closure)).to_contain_text(f"Family {pseudonym}")
    closed_row = page.get_by_role("table", name="Closed, by reason").locator(
        "tr", has_text="No longer eligible"
    )
    expect(closed_row.locator("td")).to_have_text("1")
    alerts.get_by_role("link", name="All alerts").click()
    expect(page.get_by_role("heading", name="Alerts", exact=True)).to_be_visible()
    table = page.get_by_role("table", name=re.compile(r"open alerts?$"))
    expect(table).to_have_accessible_name("3 open alerts")
    row = table.locator("tbody tr", has_text="Case closed after safeguarding")
    expect(row).to_contain_text(pseudonym)
    expect(row).to_contain_text(closure)
    row.get_by_role("button", name=re.compile("^Acknowledge")).click()
    success(page, "Alert acknowledged.")
    expect(page.get_by_role("table", name="2 open alerts")).to_be_visible()
    expect(page.get_by_text("Case closed after safeguarding")).to_have_count(0)

    # What the pages saved.
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == ClosureReason.NO_LONGER_ELIGIBLE
    assert PtpSession.objects.filter(case=case).count() == 2
    alert = Alert.objects.get(case=case, kind=AlertKind.SAFEGUARDING_CLOSURE)
    assert alert.acknowledged_by == bob
    acknowledged = AuditEvent.objects.get(action=Action.ALERT_ACKNOWLEDGED)
    assert acknowledged.actor == bob
    assert acknowledged.subject_public_id == alert.public_id
    assert broken == []
