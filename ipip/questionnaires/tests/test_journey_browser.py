"""A family's questionnaires from baseline to end, in Chromium, answered on a tablet.

The practitioner signs in with her password and her authenticator code, opens her allocated
case and sees what is due at baseline. She starts a PHQ-9 with the parent, answers part of
it and saves it to come back later; comes back and goes on; an answer the page never offers
(sent by a tampered page) is refused next to its item; an item left blank is refused on the
check-your-answers page, next to the item and in the error summary, then answered. Item 9
is above 0: the completed questionnaire shows the risk warning, and the area's centre
manager finds the alert on the dashboard and follows it to the questionnaire. She enters the
child's SDQ scores (one out of range is refused, naming the field).

Then the clock moves on 60 days (time-machine, as ipip.core.testing.clock does, moving the
live server's clock too): the end time point is due, the PHQ-9 at end scores much lower, and
the results show both scores with their bands, reliable change with its parameters and
clinically significant change. A correction of the baseline, with a reason, is version 2 and
the results use it. The audit trail has an event for each step.

Real time otherwise, with dates counted from today (see ipip/vig/tests/test_journey_browser).
"""

import re
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone
from playwright.sync_api import Locator, Page, ViewportSize, expect
from pytest_django import DjangoDbBlocker
from pytest_django.live_server_helper import LiveServer

from ipip.accounts.models import Role, User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.actions import do_allocate_case
from ipip.cases.models import Approach, Case
from ipip.core.dates import long_date
from ipip.core.testing.personas import PASSWORD, TOTP_SECRET, make_user
from ipip.questionnaires.models import Administration, AdministrationStatus
from ipip.questionnaires.tests.test_queries import ensure_default_schedule
from ipip.referrals.tests.test_journey_browser import load_service_areas, sign_in
from ipip.safeguarding.models import Alert, AlertKind
from ipip.vig.tests.test_journey_browser import accepted_sheffield_case, success, watch_page

TABLET = ViewportSize(width=820, height=1180)  # an iPad Air, upright
DESKTOP = ViewportSize(width=1280, height=720)
CHILD = "Kit Testperson"
RISK = "PHQ-9 item 9 answered 1 (above 0)."
BEFORE_END = 60  # days from the baseline to the end time point (end opens at day 56)


@pytest.fixture
def frozen() -> None:
    """Real time for this journey (overrides any frozen clock of the folder)."""


@pytest.fixture(scope="module")
def migration_data(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The migrations' areas and time points, before the journey and again after its flush
    removed them (as `service_areas` in ipip/referrals/tests/test_journey_browser explains):
    the later tests on this worker need both."""
    with django_db_blocker.unblock():
        load_service_areas()
        ensure_default_schedule()
    yield
    with django_db_blocker.unblock():
        load_service_areas()
        ensure_default_schedule()


# ---------------------------------------------------------------------------------------
# Helpers, shared with the accessibility checks of these pages.
# ---------------------------------------------------------------------------------------


def totp_code() -> str:
    """The code the authenticator app shows now (the test secret of the personas)."""
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))  # type: ignore[no-any-return]


def log_in_with_second_factor(page: Page, server: LiveServer, user: User) -> None:
    """Through the sign-in pages: email and password, then the authenticator code."""
    page.goto(f"{server.url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    # Only the current 30-second period's code is accepted: wait out a period about to end.
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.5)
    page.get_by_label("Security code").fill(totp_code())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name=f"Welcome, {user.display_name}")).to_be_visible()


def item(page: Page, number: int) -> Locator:
    """The radios of item `number` (its legend starts "4. ")."""
    return page.get_by_role("group", name=re.compile(rf"^{number}\. "))


def answer(page: Page, answers: dict[int, str]) -> None:
    for number, option in answers.items():
        item(page, number).get_by_role("radio", name=option, exact=True).check()


def save(page: Page, how: str = "Save and continue") -> None:
    page.get_by_role("button", name=how).click()


def on_answer_page(page: Page, heading: str, number: int, of: int) -> None:
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_text(f"Page {number} of {of}", exact=True)).to_be_visible()


def complete(page: Page) -> None:
    """From the check-your-answers page, with today's date as it is pre-filled."""
    expect(page.get_by_role("heading", name=re.compile(r"^Check the"))).to_be_visible()
    group = page.get_by_role("group", name="Date completed")
    today = timezone.localdate()
    expect(group.get_by_label("Day")).to_have_value(str(today.day))
    expect(group.get_by_label("Year")).to_have_value(str(today.year))
    page.get_by_role("button", name="Complete and score").click()


def risk_banner(page: Page) -> Locator:
    return page.get_by_role("region", name="Important")


def score_row(page: Page, scale: str) -> Locator:
    """A row of the scores table on a questionnaire's page."""
    scores = page.locator("table", has=page.get_by_role("columnheader", name="Band"))
    return scores.locator("tbody tr", has=page.get_by_role("rowheader", name=scale, exact=True))


def summary_value(scope: Page | Locator, key: str) -> Locator:
    """The value of the summary list row whose key has `key` in it."""
    page = scope if isinstance(scope, Page) else scope.page
    row = scope.locator(".govuk-summary-list__row", has=page.locator("dt", has_text=key))
    return row.locator("dd").first


def start_another(page: Page, code_name: str, time_point: str) -> None:
    """From the questionnaires page: start a questionnaire by hand."""
    page.get_by_role("button", name="Start another questionnaire").click()
    expect(page.get_by_role("heading", name="Start a questionnaire")).to_be_visible()
    page.get_by_role("group", name="Questionnaire").get_by_role(
        "radio", name=code_name, exact=True
    ).check()
    page.get_by_role("radio", name=time_point, exact=True).check()
    page.get_by_role("button", name="Start").click()
    success(page, f"{code_name} started.")


def time_point_table(page: Page, point: str) -> Locator:
    return page.get_by_role("table", name=f"Questionnaires due at {point.lower()}")


def status_of(table: Locator, name: str) -> Locator:
    row = table.locator("tbody tr", has=table.page.get_by_role("rowheader", name=name))
    return row.locator(".govuk-tag")


def phq9_change(page: Page) -> Locator:
    return page.get_by_role("table", name="PHQ-9, depression severity: reliable change")


def phq9_scores(page: Page) -> Locator:
    return page.get_by_role("table", name="PHQ-9, depression severity: scores")


@pytest.mark.browser
@pytest.mark.usefixtures("migration_data")
def test_questionnaires_from_baseline_to_end(
    page: Page, live_server: LiveServer, transactional_db: None
) -> None:
    rita = make_user(
        "rita@example.org", Role.REFERRER, agency_type="health_visitor", agency_name="HV team"
    )
    bob = make_user("bob@example.org", Role.CENTRE_MANAGER, "Sheffield")
    alice = make_user("alice@example.org", Role.PRACTITIONER, "Sheffield")
    case: Case = do_allocate_case(
        accepted_sheffield_case(rita, bob),
        practitioner=alice,
        approach=Approach.VIG,
        acting_user=bob,
    )
    pseudonym = case.family.pseudonym
    url = f"{live_server.url}/cases/{case.public_id}/"
    baseline_on = timezone.localdate()
    broken: list[str] = []
    watch_page(page, broken)

    # Alice signs in with her password and her authenticator code, and opens her case.
    page.set_viewport_size(DESKTOP)
    log_in_with_second_factor(page, live_server, alice)
    page.get_by_role("link", name="Cases", exact=True).first.click()
    page.get_by_role("link", name=pseudonym, exact=True).click()
    expect(page.get_by_role("heading", name=CHILD)).to_be_visible()
    page.get_by_role("link", name="Questionnaires", exact=True).click()

    # The time points: four questionnaires due at baseline; the end opens later.
    expect(page.get_by_role("heading", name="Questionnaires", exact=True)).to_be_visible()
    expect(page.get_by_text("Now: 4 due, 0 overdue, 0 missed.")).to_be_visible()
    baseline = time_point_table(page, "Baseline")
    expect(baseline.locator("tbody tr")).to_have_count(4)
    for name in ("SDQ", "Parenting Scale", "PCRI", "DASS-21"):
        expect(status_of(baseline, name)).to_have_text("Due")
    expect(baseline.locator("tbody tr", has_text="SDQ")).to_contain_text(CHILD)
    end = time_point_table(page, "End")
    expect(status_of(end, "SDQ")).to_have_text("Not yet due")
    opens = long_date(timezone.localdate(case.allocated_at) + timedelta(days=56))
    expect(end.locator("tbody tr", has_text="SDQ")).to_contain_text(f"Opens {opens}")

    # On the tablet with the parent: the PHQ-9 at baseline, three items, then a break.
    page.set_viewport_size(TABLET)
    start_another(page, "PHQ-9", "Baseline")
    on_answer_page(page, "PHQ-9 at baseline", 1, 2)
    expect(page.get_by_text("None of the 9 items is answered yet.")).to_be_visible()
    expect(page.get_by_role("group", name=re.compile(r"^\d\. "))).to_have_count(5)
    answer(
        page, {1: "More than half the days", 2: "More than half the days", 3: "Nearly every day"}
    )
    save(page, "Save and come back later")
    success(page, "Answers saved. You can come back to them later.")
    expect(page.get_by_role("heading", name="PHQ-9 at baseline")).to_be_visible()
    expect(summary_value(page, "Status")).to_have_text("In progress")
    answers = page.locator(".govuk-summary-list").last
    expect(answers.locator("#item_3")).to_contain_text("Nearly every day (3)")
    expect(answers.locator("#item_4")).to_contain_text("Not answered")

    # She comes back: the page opens where she stopped, with what was saved.
    page.get_by_role("link", name="Continue answering").click()
    on_answer_page(page, "PHQ-9 at baseline", 1, 2)
    expect(page.get_by_text("3 of 9 items answered.")).to_be_visible()
    expect(item(page, 3).get_by_role("radio", name="Nearly every day")).to_be_checked()
    answer(page, {4: "More than half the days"})

    # An answer the page does not offer (a tampered page) is refused next to its item.
    first_radio = item(page, 5).get_by_role("radio").first
    first_radio.evaluate("radio => { radio.value = '7'; radio.checked = true; }")
    save(page)
    expect(page).to_have_title(re.compile(r"^Error: PHQ-9 at baseline, page 1 of 2"))
    error = "Item 5: choose one of the answers"
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name=error)).to_be_visible()
    expect(page.locator(".govuk-form-group--error", has=item(page, 5))).to_contain_text(error)
    expect(item(page, 4).get_by_role("radio", name="More than half the days")).to_be_checked()
    assert "4" not in Administration.objects.get(case=case).answers
    answer(page, {5: "More than half the days"})
    save(page)

    # Page 2: item 8 is skipped.
    on_answer_page(page, "PHQ-9 at baseline", 2, 2)
    expect(page.get_by_role("group", name=re.compile(r"^\d\. "))).to_have_count(4)
    answer(page, {6: "More than half the days", 7: "More than half the days", 9: "Several days"})
    save(page)

    # Checking the answers: the blank item is refused, by its row and in the summary.
    complete(page)
    expect(page).to_have_title(re.compile(r"^Error: PHQ-9 at baseline: check and complete"))
    blank = "Item 8 is not answered."
    expect(page.locator(".govuk-error-summary").get_by_role("link", name=blank)).to_be_visible()
    expect(page.locator("#item_8")).to_contain_text(blank)
    expect(
        page.get_by_label("The parent chose not to answer the items left blank")
    ).to_be_visible()
    assert Administration.objects.get(case=case).status == AdministrationStatus.IN_PROGRESS
    page.locator("#item_8").get_by_role("link", name=re.compile("^Change")).click()
    on_answer_page(page, "PHQ-9 at baseline", 2, 2)
    answer(page, {8: "More than half the days"})
    save(page)
    complete(page)

    # Scored and locked, with the warning on screen: item 9 is above 0.
    success(page, "PHQ-9 completed and scored.")
    banner = risk_banner(page)
    expect(banner).to_contain_text("A risk was found in these answers")
    expect(banner).to_contain_text(RISK)
    expect(banner).to_contain_text("The allocated practitioner and the area's centre managers")
    expect(summary_value(page, "Status")).to_have_text("Completed")
    expect(score_row(page, "Depression severity").locator("td")).to_have_text(
        ["18", "Moderately severe", ""]
    )
    expect(page.get_by_role("link", name="Correct these answers")).to_be_visible()
    phq9_baseline_url = page.url
    page.context.clear_cookies()

    # The centre manager sees the alert on the dashboard and follows it to the questionnaire.
    page.set_viewport_size(DESKTOP)
    sign_in(page.context, bob, live_server)
    page.goto(f"{live_server.url}/dashboard/")
    alerts = page.get_by_role("region", name="Alerts")
    alert = alerts.locator("li", has_text=f"Risk on a questionnaire: {RISK}")
    expect(alert).to_have_count(1)
    alert.get_by_role("link", name=f"Family {pseudonym}").click()
    expect(page).to_have_url(phq9_baseline_url)
    expect(page.get_by_role("heading", name="PHQ-9 at baseline")).to_be_visible()
    expect(risk_banner(page)).to_contain_text(RISK)
    page.context.clear_cookies()

    # Alice enters the child's SDQ scores, from the baseline's "Start" link.
    page.set_viewport_size(TABLET)
    sign_in(page.context, alice, live_server)
    page.goto(f"{url}questionnaires/")
    expect(status_of(time_point_table(page, "Baseline"), "SDQ")).to_have_text("Due")
    page.get_by_role("link", name=f"Start SDQ about {CHILD}").click()
    expect(page.get_by_role("heading", name="Start a questionnaire")).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile(r"^SDQ"))).to_be_checked()
    expect(page.get_by_role("radio", name="Baseline")).to_be_checked()
    expect(page.get_by_role("radio", name=CHILD)).to_be_checked()
    page.get_by_role("button", name="Start").click()
    success(page, "SDQ started.")
    expect(page.get_by_role("heading", name="SDQ at baseline: enter the scores")).to_be_visible()
    expect(page.get_by_text(f"Case, family {pseudonym}, about {CHILD}")).to_be_visible()
    scores = {
        "Emotional symptoms": "4",
        "Conduct problems": "12",
        "Hyperactivity/inattention": "7",
        "Peer relationship problems": "3",
        "Prosocial behaviour": "6",
    }
    for label, value in scores.items():
        page.get_by_label(label, exact=True).fill(value)
    save(page)
    expect(page).to_have_title(re.compile(r"^Error: SDQ at baseline: enter the scores"))
    out_of_range = "Conduct problems must be from 0 to 10."
    expect(
        page.locator(".govuk-error-summary").get_by_role("link", name=out_of_range)
    ).to_be_visible()
    conduct = page.get_by_label("Conduct problems", exact=True)
    expect(page.locator(".govuk-form-group--error", has=conduct)).to_contain_text(out_of_range)
    expect(conduct).to_have_value("12")
    expect(page.get_by_label("Emotional symptoms", exact=True)).to_have_value("4")
    assert Administration.objects.get(instrument_code="sdq").entered == {}
    page.locator(".govuk-error-summary").get_by_role("link", name=out_of_range).click()
    expect(conduct).to_be_focused()
    conduct.fill("5")
    save(page)
    complete(page)
    success(page, "SDQ completed and scored.")
    expect(summary_value(page, "About")).to_contain_text(CHILD)
    expect(score_row(page, "Total difficulties").locator("td")).to_have_text(
        ["19", "Abnormal (4-17 form)", ""]
    )
    expect(risk_banner(page)).to_have_count(0)
    page.context.clear_cookies()

    # 60 days on: the end time point is due.
    with time_machine.travel(timezone.now() + timedelta(days=BEFORE_END), tick=True):
        end_on = timezone.localdate()
        sign_in(page.context, alice, live_server)
        page.goto(f"{url}questionnaires/")
        end = time_point_table(page, "End")
        for name in ("SDQ", "Parenting Scale", "PCRI", "DASS-21"):
            expect(status_of(end, name)).to_have_text("Due")
        expect(status_of(time_point_table(page, "Baseline"), "SDQ")).to_have_text("Completed")
        expect(page.get_by_text("Now: 4 due, 3 overdue, 0 missed.")).to_be_visible()

        # The PHQ-9 at end, much lower.
        start_another(page, "PHQ-9", "End")
        on_answer_page(page, "PHQ-9 at end", 1, 2)
        answer(page, dict.fromkeys((1, 2, 3, 4), "Several days") | {5: "Not at all"})
        save(page)
        on_answer_page(page, "PHQ-9 at end", 2, 2)
        answer(page, {6: "Several days", 7: "Not at all", 8: "Not at all", 9: "Not at all"})
        save(page)
        complete(page)
        success(page, "PHQ-9 completed and scored.")
        expect(risk_banner(page)).to_have_count(0)
        expect(score_row(page, "Depression severity").locator("td")).to_have_text(
            ["5", "Mild", ""]
        )

        # The results: both scores and bands, the chart, reliable change with its numbers.
        page.set_viewport_size(DESKTOP)
        page.get_by_role("link", name="Back to the questionnaires").click()
        page.get_by_role("link", name="Results and change over time").click()
        expect(page.get_by_role("heading", name="Questionnaire results")).to_be_visible()
        expect(page.get_by_role("heading", name="PHQ-9", exact=True)).to_be_visible()
        rows = phq9_scores(page).locator("tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text("Baseline")
        expect(rows.nth(0)).to_contain_text(long_date(baseline_on))
        expect(rows.nth(0).locator("td").nth(1)).to_have_text("18")
        expect(rows.nth(0).locator("td").nth(2)).to_have_text("Moderately severe")
        expect(rows.nth(1).locator("td").nth(0)).to_have_text(long_date(end_on))
        expect(rows.nth(1).locator("td").nth(1)).to_have_text("5")
        expect(rows.nth(1).locator("td").nth(2)).to_have_text("Mild")
        chart = page.get_by_role(
            "img", name=re.compile(r"^PHQ-9, depression severity: score at each time point")
        )
        expect(chart).to_be_visible()
        section = page.locator("section", has=page.get_by_role("heading", name="PHQ-9"))
        for key, value in (
            ("Standard deviation (SD)", "6.2"),
            ("Reliability (r)", "0.89"),
            ("SEM = SD × √(1 − r)", "2.06"),
            ("Sdiff = √2 × SEM", "2.91"),
            ("Minimum reliable change = 1.96 × Sdiff", "5.70"),
            ("Clinical cut-off", "10 or more is in the clinical range"),
        ):
            expect(summary_value(section, key)).to_contain_text(value)
        change = phq9_change(page).locator("tbody tr")
        expect(change).to_have_count(1)
        expect(change.locator("th, td")).to_have_text(
            [
                "End",
                "18 to 5",
                "-13",
                "-4.47",
                "Reliable improvement",
                re.compile(r"^Yes: recovered"),
            ]
        )

        # A correction of the baseline: items 1 and 2 were "nearly every day".
        rows.nth(0).get_by_role("link", name="View PHQ-9 at baseline").click()
        expect(page).to_have_url(phq9_baseline_url)
        page.get_by_role("link", name="Correct these answers").click()
        expect(page.get_by_role("heading", name="Correct PHQ-9 at baseline")).to_be_visible()
        expect(item(page, 1).get_by_role("radio", name="More than half the days")).to_be_checked()
        answer(page, {1: "Nearly every day", 2: "Nearly every day"})
        page.get_by_role("button", name="Save the correction").click()
        expect(page).to_have_title(re.compile(r"^Error: Correct PHQ-9 at baseline"))
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Say why the answers are being corrected"
        )
        expect(item(page, 1).get_by_role("radio", name="Nearly every day")).to_be_checked()
        reason = "Items 1 and 2 were entered as 'More than half the days'; the parent said 'Nearly every day'."
        page.get_by_label("Why are the answers being corrected?").fill(reason)
        page.get_by_role("button", name="Save the correction").click()
        success(page, "Correction saved as version 2.")
        expect(summary_value(page, "Version")).to_contain_text("2")
        expect(summary_value(page, "Version")).to_contain_text(f"Corrected because: {reason}")
        expect(score_row(page, "Depression severity").locator("td")).to_have_text(
            ["20", "Severe", ""]
        )
        versions = page.locator("table", has=page.get_by_role("columnheader", name="Version"))
        expect(versions.locator("tbody tr")).to_have_count(2)
        expect(versions.locator("tbody tr").nth(0)).to_contain_text("Corrected")
        expect(versions.locator("tbody tr").nth(1)).to_contain_text("2 (this one)")

        # The results use version 2.
        page.goto(f"{url}questionnaires/results/")
        rows = phq9_scores(page).locator("tbody tr")
        expect(rows.nth(0).locator("td").nth(1)).to_have_text("20")
        expect(rows.nth(0).locator("td").nth(2)).to_have_text("Severe")
        expect(phq9_change(page).locator("tbody td")).to_have_text(
            ["20 to 5", "-15", "-5.16", "Reliable improvement", re.compile(r"^Yes: recovered")]
        )

        # What the pages saved.
        v1, v2 = Administration.objects.filter(
            case=case, instrument_code="phq9", time_point="baseline"
        ).order_by("number")
        assert (v1.status, v2.status) == (AdministrationStatus.SUPERSEDED, "completed")
        assert v2.supersedes == v1 and v2.correction_reason == reason
        assert v2.answers == {**v1.answers, "1": 3, "2": 3}
        assert v2.completed_on == baseline_on
        end_phq9 = Administration.objects.get(case=case, instrument_code="phq9", time_point="end")
        assert end_phq9.completed_on == end_on

    # The audit trail: an event for each step (never an answer or a score in it).
    counts = {
        Action.QUESTIONNAIRE_STARTED: 3,  # PHQ-9 at baseline, SDQ, PHQ-9 at end
        Action.QUESTIONNAIRE_SAVED: 7,  # baseline 4 (later, page 1, page 2, item 8), SDQ 1, end 2
        Action.QUESTIONNAIRE_COMPLETED: 3,
        Action.QUESTIONNAIRE_CORRECTED: 1,
        Action.QUESTIONNAIRE_RISK_FOUND: 2,  # version 1, and version 2 still has item 9 at 1
        Action.ALERT_RAISED: 1,  # version 2 keeps the risk version 1 alerted for: no second alert
        Action.QUESTIONNAIRE_RESULTS_VIEWED: 2,
    }
    for action, count in counts.items():
        events = AuditEvent.objects.filter(action=action)
        assert events.count() == count, action
        assert {e.family_public_id for e in events} == {case.family.public_id}, action
    assert set(
        AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_SAVED).values_list(
            "actor", flat=True
        )
    ) == {alice.pk}
    viewed = AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_VIEWED)
    assert viewed.filter(actor=bob).count() == 1  # the questionnaire, from the alert
    assert {"time_points", "answer", "scores", "complete", "detail", "correct"} <= {
        e.data["page"] for e in viewed.filter(actor=alice)
    }
    assert not AuditEvent.objects.filter(data__has_key="answers").exists()
    alerts_raised = Alert.objects.filter(case=case, kind=AlertKind.QUESTIONNAIRE_RISK)
    assert alerts_raised.count() == 1
    assert broken == []
