"""A Sheffield case allocated to alice for VIG, with consent to filming; time frozen at NOW."""

from collections.abc import Iterator

import pytest
import time_machine

from ipip.accounts.models import User
from ipip.cases import actions as case_actions
from ipip.cases.models import Approach, Case
from ipip.consent.models import Purpose
from ipip.core.testing.builders import referral_input
from ipip.referrals import actions as referral_actions
from ipip.vig.tests.helpers import NOW, consent


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
def bare_case(rita: User, bob: User, alice: User) -> Case:
    """Allocated to alice for VIG, with no consent recorded."""
    return case_actions.do_allocate_case(
        _accepted(rita, bob), practitioner=alice, approach=Approach.VIG, acting_user=bob
    )


@pytest.fixture
def case(bare_case: Case, alice: User) -> Case:
    """Allocated to alice for VIG; the family consented to filming on CONSENT_ON."""
    consent(bare_case, Purpose.FILMING, alice)
    bare_case.refresh_from_db()
    return bare_case


@pytest.fixture
def ptp_case(rita: User, bob: User, alice: User) -> Case:
    return case_actions.do_allocate_case(
        _accepted(rita, bob), practitioner=alice, approach=Approach.PTP, acting_user=bob
    )


@pytest.fixture
def other_case(rita: User, bob: User, alice: User) -> Case:
    """A second Sheffield VIG case of alice's, of another family."""
    return case_actions.do_allocate_case(
        _accepted(rita, bob), practitioner=alice, approach=Approach.VIG, acting_user=bob
    )
