"""What the VIG actions refuse, and that a refusal saves nothing."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases import actions as case_actions
from ipip.cases.models import Case, ClosureReason
from ipip.consent.models import ConsentDecision, Purpose
from ipip.core.errors import DomainError
from ipip.goals.actions import Rating, do_change_goal_status
from ipip.goals.models import GoalRating, GoalStatus
from ipip.vig.actions import do_change_cycle, do_record_filming, do_remove_clip
from ipip.vig.models import Clip, Filming, SharedReview, VigCycle
from ipip.vig.tests.helpers import (
    FILMED_ON,
    REVIEWED_ON,
    TODAY,
    add_clip,
    consent,
    film,
    goal,
    review,
    start,
)

pytestmark = pytest.mark.django_db


def close(case: Case, user: User) -> Case:
    return case_actions.do_close_case(
        case, reason=ClosureReason.COMPLETED, note="Finished.", acting_user=user
    )


# -- the case: approach, status, who ---------------------------------------------------


def test_a_ptp_case_is_refused(ptp_case: Case, alice: User) -> None:
    with pytest.raises(DomainError, match="recorded only for VIG cases"):
        start(ptp_case, alice)
    assert not VigCycle.objects.exists()


def test_an_unallocated_case_is_refused(accepted_case: Case, bob: User) -> None:
    with pytest.raises(DomainError, match="Allocate the case for VIG"):
        start(accepted_case, bob)
    assert not VigCycle.objects.exists()


def test_an_active_case_is_allowed(case: Case, alice: User) -> None:
    case = case_actions.do_activate_case(case, acting_user=alice)
    assert start(case, alice).number == 1


def test_a_closed_case_refuses_every_record(case: Case, alice: User, bob: User) -> None:
    cycle = start(case, alice)
    filming = film(cycle, alice)
    close(case, bob)
    refusals: list[Callable[[], object]] = [
        lambda: start(case, alice, on=REVIEWED_ON),
        lambda: do_change_cycle(cycle, helping_question="New", goals=[], acting_user=alice),
        lambda: film(cycle, alice),
        lambda: add_clip(filming, alice),
        lambda: review(cycle, alice),
    ]
    for attempt in refusals:
        with pytest.raises(DomainError, match="This case is closed"):
            attempt()
    assert (VigCycle.objects.count(), Filming.objects.count()) == (1, 1)
    assert not Clip.objects.exists()
    assert not SharedReview.objects.exists()


def test_a_clip_may_still_be_removed_on_a_closed_case(case: Case, alice: User, bob: User) -> None:
    clip = add_clip(film(start(case, alice), alice), alice)
    close(case, bob)
    consent(case, Purpose.FILMING, bob, on=TODAY, decision=ConsentDecision.WITHDRAWN)
    do_remove_clip(clip, acting_user=bob)
    assert not Clip.objects.chosen().exists()
    assert AuditEvent.objects.get(action=Action.VIG_CLIP_REMOVED).data["consent_withdrawn"]


@pytest.mark.parametrize("who", ["charlie", "dave", "erin", "adam", "rita"])
def test_people_outside_the_case_are_refused(
    case: Case, alice: User, who: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        start(case, user)
    cycle = start(case, alice)
    clip = add_clip(film(cycle, alice), alice)
    with pytest.raises(PermissionDenied):
        film(cycle, user)
    with pytest.raises(PermissionDenied):
        do_remove_clip(clip, acting_user=user)
    assert Filming.objects.count() == 1
    assert Clip.objects.chosen().count() == 1


# -- cycles -------------------------------------------------------------------------------


def test_a_new_cycle_needs_the_previous_one_complete(case: Case, alice: User) -> None:
    first = start(case, alice)
    with pytest.raises(DomainError, match="Cycle 1 is not complete: record its shared review"):
        start(case, alice)
    film(first, alice)
    review(first, alice)
    with pytest.raises(DomainError, match="cannot start before the shared review of cycle 1"):
        start(case, alice, on=REVIEWED_ON - timedelta(days=1))
    assert VigCycle.objects.count() == 1
    assert start(case, alice, on=REVIEWED_ON).number == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"question": "   "}, "Enter the helping question."),
        ({"on": TODAY + timedelta(days=1)}, "date the cycle started must be today or in the past"),
    ],
)
def test_start_cycle_bad_input(
    case: Case, alice: User, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        start(case, alice, **kwargs)  # type: ignore[arg-type]  # test convenience
    assert not VigCycle.objects.exists()


def test_goals_must_be_the_cases_and_still_worked_on(
    case: Case, other_case: Case, alice: User
) -> None:
    other = goal(other_case, alice)
    with pytest.raises(DomainError, match="Choose only this case's goals"):
        start(case, alice, goals=(other,))
    done = goal(case, alice)
    do_change_goal_status(done, status=GoalStatus.ACHIEVED, acting_user=alice)
    done.refresh_from_db()
    with pytest.raises(DomainError, match="still working on"):
        start(case, alice, goals=(done,))
    assert not VigCycle.objects.exists()


def test_a_goal_already_chosen_may_stay_after_it_is_achieved(case: Case, alice: User) -> None:
    chosen = goal(case, alice)
    cycle = start(case, alice, goals=(chosen,))
    do_change_goal_status(chosen, status=GoalStatus.ACHIEVED, acting_user=alice)
    chosen.refresh_from_db()
    do_change_cycle(cycle, helping_question="Same", goals=[chosen], acting_user=alice)
    assert list(cycle.goals.all()) == [chosen]


# -- filming ------------------------------------------------------------------------------


def test_no_filming_record_without_filming_consent(bare_case: Case, alice: User) -> None:
    cycle = start(bare_case, alice)
    with pytest.raises(DomainError, match="Record the family's consent to filming first"):
        film(cycle, alice)
    assert not Filming.objects.exists()


def test_filming_consent_must_stand_on_the_day_of_filming(case: Case, alice: User) -> None:
    cycle = start(case, alice)
    consent(case, Purpose.FILMING, alice, on=FILMED_ON, decision=ConsentDecision.WITHDRAWN)
    with pytest.raises(DomainError, match="no consent to filming on 27 March 2026"):
        film(cycle, alice)
    film(cycle, alice, on=FILMED_ON - timedelta(days=1))  # consent stood the day before
    assert Filming.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"on": TODAY + timedelta(days=1)}, "date of filming must be today or in the past"),
        ({"on": date(2026, 3, 24)}, "cannot be before the cycle started"),
        ({"length": 0}, "length of the film must be from 0:01 to 120:00"),
        ({"length": 7201}, "length of the film must be from 0:01 to 120:00"),
        ({"activity": "  "}, "Enter the activity that was filmed"),
    ],
)
def test_filming_bad_input(
    case: Case, alice: User, kwargs: dict[str, object], message: str
) -> None:
    cycle = start(case, alice)
    with pytest.raises(DomainError, match=message):
        film(cycle, alice, **kwargs)  # type: ignore[arg-type]  # test convenience
    assert not Filming.objects.exists()


def test_filming_needs_a_carer_and_a_child_of_the_family(
    case: Case, other_case: Case, alice: User
) -> None:
    cycle = start(case, alice)
    family, other = case.family, other_case.family

    def attempt(carers: list[object], children: list[object]) -> None:
        do_record_filming(
            cycle,
            filmed_on=FILMED_ON,
            activity="play",
            length_seconds=600,
            filmed_carers=carers,  # type: ignore[arg-type]  # test convenience
            filmed_children=children,  # type: ignore[arg-type]  # test convenience
            note="",
            acting_user=alice,
        )

    with pytest.raises(DomainError, match="Select the parent or carer who was filmed"):
        attempt([], [family.children.get()])
    with pytest.raises(DomainError, match="Select the child who was filmed"):
        attempt([family.carers.get()], [])
    with pytest.raises(DomainError, match="Choose only people of this family"):
        attempt([other.carers.get()], [family.children.get()])
    assert not Filming.objects.exists()


def test_no_new_filming_once_the_cycle_is_complete(case: Case, alice: User) -> None:
    cycle = start(case, alice)
    film(cycle, alice)
    review(cycle, alice)
    with pytest.raises(DomainError, match="Cycle 1 is complete"):
        film(cycle, alice, on=REVIEWED_ON)
    assert Filming.objects.count() == 1


# -- clips --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start_s", "end_s", "message"),
    [
        ("100", "100", "end of the clip must be after its start"),
        ("100", "90", "end of the clip must be after its start"),
        ("-1", "10", "cannot be before the start of the film"),
        ("590", "600.5", "The clip must end within the film, which is 10:00 long"),
        ("0", "1000", "The clip must end within the film, which is 10:00 long"),
    ],
)
def test_clip_time_range_must_lie_within_the_film(
    case: Case, alice: User, start_s: str, end_s: str, message: str
) -> None:
    filming = film(start(case, alice), alice, length=600)
    with pytest.raises(DomainError, match=message):
        add_clip(filming, alice, start_s=start_s, end_s=end_s)
    assert not Clip.objects.exists()


def test_clip_element_must_be_under_a_chosen_principle(case: Case, alice: User) -> None:
    filming = film(start(case, alice), alice)
    with pytest.raises(DomainError, match="Elements were chosen under 'Guiding'"):
        add_clip(filming, alice, principles=("attentive",), elements=("scaffolding",))
    with pytest.raises(DomainError, match="Select at least one principle"):
        add_clip(filming, alice, principles=(), elements=())
    with pytest.raises(DomainError, match="Unknown principle or element"):
        add_clip(filming, alice, principles=("attentive",), elements=("staring",))
    assert not Clip.objects.exists()


def test_clips_need_filming_consent_today(case: Case, alice: User) -> None:
    filming = film(start(case, alice), alice)
    consent(case, Purpose.FILMING, alice, on=TODAY, decision=ConsentDecision.WITHDRAWN)
    with pytest.raises(DomainError, match="Record the family's consent to filming first"):
        add_clip(filming, alice)
    assert not Clip.objects.exists()


def test_no_clip_while_clip_keeping_consent_is_withdrawn(case: Case, alice: User) -> None:
    filming = film(start(case, alice), alice)
    consent(case, Purpose.CLIP_RETENTION, alice)
    add_clip(filming, alice)
    consent(case, Purpose.CLIP_RETENTION, alice, on=TODAY, decision=ConsentDecision.WITHDRAWN)
    with pytest.raises(DomainError, match="withdrawn consent to keeping clips"):
        add_clip(filming, alice, start_s="200", end_s="210")
    assert Clip.objects.count() == 1


def test_a_clip_is_removed_once(case: Case, alice: User) -> None:
    clip = add_clip(film(start(case, alice), alice), alice)
    do_remove_clip(clip, acting_user=alice)
    with pytest.raises(DomainError, match="already been removed"):
        do_remove_clip(clip, acting_user=alice)
    assert AuditEvent.objects.filter(action=Action.VIG_CLIP_REMOVED).count() == 1


# -- the shared review --------------------------------------------------------------------


def test_review_needs_a_filming(case: Case, alice: User) -> None:
    cycle = start(case, alice)
    with pytest.raises(DomainError, match="Record the filming of this cycle before"):
        review(cycle, alice)
    cycle.refresh_from_db()
    assert cycle.completed_on is None
    assert not SharedReview.objects.exists()


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (FILMED_ON - timedelta(days=1), "must be on or after the filming \\(27 March 2026\\)"),
        (TODAY + timedelta(days=1), "date of the shared review must be today or in the past"),
        (date(2026, 3, 1), "cannot be dated before the cycle started"),
    ],
)
def test_review_date_rules(case: Case, alice: User, on: date, message: str) -> None:
    cycle = start(case, alice)
    film(cycle, alice)
    with pytest.raises(DomainError, match=message):
        review(cycle, alice, on=on)
    cycle.refresh_from_db()
    assert cycle.completed_on is None
    assert not SharedReview.objects.exists()


def test_review_is_recorded_once(case: Case, alice: User) -> None:
    cycle = start(case, alice)
    film(cycle, alice)
    review(cycle, alice)
    with pytest.raises(DomainError, match="already been recorded"):
        review(cycle, alice, on=TODAY)
    assert SharedReview.objects.count() == 1


def test_a_refused_rating_saves_no_review(case: Case, alice: User) -> None:
    late = goal(case, alice, on=TODAY)  # set after the review date: cannot be rated then
    cycle = start(case, alice)
    film(cycle, alice)
    with pytest.raises(DomainError, match="cannot be rated before the day it was set"):
        review(cycle, alice, ratings={late: Rating(now=4, hoped=8)})
    cycle.refresh_from_db()
    assert cycle.completed_on is None
    assert not SharedReview.objects.exists()
    assert GoalRating.objects.count() == 1  # the rating made when the goal was set
