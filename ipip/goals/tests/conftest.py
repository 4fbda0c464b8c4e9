"""A Sheffield case allocated to alice, another Sheffield case, and a helper to set a goal.

Time is frozen at NOW (12 March 2026) so the "today or in the past" date checks are fixed.
"""

from datetime import UTC, date, datetime

import pytest

from ipip.accounts.models import User
from ipip.cases import actions as case_actions
from ipip.cases.models import Case, ClosureReason
from ipip.core.testing import builders
from ipip.core.testing.clock import frozen_at
from ipip.goals.actions import Rating, do_set_goal
from ipip.goals.models import Goal

NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 12)


frozen = frozen_at(NOW)


@pytest.fixture
def case(rita: User, bob: User, alice: User) -> Case:
    return builders.allocated_case(rita, bob, alice)


@pytest.fixture
def other_case(rita: User, bob: User) -> Case:
    return builders.accepted_case(rita, bob)


def set_goal(
    case: Case,
    user: User,
    *,
    text: str = "Play with my son for ten minutes every day",
    on: date = date(2026, 2, 2),
    now: int = 3,
    hoped: int = 8,
) -> Goal:
    return do_set_goal(
        case, text=text, set_on=on, rating=Rating(now=now, hoped=hoped), acting_user=user
    )


def close(case: Case, by: User) -> Case:
    return case_actions.do_close_case(
        case, reason=ClosureReason.COMPLETED, note="Work finished", acting_user=by
    )
