"""A Sheffield case allocated to alice for Pathways Triple P, a VIG one; time frozen at NOW."""

import pytest

from ipip.accounts.models import User
from ipip.cases.models import Approach, Case
from ipip.core.testing import builders
from ipip.core.testing.clock import frozen_at
from ipip.ptp.tests.helpers import NOW

frozen = frozen_at(NOW)


@pytest.fixture
def accepted_case(rita: User, bob: User) -> Case:
    return builders.accepted_case(rita, bob)


@pytest.fixture
def case(rita: User, bob: User, alice: User) -> Case:
    """Allocated to alice for Pathways Triple P."""
    return builders.allocated_case(rita, bob, alice, approach=Approach.PTP)


@pytest.fixture
def vig_case(rita: User, bob: User, alice: User) -> Case:
    return builders.allocated_case(rita, bob, alice, approach=Approach.VIG)


@pytest.fixture
def other_case(rita: User, bob: User, alice: User) -> Case:
    """A second Sheffield case allocated to alice for Pathways Triple P."""
    return builders.allocated_case(rita, bob, alice, approach=Approach.PTP)
