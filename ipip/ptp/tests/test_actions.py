"""PTP actions: state after the call, the audit row, every refusal, and goal ratings saved
(or rolled back) with their session."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases import actions as case_actions
from ipip.cases.models import Case, ClosureReason
from ipip.core.errors import ConcurrentEdit, DomainError
from ipip.goals.actions import Rating
from ipip.goals.models import GoalRating, Occasion
from ipip.ptp.actions import do_correct_session, do_record_session, do_set_plan
from ipip.ptp.models import ContentLevel, HomeworkReview, PtpSession, SessionModule, SessionPlan
from ipip.ptp.tests.helpers import record, session_input, set_goal

pytestmark = pytest.mark.django_db


def last_event(action: Action | None = None) -> AuditEvent:
    qs = AuditEvent.objects.order_by("-id")
    if action is not None:
        qs = qs.filter(action=action)
    return qs.first()  # type: ignore[return-value]


def set_plan(case: Case, user: User, **overrides: object) -> SessionPlan:
    kwargs: dict[str, object] = {
        "planned_sessions": 5,
        "planned_modules": ["anger", "attribution"],
        "starts_on": date(2026, 3, 16),
        "note": "  Weekly, Monday mornings.  ",
        "acting_user": user,
    }
    kwargs.update(overrides)
    return do_set_plan(case, **kwargs)  # type: ignore[arg-type]  # test convenience


def close(case: Case, bob: User) -> None:
    case_actions.do_close_case(
        case, reason=ClosureReason.WITHDREW, note="The family withdrew.", acting_user=bob
    )


# -- the plan ----------------------------------------------------------------------------


def test_set_plan_creates_it_and_audits(case: Case, alice: User) -> None:
    plan = set_plan(case, alice, expected_version=0)
    plan.refresh_from_db()
    assert plan.case == case
    assert (plan.planned_sessions, plan.starts_on, plan.version) == (5, date(2026, 3, 16), 1)
    assert plan.planned_modules == ["attribution", "anger"]  # catalogue order
    assert plan.note == "Weekly, Monday mornings."
    assert plan.created_by == alice
    event = last_event()
    assert event.action == Action.PTP_PLAN_SET
    assert event.actor == alice
    assert event.family_public_id == case.family.public_id
    assert event.data == {
        "plan_id": str(plan.public_id),
        "planned_sessions": 5,
        "planned_modules": ["attribution", "anger"],
        "changed": False,
    }


def test_changing_the_plan_checks_the_version(case: Case, alice: User, bob: User) -> None:
    plan = set_plan(case, alice)
    changed = set_plan(case, bob, planned_sessions=8, planned_modules=["mood"], expected_version=1)
    assert changed.pk == plan.pk
    plan.refresh_from_db()
    assert (plan.planned_sessions, plan.planned_modules, plan.version) == (8, ["mood"], 2)
    assert plan.modified_by == bob
    assert last_event().data["changed"] is True
    with pytest.raises(ConcurrentEdit, match="Someone else changed this session plan"):
        set_plan(case, alice, planned_sessions=3, expected_version=1)
    with pytest.raises(ConcurrentEdit):
        set_plan(case, alice, expected_version=0)  # two people setting a first plan at once
    plan.refresh_from_db()
    assert plan.planned_sessions == 8
    assert SessionPlan.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"planned_sessions": 1}, "Number of planned sessions must be from 2 to 12"),
        ({"planned_sessions": 13}, "Number of planned sessions must be from 2 to 12"),
        ({"planned_modules": []}, "Select at least one module to plan"),
        ({"planned_modules": ["anger", "juggling"]}, "Choose only modules from the list"),
    ],
)
def test_set_plan_refusals(
    case: Case, alice: User, overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        set_plan(case, alice, **overrides)
    assert not SessionPlan.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.PTP_PLAN_SET).exists()


def test_plan_model_checks_its_modules(case: Case) -> None:
    plan = SessionPlan(
        case=case, planned_sessions=3, planned_modules="anger", starts_on=date(2026, 3, 16)
    )
    with pytest.raises(DomainError, match="at least one module"):
        plan.check_modules()
    plan.planned_modules = ["anger", "anger"]
    with pytest.raises(DomainError, match="each module only once"):
        plan.check_modules()


def test_plan_sessions_range_is_a_database_constraint(case: Case) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionPlan.objects.create(
            case=case, planned_sessions=20, planned_modules=["anger"], starts_on=date(2026, 3, 16)
        )


# -- recording a session -----------------------------------------------------------------


def test_record_session_saves_it_and_audits(case: Case, alice: User) -> None:
    session = record(case, alice, modules=["behaviour", "attribution"], note="  Calm.  ")
    session.refresh_from_db()
    assert (session.case, session.number, session.held_on) == (case, 1, date(2026, 3, 16))
    assert (session.minutes, session.content_level) == (75, ContentLevel.LEVEL_5)
    assert session.homework_review == HomeworkReview.NONE_SET
    assert session.homework_set == "Notice two calm moments each day"
    assert session.note == "Calm."
    assert session.created_by == alice
    assert sorted(session.modules_covered.values_list("module", flat=True)) == [
        "attribution",
        "behaviour",
    ]
    event = last_event()
    assert event.action == Action.PTP_SESSION_RECORDED
    assert event.actor == alice
    assert event.family_public_id == case.family.public_id
    assert event.subject_public_id == session.public_id
    assert event.data == {
        "session_id": str(session.public_id),
        "number": 1,
        "minutes": 75,
        "content_level": "level_5",
        "modules": ["attribution", "behaviour"],
        "homework_review": "none_set",
    }
    assert "Calm" not in str(event.data)


def test_sessions_are_numbered_per_case(
    case: Case, other_case: Case, alice: User, bob: User
) -> None:
    first = record(case, alice)
    second = record(case, bob, held_on=date(2026, 3, 16), homework_review=HomeworkReview.DONE)
    third = record(case, alice, held_on=date(2026, 3, 18))
    assert [first.number, second.number, third.number] == [1, 2, 3]
    assert record(other_case, alice).number == 1


@pytest.mark.parametrize("minutes", [60, 90])
def test_60_and_90_minutes_are_accepted(case: Case, alice: User, minutes: int) -> None:
    assert record(case, alice, minutes=minutes).minutes == minutes


@pytest.mark.parametrize("minutes", [59, 91])
def test_59_and_91_minutes_are_refused(case: Case, alice: User, minutes: int) -> None:
    with pytest.raises(DomainError, match="Length of the session must be from 60 to 90 minutes"):
        record(case, alice, minutes=minutes)
    assert not PtpSession.objects.exists()


def test_minutes_range_is_a_database_constraint(case: Case) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        PtpSession.objects.create(
            case=case,
            number=1,
            held_on=date(2026, 3, 16),
            minutes=45,
            content_level=ContentLevel.LEVEL_5,
            homework_review=HomeworkReview.NONE_SET,
        )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"modules": []}, "Select at least one module covered in the session"),
        ({"modules": ["anger", "juggling"]}, "Choose only modules from the list"),
        ({"held_on": date(2026, 3, 21)}, "Date of the session must be today or in the past"),
        ({"content_level": "level_4"}, "Select which level's content the session used"),
        ({"homework_review": "maybe"}, "Select how the homework set at the last session went"),
    ],
)
def test_record_refusals(
    case: Case, alice: User, overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        do_record_session(case, session_input(**overrides), ratings={}, acting_user=alice)
    assert not PtpSession.objects.exists()
    assert not SessionModule.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.PTP_SESSION_RECORDED).exists()


def test_a_session_cannot_be_dated_before_the_last_one(case: Case, alice: User) -> None:
    record(case, alice, held_on=date(2026, 3, 16))
    with pytest.raises(DomainError, match=r"after the date of session 1 \(16 March 2026\)"):
        record(case, alice, held_on=date(2026, 3, 15))
    assert PtpSession.objects.count() == 1


def test_a_case_of_another_approach_is_refused(vig_case: Case, alice: User) -> None:
    with pytest.raises(DomainError, match="approach is Video Interaction Guidance"):
        record(vig_case, alice)
    with pytest.raises(DomainError, match="not Pathways Triple P"):
        set_plan(vig_case, alice)
    assert not PtpSession.objects.exists()
    assert not SessionPlan.objects.exists()


def test_an_unallocated_case_is_refused(accepted_case: Case, bob: User) -> None:
    with pytest.raises(DomainError, match="Allocate the case"):
        record(accepted_case, bob)
    assert not PtpSession.objects.exists()


def test_an_active_case_is_accepted(case: Case, alice: User) -> None:
    case = case_actions.do_activate_case(case, acting_user=alice)
    assert record(case, alice).number == 1


def test_a_closed_case_is_refused(case: Case, alice: User, bob: User) -> None:
    session = record(case, alice)
    close(case, bob)
    with pytest.raises(DomainError, match="This case is closed"):
        record(case, alice, held_on=date(2026, 3, 18))
    with pytest.raises(DomainError, match="This case is closed"):
        set_plan(case, bob)
    with pytest.raises(DomainError, match="This case is closed"):
        do_correct_session(session, session_input(minutes=60), acting_user=bob)
    assert PtpSession.objects.count() == 1
    assert not SessionPlan.objects.exists()


@pytest.mark.parametrize("who", ["charlie", "dave", "erin", "adam", "rita"])
def test_people_who_may_not_work_on_the_case_are_refused(
    case: Case, alice: User, who: str, request: pytest.FixtureRequest
) -> None:
    session = record(case, alice)
    user: User = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        record(case, user, held_on=date(2026, 3, 18))
    with pytest.raises(PermissionDenied):
        set_plan(case, user)
    with pytest.raises(PermissionDenied):
        do_correct_session(session, session_input(), acting_user=user)
    assert PtpSession.objects.count() == 1


@pytest.mark.parametrize("who", ["alice", "bob", "lena"])
def test_practitioner_manager_and_lead_may_record(
    case: Case, who: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(who)
    assert record(case, user).created_by == user


# -- goal ratings with the session -------------------------------------------------------


def test_goal_ratings_are_saved_with_the_session(case: Case, alice: User) -> None:
    first = set_goal(case, alice, "Bedtime without shouting")
    second = set_goal(case, alice, "Play together every day")
    session = record(
        case, alice, ratings={first: Rating(now=4, hoped=8), second: Rating(now=2, hoped=7)}
    )
    made = GoalRating.objects.filter(occasion=Occasion.PTP_SESSION).order_by("goal_id")
    assert [(r.goal, r.now, r.hoped) for r in made] == [(first, 4, 8), (second, 2, 7)]
    assert {r.rated_on for r in made} == {session.held_on}
    assert {r.source_public_id for r in made} == {session.public_id}
    assert {r.recorded_by for r in made} == {alice}
    rated = last_event(Action.GOALS_RATED)
    assert rated.data["occasion"] == "ptp_session"
    assert rated.data["source_id"] == str(session.public_id)


def test_ratings_are_rolled_back_when_the_session_is_refused(case: Case, alice: User) -> None:
    goal = set_goal(case, alice)
    with pytest.raises(DomainError, match="Length of the session"):
        record(case, alice, minutes=59, ratings={goal: Rating(now=4, hoped=8)})
    assert not GoalRating.objects.filter(occasion=Occasion.PTP_SESSION).exists()
    assert not PtpSession.objects.exists()


def test_session_is_rolled_back_when_a_rating_is_refused(case: Case, alice: User) -> None:
    goal = set_goal(case, alice, on=date(2026, 3, 17))  # set after the session's date
    with pytest.raises(DomainError, match="cannot be rated before the day it was set"):
        record(case, alice, held_on=date(2026, 3, 16), ratings={goal: Rating(now=4, hoped=8)})
    assert not PtpSession.objects.exists()
    assert not SessionModule.objects.exists()
    assert not GoalRating.objects.filter(occasion=Occasion.PTP_SESSION).exists()
    assert not AuditEvent.objects.filter(action=Action.PTP_SESSION_RECORDED).exists()


def test_a_goal_of_another_case_is_refused_with_the_session(
    case: Case, vig_case: Case, alice: User
) -> None:
    other_goal = set_goal(vig_case, alice)
    with pytest.raises(DomainError, match="another case"):
        do_record_session(
            case, session_input(), ratings={other_goal: Rating(now=1, hoped=2)}, acting_user=alice
        )
    assert not PtpSession.objects.exists()


# -- correcting a session ----------------------------------------------------------------


def test_correct_session_changes_it_and_audits(case: Case, alice: User, bob: User) -> None:
    session = record(case, alice, modules=["attribution", "anger"])
    corrected = do_correct_session(
        session,
        session_input(
            held_on=date(2026, 3, 17),
            minutes=90,
            content_level=ContentLevel.LEVEL_3,
            modules=["anger", "stress"],
            homework_review=HomeworkReview.PARTLY_DONE,
            homework_review_note="  Some days.  ",
            homework_set="",
            note="Corrected note",
        ),
        acting_user=bob,
        expected_version=1,
    )
    corrected.refresh_from_db()
    assert (corrected.number, corrected.held_on, corrected.minutes) == (1, date(2026, 3, 17), 90)
    assert corrected.content_level == ContentLevel.LEVEL_3
    assert corrected.homework_review == HomeworkReview.PARTLY_DONE
    assert corrected.homework_review_note == "Some days."
    assert (corrected.homework_set, corrected.note) == ("", "Corrected note")
    assert (corrected.version, corrected.modified_by) == (2, bob)
    assert sorted(corrected.modules_covered.values_list("module", flat=True)) == [
        "anger",
        "stress",
    ]
    event = last_event()
    assert event.action == Action.PTP_SESSION_RECORDED
    assert event.actor == bob
    assert event.data["corrected"] is True
    assert event.data["modules"] == ["anger", "stress"]
    assert event.data["number"] == 1


def test_correct_session_checks_the_version(case: Case, alice: User) -> None:
    session = record(case, alice)
    do_correct_session(session, session_input(minutes=80), acting_user=alice, expected_version=1)
    with pytest.raises(ConcurrentEdit, match="Someone else changed this session"):
        do_correct_session(
            session, session_input(minutes=60), acting_user=alice, expected_version=1
        )
    session.refresh_from_db()
    assert session.minutes == 80


def test_correct_session_keeps_dates_in_order(case: Case, alice: User) -> None:
    record(case, alice, held_on=date(2026, 3, 10))
    middle = record(case, alice, held_on=date(2026, 3, 12))
    record(case, alice, held_on=date(2026, 3, 14))
    for bad, message in (
        (date(2026, 3, 9), r"after the date of session 1 \(10 March 2026\)"),
        (date(2026, 3, 15), r"before the date of session 3 \(14 March 2026\)"),
    ):
        with pytest.raises(DomainError, match=message):
            do_correct_session(middle, session_input(held_on=bad), acting_user=alice)
    ok = do_correct_session(middle, session_input(held_on=date(2026, 3, 14)), acting_user=alice)
    assert ok.held_on == date(2026, 3, 14)


@pytest.mark.parametrize(("minutes", "modules"), [(59, ["anger"]), (91, ["anger"]), (75, [])])
def test_correct_session_refusals_change_nothing(
    case: Case, alice: User, minutes: int, modules: list[str]
) -> None:
    session = record(case, alice, modules=["attribution"])
    with pytest.raises(DomainError):
        do_correct_session(
            session, session_input(minutes=minutes, modules=modules), acting_user=alice
        )
    session.refresh_from_db()
    assert (session.minutes, session.version) == (75, 1)
    assert list(session.modules_covered.values_list("module", flat=True)) == ["attribution"]


def test_correcting_a_session_keeps_its_goal_ratings(case: Case, alice: User) -> None:
    goal = set_goal(case, alice)
    session = record(case, alice, ratings={goal: Rating(now=4, hoped=8)})
    do_correct_session(session, session_input(minutes=60), acting_user=alice)
    rating = GoalRating.objects.get(source_public_id=session.public_id)
    assert (rating.now, rating.hoped) == (4, 8)
