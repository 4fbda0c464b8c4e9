"""A Sheffield case allocated to alice for Pathways Triple P, a VIG one; time frozen at NOW."""

from collections.abc import Iterator

import pytest
import time_machine

from ipip.accounts.models import User
from ipip.cases import actions as case_actions
from ipip.cases.models import Approach, Case
from ipip.core.testing.builders import referral_input
from ipip.ptp.tests.helpers import NOW
from ipip.referrals import actions as referral_actions


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _accepted(rita: User, bob: User) -> Case:
    referral = referral_actions.do_receive_referral(referral_input(), acting_user=rita)
    return referral_actions.do_accept_referral(referral, acting_user=bob)


@pytest.fixture
def accepted_case(rita: User, bob: User) -> Case:
    return _accepted(rita, bob)


@pytest.fixture
def case(rita: User, bob: User, alice: User) -> Case:
    """Allocated to alice for Pathways Triple P."""
    return case_actions.do_allocate_case(
        _accepted(rita, bob), practitioner=alice, approach=Approach.PTP, acting_user=bob
    )


@pytest.fixture
def vig_case(rita: User, bob: User, alice: User) -> Case:
    return case_actions.do_allocate_case(
        _accepted(rita, bob), practitioner=alice, approach=Approach.VIG, acting_user=bob
    )


@pytest.fixture
def other_case(rita: User, bob: User, alice: User) -> Case:
    """A second Sheffield case allocated to alice for Pathways Triple P."""
    return case_actions.do_allocate_case(
        _accepted(rita, bob), practitioner=alice, approach=Approach.PTP, acting_user=bob
    )
