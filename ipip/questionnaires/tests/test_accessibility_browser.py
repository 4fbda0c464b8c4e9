"""WCAG 2.2 AA checks of the questionnaire pages (issue 4), with axe-core in Chromium.

The same two axe runs per page, with the same rules and the same single exception (GOV.UK's
back link outside the landmarks), as ipip/core/tests/test_accessibility_browser.py: its
`axe_violations` is used here. Each page is opened by the persona who uses it, with data
made through the actions: a VIG case allocated to the practitioner, with a PHQ-9 at baseline
(item 9 above 0, so a risk banner; corrected, so two versions) and at end (much lower, so
reliable change), the child's SDQ at baseline (scores only, with its age form) and one in
progress at end, a GAD-7 part-answered and a DASS-21 not yet answered; and a second case with
nothing completed. The forms are also checked as they show their errors, and the answer
pages at a tablet's size. As in the journeys, a console error (a Content-Security-Policy
refusal), a missing asset or a server error fails the page.
"""

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django import DjangoDbBlocker
from pytest_django.live_server_helper import LiveServer

from ipip.accounts.models import Role, User
from ipip.cases.actions import do_allocate_case
from ipip.cases.models import Approach, Case, Child
from ipip.core.testing.personas import make_user
from ipip.core.tests.test_accessibility_browser import axe_violations
from ipip.questionnaires import actions
from ipip.questionnaires.models import Administration, TimePoint
from ipip.questionnaires.tests.test_journey_browser import TABLET, item
from ipip.questionnaires.tests.test_queries import ensure_default_schedule
from ipip.referrals.tests.test_journey_browser import load_service_areas, sign_in
from ipip.vig.tests.test_journey_browser import accepted_sheffield_case, watch_page

PHQ9_BASELINE = {1: 2, 2: 2, 3: 3, 4: 2, 5: 2, 6: 2, 7: 2, 8: 2, 9: 1}  # 18, item 9 at 1
PHQ9_END = {1: 1, 2: 1, 3: 1, 4: 1, 5: 0, 6: 1, 7: 0, 8: 0, 9: 0}  # 5
SDQ_BASELINE = {
    "emotional": "4",
    "conduct": "5",
    "hyperactivity": "7",
    "peer": "3",
    "prosocial": "6",
    "impact": "2",
}


@dataclass(frozen=True)
class World:
    """The people and records the pages show."""

    alice: User  # practitioner, Sheffield: both cases are hers
    bob: User  # centre manager, Sheffield
    lena: User  # national lead: the time points page
    case: Case  # allocated for VIG
    phq9_v1: Administration  # baseline, superseded by the correction
    phq9_v2: Administration  # baseline, corrected: item 9 above 0, a risk banner
    sdq: Administration  # baseline, completed (scores only)
    sdq_end: Administration  # end, in progress, nothing entered
    gad7: Administration  # baseline, in progress: items 1-3 answered
    dass21: Administration  # baseline, in progress: nothing answered
    empty: Case  # allocated, no questionnaire completed


@pytest.fixture(scope="module")
def migration_data(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The migrations' areas and time points, before these tests and again after their flush
    removed them (see the fixture of the same name in test_journey_browser)."""
    with django_db_blocker.unblock():
        load_service_areas()
        ensure_default_schedule()
    yield
    with django_db_blocker.unblock():
        load_service_areas()
        ensure_default_schedule()


def _completed(
    case: Case,
    code: str,
    point: TimePoint,
    alice: User,
    *,
    answers: Mapping[int, int | None] | None = None,
    entered: Mapping[str, str | None] | None = None,
    child: Child | None = None,
) -> Administration:
    started = actions.do_start_administration(
        case, instrument_code=code, time_point=point, child=child, acting_user=alice
    )
    return actions.do_complete_administration(
        started,
        completed_on=timezone.localdate(),
        answers=answers,
        entered=entered,
        expected_version=started.version,
        acting_user=alice,
    ).administration


@pytest.fixture
def world(migration_data: None, transactional_db: None) -> World:
    load_service_areas()  # an earlier test's flush may have emptied the tables
    ensure_default_schedule()
    rita = make_user(
        "rita@example.org", Role.REFERRER, agency_type="health_visitor", agency_name="HV team"
    )
    bob = make_user("bob@example.org", Role.CENTRE_MANAGER, "Sheffield")
    alice = make_user("alice@example.org", Role.PRACTITIONER, "Sheffield")
    lena = make_user("lena@example.org", Role.NATIONAL_LEAD)
    case = do_allocate_case(
        accepted_sheffield_case(rita, bob),
        practitioner=alice,
        approach=Approach.VIG,
        acting_user=bob,
    )
    child = case.family.children.get()
    phq9_v1 = _completed(case, "phq9", TimePoint.BASELINE, alice, answers=PHQ9_BASELINE)
    phq9_v2 = actions.do_correct_administration(
        phq9_v1,
        reason="Items 1 and 2 were 'Nearly every day'.",
        completed_on=timezone.localdate(),
        answers={1: 3, 2: 3},
        expected_version=phq9_v1.version,
        acting_user=alice,
    ).administration
    phq9_v1.refresh_from_db()
    _completed(case, "phq9", TimePoint.END, alice, answers=PHQ9_END)
    sdq = _completed(
        case, "sdq", TimePoint.BASELINE, alice, entered=dict(SDQ_BASELINE), child=child
    )
    sdq_end = actions.do_start_administration(
        case, instrument_code="sdq", time_point=TimePoint.END, child=child, acting_user=alice
    )
    gad7 = actions.do_start_administration(
        case, instrument_code="gad7", time_point=TimePoint.BASELINE, acting_user=alice
    )
    gad7 = actions.do_save_answers(
        gad7, answers={1: 1, 2: 2, 3: 0}, expected_version=gad7.version, acting_user=alice
    )
    dass21 = actions.do_start_administration(
        case, instrument_code="dass21", time_point=TimePoint.BASELINE, acting_user=alice
    )
    empty = do_allocate_case(
        accepted_sheffield_case(rita, bob, child_first_name="Sam", older_by_days=40),
        practitioner=alice,
        approach=Approach.PTP,
        acting_user=bob,
    )
    return World(
        alice=alice,
        bob=bob,
        lena=lena,
        case=case,
        phq9_v1=phq9_v1,
        phq9_v2=phq9_v2,
        sdq=sdq,
        sdq_end=sdq_end,
        gad7=gad7,
        dass21=dass21,
        empty=empty,
    )


# ---------------------------------------------------------------------------------------
# The pages: each visit opens one page as its persona and checks it is the page meant,
# with its data on it.
# ---------------------------------------------------------------------------------------

Visit = Callable[[Page, World, LiveServer], None]


def alice(w: World) -> User:
    return w.alice


def bob(w: World) -> User:
    return w.bob


def lena(w: World) -> User:
    return w.lena


def opened(
    who: Callable[[World], User], path: str, heading: str, *shows: str, tablet: bool = False
) -> Visit:
    """Open `path` ("{w}" is the World) as `who`, at a tablet's size if `tablet`; wait for
    `heading` and for each text of `shows` on the page."""

    def visit(page: Page, world: World, server: LiveServer) -> None:
        if tablet:
            page.set_viewport_size(TABLET)
        sign_in(page.context, who(world), server)
        page.goto(f"{server.url}{path.format(w=world)}")
        expect(page.get_by_role("heading", name=heading).first).to_be_visible()
        for text in shows:
            expect(page.get_by_text(text).filter(visible=True).first).to_be_visible()

    return visit


def with_errors(
    visit: Visit, button: str, title: str, *, fill: Callable[[Page], None] | None = None
) -> Visit:
    """Open the form as `visit` does, fill it with `fill` (or nothing), send it, and wait
    for the errors."""

    def errors(page: Page, world: World, server: LiveServer) -> None:
        visit(page, world, server)
        if fill is not None:
            fill(page)
        page.get_by_role("button", name=button).click()
        expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        expect(page).to_have_title(re.compile(f"^Error: {re.escape(title)}"))

    return errors


def tampered_answer(page: Page) -> None:
    """An answer the page does not offer, as a tampered page would send it."""
    item(page, 4).get_by_role("radio").first.evaluate(
        "radio => { radio.value = '9'; radio.checked = true; }"
    )


def sdq_out_of_range(page: Page) -> None:
    page.get_by_label("Conduct problems", exact=True).fill("12")
    page.get_by_label("Prosocial behaviour", exact=True).fill("six")


def blank_window(page: Page) -> None:
    page.get_by_label("Baseline is due this many days after allocation").fill("")


CASE = "/cases/{w.case.public_id}/questionnaires/"
PHQ9 = CASE + "{w.phq9_v2.public_id}/"
GAD7 = CASE + "{w.gad7.public_id}/"
SDQ_END = CASE + "{w.sdq_end.public_id}/"

start = opened(alice, CASE + "start/", "Start a questionnaire", "Which child is it about?")
answer = opened(
    alice, GAD7 + "answer/", "GAD-7 at baseline", "3 of 7 items answered.", tablet=True
)
scores = opened(alice, SDQ_END + "scores/", "SDQ at end: enter the scores", tablet=True)
check = opened(alice, GAD7 + "complete/", "Check the answers before completing", "Not answered")
correct = opened(alice, PHQ9 + "correct/", "Correct PHQ-9 at baseline")
settings_page = opened(lena, "/settings/questionnaires/", "Questionnaire time points")

SCENARIOS: dict[str, Visit] = {
    # the time points
    "overview": opened(alice, CASE, "Questionnaires", "Baseline", "Other questionnaires"),
    "overview-manager": opened(bob, CASE, "Questionnaires", "In progress"),
    "overview-lead": opened(lena, CASE, "Questionnaires", "How the time points work"),
    "overview-empty": opened(
        alice, "/cases/{w.empty.public_id}/questionnaires/", "Questionnaires", "Due"
    ),
    # starting one
    "start": start,
    "start-from-link": opened(
        alice,
        CASE + "start/?instrument=sdq&time_point=end",
        "Start a questionnaire",
        "Which child is it about?",
    ),
    "start-errors": with_errors(start, "Start", "Start a questionnaire"),
    # answering, on a tablet
    "answer": answer,
    "answer-first-page": opened(
        alice,
        CASE + "{w.dass21.public_id}/answer/",
        "DASS-21 at baseline",
        "Page 1 of 3",
        tablet=True,
    ),
    "answer-last-page": opened(
        alice,
        CASE + "{w.dass21.public_id}/answer/?page=3",
        "DASS-21 at baseline",
        "Page 3 of 3",
        tablet=True,
    ),
    "answer-errors": with_errors(
        answer, "Save and continue", "GAD-7 at baseline, page 1 of 1", fill=tampered_answer
    ),
    "scores": scores,
    "scores-errors": with_errors(
        scores, "Save and continue", "SDQ at end: enter the scores", fill=sdq_out_of_range
    ),
    # checking and completing
    "complete": check,
    "complete-errors": with_errors(
        check, "Complete and score", "GAD-7 at baseline: check and complete"
    ),
    # reading one
    "detail-risk": opened(
        alice, PHQ9, "PHQ-9 at baseline", "A risk was found in these answers", "Versions"
    ),
    "detail-risk-manager": opened(bob, PHQ9, "PHQ-9 at baseline", "PHQ-9 item 9 answered 1"),
    "detail-superseded": opened(
        alice, CASE + "{w.phq9_v1.public_id}/", "PHQ-9 at baseline", "This version was corrected."
    ),
    "detail-scores-only": opened(
        alice, CASE + "{w.sdq.public_id}/", "SDQ at baseline", "Scores entered", "4-17 form"
    ),
    "detail-in-progress": opened(alice, GAD7, "GAD-7 at baseline", "Continue answering"),
    # correcting one
    "correct": correct,
    "correct-errors": with_errors(correct, "Save the correction", "Correct PHQ-9 at baseline"),
    # the results
    "results": opened(
        alice,
        CASE + "results/",
        "Questionnaire results",
        "Reliable improvement",
        "Clinically significant change",
    ),
    "results-empty": opened(
        alice,
        "/cases/{w.empty.public_id}/questionnaires/results/",
        "Questionnaire results",
        "No questionnaires have been completed for this family yet.",
    ),
    # the service's time points
    "settings": settings_page,
    "settings-errors": with_errors(
        settings_page, "Save time points", "Questionnaire time points", fill=blank_window
    ),
}


@pytest.mark.browser
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_questionnaire_page_has_no_accessibility_violations(
    name: str, page: Page, live_server: LiveServer, world: World
) -> None:
    broken: list[str] = []
    watch_page(page, broken)  # a CSP refusal, a missing asset or a server error
    SCENARIOS[name](page, world, live_server)

    count, report = axe_violations(page)

    assert count == 0, f"{name} ({page.url}):\n{report}"
    assert broken == [], name


@pytest.mark.browser
def test_the_results_page_draws_a_chart_per_scale(
    page: Page, live_server: LiveServer, world: World
) -> None:
    """The charts axe checked are there: one image per scale, each named, with its table."""
    SCENARIOS["results"](page, world, live_server)
    charts = page.locator("svg[role='img']")
    # PHQ-9: depression severity; SDQ: four difficulties, total, prosocial and impact.
    expect(charts).to_have_count(8)
    expect(
        page.get_by_role("img", name=re.compile(r"^PHQ-9, depression severity: score at"))
    ).to_be_visible()
    expect(page.get_by_role("table", name=re.compile(r": scores$"))).to_have_count(8)
