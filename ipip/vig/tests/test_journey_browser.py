"""One VIG case from allocation to closure, in Chromium.

The centre manager allocates an accepted Sheffield case to a practitioner for VIG. The
practitioner records the family's consent, a home visit, the parent's goal, and two VIG
cycles (a film, its clips, the shared review with the goal ratings), then closes the case.
A filming is refused while the family has not consented to filming. The goals page draws
the ratings; the case page counts the cycles; the audit trail lists what was done.

The journey runs in real time, with dates counted back from today: the live server runs in
its own thread and the browser keeps cookies by the real clock, so the frozen clock of
this folder's other tests (conftest `frozen`) is switched off here.
"""

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, Response, expect
from pytest_django import DjangoDbBlocker, Settings
from pytest_django.live_server_helper import LiveServer

from ipip.accounts.models import Role, User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Carer, Case, CaseStatus, ClosureReason
from ipip.core.dates import long_date
from ipip.core.testing.builders import child_input, referral_input
from ipip.core.testing.personas import make_user
from ipip.referrals import actions as referral_actions
from ipip.referrals.tests.test_journey_browser import (
    load_service_areas,
    sign_in,
    watch_for_broken_assets,
)
from ipip.vig.models import Clip, Filming, VigCycle


@pytest.fixture
def frozen() -> None:
    """Real time for this journey (overrides the folder's frozen clock; see the docstring)."""


@pytest.fixture(scope="module")
def service_areas(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The migrations' areas, before the journey and again after its flush removed them
    (as the fixture of the same name in ipip/referrals/tests/test_journey_browser explains)."""
    with django_db_blocker.unblock():
        load_service_areas()
    yield
    with django_db_blocker.unblock():
        load_service_areas()


# ---------------------------------------------------------------------------------------
# Helpers shared with the PTP journey and the accessibility checks of the new pages.
# ---------------------------------------------------------------------------------------


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def watch_page(page: Page, broken: list[str]) -> None:
    """Collect into `broken` a broken asset, a console error (a CSP refusal shows there),
    and any page that answered with a server error."""
    watch_for_broken_assets(page, broken)

    def server_error(response: Response) -> None:
        if response.status >= 500:
            broken.append(f"{response.status} {response.url}")

    page.on("response", server_error)


def fill_date(scope: Page | Locator, legend: str, value: date) -> None:
    """Type a date into the GOV.UK date input whose fieldset legend is `legend`."""
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))


def success(page: Page, text: str) -> None:
    """The green banner that follows a saved form."""
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(text)


def accepted_sheffield_case(
    rita: User, bob: User, *, child_first_name: str = "Kit", older_by_days: int = 0
) -> Case:
    """A referral received 60 days ago for a 6-year-old, accepted into a Sheffield case.

    Each family made in one test needs its own child's name and `older_by_days`, or the
    referral is held as a possible duplicate of the one before."""
    received = days_ago(60)
    referral = referral_actions.do_receive_referral(
        referral_input(
            received_on=received,
            child=child_input(
                born=received - timedelta(days=6 * 366 + older_by_days),
                first_name=child_first_name,
                last_name="Testperson",
            ),
        ),
        acting_user=rita,
    )
    return referral_actions.do_accept_referral(referral, acting_user=bob)


def allocate_in_browser(page: Page, server: LiveServer, case: Case, approach: str) -> None:
    """As the centre manager, on the case page: allocate to Alice Example with `approach`."""
    page.goto(f"{server.url}/cases/{case.public_id}/")
    page.get_by_role("link", name="Allocate", exact=True).click()
    expect(
        page.get_by_role("heading", name=f"Allocate case {case.family.pseudonym}")
    ).to_be_visible()
    page.get_by_label("Practitioner").select_option(label="Alice Example")
    page.get_by_role("radio", name=approach).check()
    page.get_by_role("button", name="Allocate").click()
    success(page, "Case allocated.")
    status = page.locator(".govuk-summary-list__row", has_text="Status")
    expect(status.first).to_contain_text("Allocated")
    expect(page.locator(".govuk-summary-list__row", has_text="Approach")).to_contain_text(approach)


def record_consent(page: Page, purpose: str, on: date, carer: str) -> None:
    """From the consent page: record that `carer` gave consent to `purpose` on `on`."""
    page.get_by_role("link", name="Record a consent decision").click()
    expect(page.get_by_role("heading", name="Record a consent decision")).to_be_visible()
    page.get_by_role("radio", name=purpose).check()
    page.get_by_role("radio", name="Given", exact=True).check()
    fill_date(page, "Date of the decision", on)
    page.get_by_role("radio", name=carer).check()
    page.get_by_role("button", name="Save decision").click()
    success(page, "Consent given.")
    row = page.locator(".govuk-summary-list__row", has_text=purpose)
    expect(row).to_contain_text("Given")
    expect(row).to_contain_text(f"{long_date(on)}, by {carer.split(' (')[0]}")


def schedule_and_record_visit(page: Page, on: date, carer: str, child: str) -> None:
    """From the visits page: schedule a visit on `on` at 10:00, record it took place."""
    page.get_by_role("button", name="Schedule a visit").click()
    expect(page.get_by_role("heading", name="Schedule a visit")).to_be_visible()
    fill_date(page, "Date of the visit", on)
    page.get_by_label("Time").fill("10:00")
    page.get_by_label("Planned length, in minutes").fill("60")
    page.get_by_role("button", name="Schedule visit").click()
    success(page, "Visit scheduled.")
    page.get_by_role("link", name="Record outcome").click()
    expect(page.get_by_role("heading", name="Record the visit of")).to_be_visible()
    page.get_by_role("radio", name="Took place").check()
    page.get_by_label("How long did the visit last, in minutes?").fill("70")
    page.get_by_role("checkbox", name=carer).check()
    page.get_by_role("checkbox", name=child).check()
    page.get_by_role("button", name="Save the visit").click()
    success(page, "Visit recorded.")
    past = page.locator("table", has=page.get_by_role("columnheader", name="Outcome"))
    expect(past).to_contain_text("Took place")
    expect(past).to_contain_text("70 minutes")
    expect(past).to_contain_text(carer)
    expect(past).to_contain_text(child)


def set_goal(page: Page, text: str, on: date, now: int, hoped: int) -> None:
    """From the goals page: set a goal with its first rating."""
    page.get_by_role("button", name="Set a goal").click()
    expect(page.get_by_role("heading", name="Set a goal")).to_be_visible()
    page.get_by_label("The goal, in the parent's own words").fill(text)
    fill_date(page, "Date set", on)
    page.get_by_label("Where the parent is now").fill(str(now))
    page.get_by_label("Where the parent hopes to be").fill(str(hoped))
    page.get_by_role("button", name="Save the goal").click()
    success(page, "Goal set.")
    expect(page.get_by_role("heading", name="Goals being worked on")).to_be_visible()


def rate_goal_1(page: Page, now: int, hoped: int) -> None:
    page.get_by_label("Goal 1, now").fill(str(now))
    page.get_by_label("Goal 1, hoped for").fill(str(hoped))


# ---------------------------------------------------------------------------------------
# The VIG steps
# ---------------------------------------------------------------------------------------


def start_cycle(page: Page, number: int, question: str, on: date, goal: str) -> None:
    """From the VIG page: start cycle `number` with its helping question and the goal."""
    page.get_by_role("button", name=f"Start cycle {number}").click()
    expect(page.get_by_role("heading", name="Start a VIG cycle")).to_be_visible()
    page.get_by_label("Helping question").fill(question)
    fill_date(page, "Date the cycle started", on)
    page.get_by_role("checkbox", name=goal).check()
    page.get_by_role("button", name="Start the cycle").click()
    success(page, f"Cycle {number} started.")
    expect(page.get_by_role("heading", name=f"Cycle {number}", exact=True)).to_be_visible()
    expect(page.locator(".govuk-summary-list__row", has_text="Helping question")).to_contain_text(
        question
    )
    expect(
        page.locator(".govuk-summary-list__row", has_text="The parent's goals")
    ).to_contain_text(goal)
    expect(page.get_by_text("In progress")).to_be_visible()


def fill_filming(page: Page, on: date, activity: str, length: str, people: list[str]) -> None:
    fill_date(page, "Date of filming", on)
    page.get_by_label("Activity filmed").fill(activity)
    page.get_by_label("Length of the film").fill(length)
    for person in people:
        page.get_by_role("checkbox", name=person).check()


def record_filming(page: Page, on: date, activity: str, length: str, people: list[str]) -> None:
    """From a cycle page: record its filming."""
    page.get_by_role("button", name="Record a filming").click()
    expect(page.get_by_role("heading", name="Record a filming for cycle")).to_be_visible()
    expect(page.get_by_text("There is no consent to filming")).to_have_count(0)
    fill_filming(page, on, activity, length, people)
    page.get_by_role("button", name="Save the filming").click()
    success(page, "Filming recorded.")
    card = page.locator(".govuk-summary-card", has_text=f"Filmed {long_date(on)}: {activity}")
    expect(card).to_contain_text(length)
    for person in people:
        expect(card).to_contain_text(person)
    expect(card).to_contain_text("No clips chosen yet.")


def add_clip(
    page: Page, start: str, end: str, principles: dict[str, list[str]], clips_shown: int
) -> None:
    """From a cycle page: add a clip of its (only) filming, with principles and elements."""
    page.get_by_role("link", name="Add a clip").click()
    expect(page.get_by_role("heading", name="Add a clip")).to_be_visible()
    page.get_by_label("Start of the clip").fill(start)
    page.get_by_label("End of the clip").fill(end)
    principles_group = page.get_by_role("group", name="Principles of attuned interaction shown")
    for principle, elements in principles.items():
        principles_group.get_by_role("checkbox", name=principle, exact=True).check()
        elements_group = page.get_by_role("group", name=principle, exact=True)
        for element in elements:
            elements_group.get_by_role("checkbox", name=element, exact=True).check()
    page.get_by_role("button", name="Add the clip").click()
    success(page, "Clip added.")
    clips = page.get_by_role("table", name="Clips chosen")
    expect(clips.locator("tbody tr")).to_have_count(clips_shown)
    row = clips.locator("tbody tr", has_text=f"{start}–{end}")
    for principle, elements in principles.items():
        expect(row).to_contain_text(principle)
        for element in elements:
            expect(row).to_contain_text(element)


def record_review(page: Page, number: int, on: date, now: int, hoped: int) -> None:
    """From a cycle page: record its shared review with the parent's rating of goal 1."""
    page.get_by_role("button", name="Record the shared review").click()
    expect(page.get_by_role("heading", name=f"Shared review for cycle {number}")).to_be_visible()
    fill_date(page, "Date of the shared review", on)
    page.get_by_label("The parent's reflections").fill("I waited for him and he showed me.")
    page.get_by_label("What was celebrated").fill("Kit's smile when his mum joined in.")
    page.get_by_label("Next goals (optional)").fill("Keep the calm at bedtime.")
    rate_goal_1(page, now, hoped)
    page.get_by_role("button", name="Save the shared review").click()
    success(page, f"Shared review recorded: cycle {number} is complete.")
    expect(page.get_by_text(f"Completed {long_date(on)}")).to_be_visible()
    review = page.locator(".govuk-summary-list", has_text="The parent's reflections")
    expect(review).to_contain_text("I waited for him and he showed me.")
    expect(page.get_by_role("button", name="Record another filming")).to_have_count(0)


@pytest.mark.browser
@pytest.mark.usefixtures("service_areas")
def test_vig_case_from_allocation_to_closure(
    page: Page,
    live_server: LiveServer,
    transactional_db: None,
    settings: Settings,
) -> None:
    settings.IPIP_PAGE_SIZE = 500  # the whole audit trail on one page
    rita = make_user(
        "rita@example.org", Role.REFERRER, agency_type="health_visitor", agency_name="HV team"
    )
    bob = make_user("bob@example.org", Role.CENTRE_MANAGER, "Sheffield")
    alice = make_user("alice@example.org", Role.PRACTITIONER, "Sheffield")
    case = accepted_sheffield_case(rita, bob)
    carer_row = Carer.objects.get(family=case.family)
    carer = f"{carer_row.first_name} {carer_row.last_name}"
    carer_choice = f"{carer} (mother)"
    child = "Kit Testperson"
    goal = "Calmer bedtimes with Kit"
    url = f"{live_server.url}/cases/{case.public_id}/"
    broken: list[str] = []
    watch_page(page, broken)

    # The centre manager allocates the case to Alice for VIG.
    sign_in(page.context, bob, live_server)
    allocate_in_browser(page, live_server, case, "Video Interaction Guidance (VIG)")
    page.context.clear_cookies()

    # Alice records the family's consent to the service.
    sign_in(page.context, alice, live_server)
    page.goto(url)
    expect(page.get_by_role("heading", name=child)).to_be_visible()
    page.get_by_role("link", name="Consent", exact=True).click()
    expect(page.get_by_role("heading", name="Consent", exact=True)).to_be_visible()
    record_consent(page, "Receiving the service", days_ago(30), carer_choice)

    # A home visit, that took place with the mother and the child.
    page.goto(url)
    page.get_by_role("link", name="Home visits").click()
    expect(page.get_by_role("heading", name="Visits", exact=True)).to_be_visible()
    schedule_and_record_visit(page, days_ago(29), carer, child)

    # The parent's goal, with where she is now and where she hopes to be.
    page.goto(url)
    page.get_by_role("link", name="The parent's goals").click()
    expect(page.get_by_role("heading", name="Goals", exact=True)).to_be_visible()
    set_goal(page, goal, days_ago(28), now=3, hoped=8)

    # Cycle 1: the helping question and the goal.
    page.goto(url)
    page.get_by_role("link", name="VIG cycles").click()
    expect(page.get_by_role("heading", name="VIG cycles")).to_be_visible()
    expect(
        page.get_by_text("There is no consent to filming for this family today")
    ).to_be_visible()
    expect(page.get_by_text("No VIG cycles yet.")).to_be_visible()
    start_cycle(page, 1, "How can I help Kit settle at bedtime?", days_ago(27), goal)
    cycle_1_url = page.url

    # Without consent to filming, a filming is refused, and what was typed is kept.
    page.get_by_role("button", name="Record a filming").click()
    expect(
        page.get_by_text("There is no consent to filming for this family today")
    ).to_be_visible()
    fill_filming(page, days_ago(25), "Bedtime story", "10:30", [carer, child])
    page.get_by_role("button", name="Save the filming").click()
    refusal = (
        "Record the family's consent to filming first: there is no consent to filming on "
        f"{long_date(days_ago(25))}."
    )
    expect(page.locator(".govuk-error-summary")).to_contain_text(refusal)
    expect(page).to_have_title(re.compile(r"^Error: Record a filming"))
    expect(page.get_by_label("Activity filmed")).to_have_value("Bedtime story")
    assert not Filming.objects.exists()

    # Alice records the consents to filming, to keeping clips and to research.
    page.goto(f"{url}consent/")
    for purpose in (
        "Being filmed",
        "Keeping clips and using them in supervision",
        "Research use of data",
    ):
        record_consent(page, purpose, days_ago(27), carer_choice)

    # Cycle 1: the filming, two clips, the shared review.
    page.goto(cycle_1_url)
    record_filming(page, days_ago(25), "Bedtime story", "10:30", [carer, child])
    add_clip(
        page,
        "1:05",
        "1:40",
        {
            "Being attentive": ["Looking interested, with a friendly posture"],
            "Receiving initiatives": ["Returning eye contact, smiling or nodding in response"],
        },
        clips_shown=1,
    )
    add_clip(
        page,
        "3:00",
        "3:30",
        {"Encouraging initiatives": ["Waiting", "Naming positively what you see, think or feel"]},
        clips_shown=2,
    )
    record_review(page, 1, days_ago(20), now=5, hoped=8)

    # Cycle 2: the same, with one clip.
    page.get_by_role("link", name="Back to the VIG cycles").click()
    cycles = page.get_by_role("table", name="Cycles")
    expect(cycles.locator("tbody tr")).to_have_count(1)
    expect(cycles).to_contain_text(f"Completed {long_date(days_ago(20))}")
    start_cycle(page, 2, "How can I keep bedtime calm?", days_ago(18), goal)
    record_filming(page, days_ago(15), "Reading together", "8:00", [carer, child])
    add_clip(page, "0:30", "1:10", {"Guiding": ["Scaffolding"]}, clips_shown=1)
    record_review(page, 2, days_ago(10), now=7, hoped=9)

    # The goals page: the chart, and the table of the three ratings.
    page.goto(f"{url}goals/")
    chart = page.locator("svg[role='img']")
    expect(chart).to_have_count(1)
    expect(page.get_by_role("img", name=re.compile(r"^Ratings over time, Goal 1"))).to_be_visible()
    ratings = page.get_by_role("table", name="Goal 1: every rating")
    rows = ratings.locator("tbody tr")
    expect(rows).to_have_count(3)
    for n, (on, now, hoped) in enumerate(
        ((days_ago(28), 3, 8), (days_ago(20), 5, 8), (days_ago(10), 7, 9))
    ):
        cells = rows.nth(n).locator("td")
        expect(cells.nth(0)).to_have_text(long_date(on))
        expect(cells.nth(2)).to_have_text(str(now))
        expect(cells.nth(3)).to_have_text(str(hoped))

    # The case page counts the two completed cycles, and sums up the goal.
    page.goto(url)
    cycles_row = page.locator(".govuk-summary-list__row", has_text="VIG cycles completed")
    expect(cycles_row.locator("dd")).to_have_text(re.compile(r"^2 "))
    summary = page.get_by_role("table", name=re.compile(r"^Goals being worked on"))
    expect(summary).to_contain_text(goal)
    first, latest = summary.locator("tbody td").all()
    expect(first).to_have_text(re.compile(rf"^3\s*{long_date(days_ago(28))}$"))
    expect(latest).to_have_text(re.compile(rf"^7\s*{long_date(days_ago(10))}$"))

    # Alice closes the case as completed.
    page.get_by_role("link", name="Close case").click()
    expect(page.get_by_role("heading", name="Close case")).to_be_visible()
    page.get_by_role("radio", name="Completed").check()
    page.get_by_label("Closing summary").fill("Two VIG cycles; bedtimes are calmer.")
    page.get_by_role("button", name="Close case").click()
    success(page, "Case closed.")
    status = page.locator(".govuk-summary-list__row", has_text="Status").first
    expect(status).to_contain_text("Closed")
    expect(status).to_contain_text("Completed")
    expect(page.locator(".govuk-summary-list__row", has_text="Closing summary")).to_contain_text(
        "Two VIG cycles; bedtimes are calmer."
    )
    expect(page.get_by_role("link", name="Close case")).to_have_count(0)

    # A closed case is read-only: no new cycle, no filming.
    page.get_by_role("link", name="VIG cycles").click()
    expect(page.get_by_role("heading", name="VIG cycles")).to_be_visible()
    expect(page.get_by_role("table", name="Cycles").locator("tbody tr")).to_have_count(2)
    expect(page.get_by_role("button", name=re.compile("Start cycle"))).to_have_count(0)
    page.get_by_role("link", name="Cycle 2").click()
    expect(
        page.get_by_role("button", name=re.compile("Record (a|another) filming"))
    ).to_have_count(0)
    page.context.clear_cookies()

    # The centre manager reads the audit trail.
    sign_in(page.context, bob, live_server)
    page.goto(f"{url}audit/")
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    what = page.locator("tbody tr td:nth-child(3)")
    for action, count in (
        ("Case allocated", 1),
        ("Consent given", 4),
        ("Visit scheduled", 1),
        ("Visit recorded", 1),
        ("Goal set", 1),
        ("VIG cycle started", 2),
        ("Filming recorded", 2),
        ("Clip added", 3),
        ("Shared review recorded", 2),
        ("Case closed", 1),
    ):
        expect(what.filter(has_text=re.compile(f"^{action}$"))).to_have_count(count)

    # What the pages saved.
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == ClosureReason.COMPLETED
    assert case.allocated_to == alice
    assert VigCycle.objects.filter(case=case, completed_on__isnull=False).count() == 2
    assert Clip.objects.filter(filming__cycle__case=case).count() == 3
    closed = AuditEvent.objects.get(action=Action.CASE_CLOSED)
    assert closed.actor == alice
    assert closed.subject_public_id == case.public_id
    assert broken == []
