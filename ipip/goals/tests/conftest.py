"""A Sheffield case allocated to alice, another Sheffield case, and a helper to set a goal.

Time is frozen at NOW (12 March 2026) so the "today or in the past" date checks are fixed.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import time_machine

from ipip.accounts.models import User
from ipip.cases import actions as case_actions
from ipip.cases.models import Approach, Case, ClosureReason
from ipip.core.testing.builders import referral_input
from ipip.goals.actions import Rating, do_set_goal
from ipip.goals.models import Goal
from ipip.referrals import actions as referral_actions

NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 12)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(rita: User, bob: User, alice: User) -> Case:
    referral = referral_actions.do_receive_referral(referral_input(), acting_user=rita)
    accepted = referral_actions.do_accept_referral(referral, acting_user=bob)
    return case_actions.do_allocate_case(
        accepted, practitioner=alice, approach=Approach.VIG, acting_user=bob
    )


@pytest.fixture
def other_case(rita: User, bob: User) -> Case:
    referral = referral_actions.do_receive_referral(referral_input(), acting_user=rita)
    return referral_actions.do_accept_referral(referral, acting_user=bob)


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
