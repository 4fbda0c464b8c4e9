"""WCAG 2.2 AA checks of the delivery pages (issue 3), with axe-core in Chromium.

The same two axe runs per page, with the same rules and the same single exception (GOV.UK's
back link outside the landmarks), as ipip/core/tests/test_accessibility_browser.py: its
`axe_violations` is used here. Each page is opened by the persona who uses it, with data on
it made through the actions: a VIG case with a completed cycle (filming, clip, shared review,
goal ratings) and one in progress, a safeguarding concern escalated and awaiting its outcome;
a Pathways Triple P case with its plan and a session; a case waiting for allocation. Both
allocated cases are backdated so that the fidelity rules flag them, and the practitioner is
over capacity. Some forms are also checked as they show errors. As in the journeys, a
console error (a Content-Security-Policy refusal), a missing asset or a server error fails
the page.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django import DjangoDbBlocker
from pytest_django.live_server_helper import LiveServer

from ipip.accounts.models import Area, Role, User
from ipip.allocation.actions import do_set_capacity
from ipip.cases import actions as case_actions
from ipip.cases.models import Approach, Case
from ipip.consent.actions import do_record_consent
from ipip.consent.models import ConsentDecision, Purpose
from ipip.core.testing.personas import make_user
from ipip.core.tests.test_accessibility_browser import axe_violations
from ipip.goals.actions import Rating, do_set_goal
from ipip.goals.models import Goal
from ipip.ptp.actions import SessionInput, do_record_session, do_set_plan
from ipip.ptp.models import ContentLevel, HomeworkReview, PtpSession
from ipip.ptp.modules import MODULE_CODES
from ipip.referrals.tests.test_journey_browser import load_service_areas, sign_in
from ipip.safeguarding.actions import do_escalate_concern, do_raise_concern
from ipip.safeguarding.models import Agency, Concern, Escalation
from ipip.vig.actions import (
    do_add_clip,
    do_record_filming,
    do_record_review,
    do_start_cycle,
)
from ipip.vig.models import Filming, VigCycle
from ipip.vig.tests.test_journey_browser import accepted_sheffield_case, days_ago, watch_page
from ipip.visits.actions import do_schedule_visit


@dataclass(frozen=True)
class World:
    """The people and records the pages show."""

    bob: User  # centre manager, Sheffield
    alice: User  # practitioner, Sheffield: holds both allocated cases, over capacity
    lena: User  # national lead
    sheffield: Area
    vig: Case  # allocated 40 days ago; flagged: no visit yet
    vig_goal: Goal
    cycle_done: VigCycle  # cycle 1: filming, one clip, shared review
    cycle_open: VigCycle  # cycle 2: filmed, no clip or review yet
    filming_open: Filming
    concern: Concern  # on the VIG case, escalated
    escalation: Escalation  # awaiting its outcome
    ptp: Case  # allocated 70 days ago; flagged: under dose, modules, no visit yet
    ptp_goal: Goal
    session: PtpSession
    waiting: Case  # accepted, waiting for allocation


@pytest.fixture(scope="module")
def service_areas(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The migrations' areas, before these tests and again after their flush removed them
    (as the fixture of the same name in ipip/referrals/tests/test_journey_browser explains)."""
    with django_db_blocker.unblock():
        load_service_areas()
    yield
    with django_db_blocker.unblock():
        load_service_areas()


def _allocated(
    rita: User, bob: User, alice: User, approach: Approach, days: int, child: str, older: int
) -> Case:
    case = case_actions.do_allocate_case(
        accepted_sheffield_case(rita, bob, child_first_name=child, older_by_days=older),
        practitioner=alice,
        approach=approach,
        acting_user=bob,
    )
    # Allocated `days` ago, so the fidelity rules judge a case some weeks in.
    Case.objects.filter(pk=case.pk).update(allocated_at=timezone.now() - timedelta(days=days))
    case.refresh_from_db()
    return case


def _consent(case: Case, alice: User, *purposes: Purpose) -> None:
    for purpose in purposes:
        do_record_consent(
            case,
            purpose=purpose,
            decision=ConsentDecision.GIVEN,
            decided_on=days_ago(45),
            given_by=case.family.carers.get(),
            note="",
            acting_user=alice,
        )


def _vig_records(case: Case, alice: User) -> tuple[Goal, VigCycle, VigCycle, Filming]:
    _consent(case, alice, Purpose.SERVICE, Purpose.FILMING, Purpose.CLIP_RETENTION)
    goal = do_set_goal(
        case,
        text="Play with Kit for ten minutes every day",
        set_on=days_ago(38),
        rating=Rating(now=3, hoped=8),
        acting_user=alice,
    )
    carers = list(case.family.carers.all())
    children = list(case.family.children.all())
    done = do_start_cycle(
        case,
        helping_question="How can I help Kit settle at bedtime?",
        started_on=days_ago(35),
        goals=[goal],
        acting_user=alice,
    )
    filming = do_record_filming(
        done,
        filmed_on=days_ago(33),
        activity="Bedtime story",
        length_seconds=630,
        filmed_carers=carers,
        filmed_children=children,
        note="In the living room.",
        acting_user=alice,
    )
    do_add_clip(
        filming,
        start_seconds=Decimal(65),
        end_seconds=Decimal(100),
        principles=["attentive", "encouraging_initiatives"],
        elements=["looking_interested", "waiting"],
        note="Mum waits for Kit to choose the page.",
        acting_user=alice,
    )
    do_record_review(
        done,
        reviewed_on=days_ago(30),
        parent_reflections="I waited and he showed me.",
        celebrated="Kit's smile.",
        next_goals="Keep bedtime calm.",
        ratings={goal: Rating(now=5, hoped=8)},
        acting_user=alice,
    )
    open_cycle = do_start_cycle(
        case,
        helping_question="How can I keep bedtime calm?",
        started_on=days_ago(20),
        goals=[goal],
        acting_user=alice,
    )
    open_filming = do_record_filming(
        open_cycle,
        filmed_on=days_ago(18),
        activity="Reading together",
        length_seconds=480,
        filmed_carers=carers,
        filmed_children=children,
        note="",
        acting_user=alice,
    )
    do_schedule_visit(
        case,
        scheduled_at=timezone.now() + timedelta(days=3),
        planned_minutes=60,
        acting_user=alice,
    )
    return goal, done, open_cycle, open_filming


def _ptp_records(case: Case, alice: User) -> tuple[Goal, PtpSession]:
    _consent(case, alice, Purpose.SERVICE)
    goal = do_set_goal(
        case,
        text="Stay calm when Sam will not get dressed",
        set_on=days_ago(21),
        rating=Rating(now=2, hoped=8),
        acting_user=alice,
    )
    do_set_plan(
        case,
        planned_sessions=4,
        planned_modules=list(MODULE_CODES),
        starts_on=days_ago(20),
        note="Weekly, on Tuesdays.",
        acting_user=alice,
        expected_version=0,
    )
    session = do_record_session(
        case,
        SessionInput(
            held_on=days_ago(14),
            minutes=75,
            content_level=ContentLevel.LEVEL_5,
            modules=["attribution", "anger"],
            homework_review=HomeworkReview.NONE_SET,
            homework_set="Notice two calm moments each day",
            note="Went well.",
        ),
        ratings={goal: Rating(now=4, hoped=8)},
        acting_user=alice,
    )
    return goal, session


@pytest.fixture
def world(service_areas: None, transactional_db: None) -> World:
    load_service_areas()  # an earlier test's flush may have emptied the table
    rita = make_user(
        "rita@example.org", Role.REFERRER, agency_type="health_visitor", agency_name="HV team"
    )
    bob = make_user("bob@example.org", Role.CENTRE_MANAGER, "Sheffield")
    alice = make_user("alice@example.org", Role.PRACTITIONER, "Sheffield")
    lena = make_user("lena@example.org", Role.NATIONAL_LEAD)
    vig = _allocated(rita, bob, alice, Approach.VIG, days=40, child="Kit", older=0)
    vig_goal, cycle_done, cycle_open, filming_open = _vig_records(vig, alice)
    concern = do_raise_concern(
        vig,
        raised_on=days_ago(5),
        what_happened="A bruise on Kit's arm, seen at the visit.",
        children=list(vig.family.children.all()),
        acting_user=alice,
    )
    do_escalate_concern(
        concern,
        escalated_on=days_ago(4),
        reason="Unexplained injury.",
        agency=Agency.CHILDRENS_SOCIAL_CARE,
        agency_name="Sheffield MASH",
        acting_user=alice,
    )
    ptp = _allocated(rita, bob, alice, Approach.PTP, days=70, child="Sam", older=30)
    ptp_goal, session = _ptp_records(ptp, alice)
    waiting = accepted_sheffield_case(rita, bob, child_first_name="Robin", older_by_days=60)
    do_set_capacity(alice, max_open_cases=1, acting_user=bob)
    return World(
        bob=bob,
        alice=alice,
        lena=lena,
        sheffield=Area.objects.get(name="Sheffield"),
        vig=vig,
        vig_goal=vig_goal,
        cycle_done=cycle_done,
        cycle_open=cycle_open,
        filming_open=filming_open,
        concern=concern,
        escalation=concern.escalations.get(),
        ptp=ptp,
        ptp_goal=ptp_goal,
        session=session,
        waiting=waiting,
    )


# ---------------------------------------------------------------------------------------
# The pages: each visit opens one page as its persona and checks it is the page meant,
# with its data on it.
# ---------------------------------------------------------------------------------------

Visit = Callable[[Page, World, LiveServer], None]


def bob(w: World) -> User:
    return w.bob


def alice(w: World) -> User:
    return w.alice


def lena(w: World) -> User:
    return w.lena


def opened(who: Callable[[World], User], path: str, heading: str, *shows: str) -> Visit:
    """Open `path` ("{w}" is the World) as `who`; wait for `heading` and for each text of
    `shows` on the page."""

    def visit(page: Page, world: World, server: LiveServer) -> None:
        sign_in(page.context, who(world), server)
        page.goto(f"{server.url}{path.format(w=world)}")
        expect(page.get_by_role("heading", name=heading).first).to_be_visible()
        for text in shows:
            expect(page.get_by_text(text).filter(visible=True).first).to_be_visible()

    return visit


def with_errors(visit: Visit, button: str, title: str) -> Visit:
    """Open the form as `visit` does, send it empty, and wait for the errors."""

    def errors(page: Page, world: World, server: LiveServer) -> None:
        visit(page, world, server)
        page.get_by_role("button", name=button).click()
        expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        expect(page).to_have_title(re.compile(f"^Error: {title}"))

    return errors


VIG = "/cases/{w.vig.public_id}/"
PTP = "/cases/{w.ptp.public_id}/"
CYCLE_DONE = VIG + "vig/{w.cycle_done.public_id}/"
CYCLE_OPEN = VIG + "vig/{w.cycle_open.public_id}/"
CONCERN = VIG + "safeguarding/{w.concern.public_id}/"

vig_clip = opened(alice, VIG + "vig/filmings/{w.filming_open.public_id}/clip/", "Add a clip")
vig_review = opened(alice, CYCLE_OPEN + "review/", "Shared review for cycle 2", "Goal 1:")
ptp_record = opened(alice, PTP + "ptp/sessions/new/", "Record a session", "This will be session 2")
goal_new = opened(alice, VIG + "goals/new/", "Set a goal")
concern_raise = opened(alice, VIG + "safeguarding/raise/", "Raise a safeguarding concern")
concern_escalate = opened(alice, CONCERN + "escalate/", "Escalate the concern raised on")

SCENARIOS: dict[str, Visit] = {
    # the area dashboard, and what it links to
    "dashboard-manager": opened(
        bob, "/dashboard/", "Area dashboard", "A safeguarding concern was raised.", "Over capacity"
    ),
    "dashboard-lead": opened(lena, "/dashboard/", "Area dashboard", "All areas"),
    "dashboard-lead-area": opened(
        lena,
        "/dashboard/?area={w.sheffield.public_id}",
        "Area dashboard",
        "Local authority children's social care",
    ),
    "fidelity-rules": opened(alice, "/dashboard/fidelity-rules/", "Fidelity rules"),
    "case-list-flags": opened(bob, "/cases/", "Cases", "No visit yet", "Modules not covered"),
    "case-list-flag-filter": opened(bob, "/cases/?flag=under_dose", "Cases", "Under dose"),
    "case-detail-vig": opened(
        alice, VIG, "Fidelity", "VIG cycles completed", "Goals and ratings over time"
    ),
    "case-detail-ptp": opened(bob, PTP, "Fidelity", "PTP sessions", "Modules not covered"),
    "waiting-list": opened(bob, "/allocation/waiting-list/", "Waiting list", "1 case waiting"),
    "capacity": opened(bob, "/allocation/capacity/", "Caseloads and capacity", "Over capacity"),
    "capacity-edit": opened(bob, "/allocation/capacity/{w.alice.public_id}/", "Set capacity"),
    "trial-mode": opened(bob, "/allocation/trial/", "Trial mode"),
    "trial-mode-lead": opened(
        lena, "/allocation/trial/?area={w.sheffield.public_id}", "Trial mode"
    ),
    # VIG
    "vig-index": opened(alice, VIG + "vig/", "VIG cycles", "In progress"),
    "vig-cycle-complete": opened(alice, CYCLE_DONE, "Cycle 1", "Clips chosen", "Kit's smile."),
    "vig-cycle-in-progress": opened(alice, CYCLE_OPEN, "Cycle 2", "No clips chosen yet."),
    "vig-edit": opened(alice, CYCLE_OPEN + "edit/", "Change cycle 2"),
    "vig-filming": opened(alice, CYCLE_OPEN + "filming/", "Record a filming for cycle 2"),
    "vig-filming-errors": with_errors(
        opened(alice, CYCLE_OPEN + "filming/", "Record a filming for cycle 2"),
        "Save the filming",
        "Record a filming",
    ),
    "vig-clip": vig_clip,
    "vig-clip-errors": with_errors(vig_clip, "Add the clip", "Add a clip"),
    "vig-review": vig_review,
    "vig-review-errors": with_errors(vig_review, "Save the shared review", "Shared review"),
    # Pathways Triple P
    "ptp-index": opened(alice, PTP + "ptp/", "Pathways Triple P", "Planned, not yet covered"),
    "ptp-plan": opened(alice, PTP + "ptp/plan/", "Change the session plan"),
    "ptp-record": ptp_record,
    "ptp-record-errors": with_errors(ptp_record, "Save the session", "Record a session"),
    "ptp-session": opened(
        alice, PTP + "ptp/sessions/{w.session.public_id}/", "Session 1", "Anger management"
    ),
    "ptp-edit": opened(
        alice, PTP + "ptp/sessions/{w.session.public_id}/edit/", "Correct session 1"
    ),
    # goals
    "goals-index": opened(alice, VIG + "goals/", "Goals", "Goal 1: every rating"),
    "goals-new": goal_new,
    "goals-new-errors": with_errors(goal_new, "Save the goal", "Set a goal"),
    "goals-rate": opened(alice, VIG + "goals/rate/", "Rate the goals", "Goal 1, now"),
    "goal-status": opened(
        alice, VIG + "goals/{w.vig_goal.public_id}/status/", "Change a goal's status"
    ),
    # safeguarding and alerts
    "safeguarding-index": opened(alice, VIG + "safeguarding/", "Safeguarding", "1 awaiting"),
    "safeguarding-raise": concern_raise,
    "safeguarding-raise-errors": with_errors(
        concern_raise, "Record the concern", "Raise a safeguarding concern"
    ),
    "safeguarding-concern": opened(alice, CONCERN, "Concern raised on", "Awaiting outcome"),
    "safeguarding-escalate": concern_escalate,
    "safeguarding-escalate-errors": with_errors(
        concern_escalate, "Record the escalation", "Escalate a safeguarding concern"
    ),
    "safeguarding-outcome": opened(
        alice,
        VIG + "safeguarding/escalations/{w.escalation.public_id}/outcome/",
        "Outcome of the escalation on",
        "Sheffield MASH",
    ),
    "alerts": opened(bob, "/alerts/", "Alerts", "2 open alerts"),
    "alerts-practitioner": opened(alice, "/alerts/", "Alerts"),
}


@pytest.mark.browser
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_delivery_page_has_no_accessibility_violations(
    name: str, page: Page, live_server: LiveServer, world: World
) -> None:
    broken: list[str] = []
    watch_page(page, broken)  # a CSP refusal, a missing asset or a server error
    SCENARIOS[name](page, world, live_server)

    count, report = axe_violations(page)

    assert count == 0, f"{name} ({page.url}):\n{report}"
    assert broken == [], name
