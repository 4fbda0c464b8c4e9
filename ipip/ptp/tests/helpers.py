"""Helpers for PTP tests: a session's input, recording one, setting a goal.

Time is frozen at NOW (20 March 2026, see conftest) so "not in the future" is fixed.
"""

from dataclasses import replace
from datetime import UTC, date, datetime

from ipip.accounts.models import User
from ipip.cases.models import Case
from ipip.goals.actions import Rating, do_set_goal
from ipip.goals.models import Goal
from ipip.ptp.actions import SessionInput, do_record_session
from ipip.ptp.models import ContentLevel, HomeworkReview, PtpSession

NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)
TODAY = date(2026, 3, 20)


def session_input(**overrides: object) -> SessionInput:
    base = SessionInput(
        held_on=date(2026, 3, 16),
        minutes=75,
        content_level=ContentLevel.LEVEL_5,
        modules=["attribution", "anger"],
        homework_review=HomeworkReview.NONE_SET,
        homework_set="Notice two calm moments each day",
        note="Went well",
    )
    return replace(base, **overrides)  # type: ignore[arg-type]  # test convenience


def record(
    case: Case, user: User, *, ratings: dict[Goal, Rating] | None = None, **overrides: object
) -> PtpSession:
    return do_record_session(
        case, session_input(**overrides), ratings=ratings or {}, acting_user=user
    )


def set_goal(
    case: Case, user: User, text: str = "Bedtime without shouting", *, on: date = date(2026, 3, 13)
) -> Goal:
    return do_set_goal(case, text=text, set_on=on, rating=Rating(now=3, hoped=8), acting_user=user)
