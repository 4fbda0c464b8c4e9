"""A Sheffield case allocated to alice for VIG, with consent to filming; time frozen at NOW."""

import pytest

from ipip.accounts.models import User
from ipip.cases.models import Approach, Case
from ipip.consent.models import Purpose
from ipip.core.testing import builders
from ipip.core.testing.clock import frozen_at
from ipip.vig.tests.helpers import NOW, consent

frozen = frozen_at(NOW)


@pytest.fixture
def accepted_case(rita: User, bob: User) -> Case:
    return builders.accepted_case(rita, bob)


@pytest.fixture
def bare_case(rita: User, bob: User, alice: User) -> Case:
    """Allocated to alice for VIG, with no consent recorded."""
    return builders.allocated_case(rita, bob, alice)


@pytest.fixture
def case(bare_case: Case, alice: User) -> Case:
    """Allocated to alice for VIG; the family consented to filming on CONSENT_ON."""
    consent(bare_case, Purpose.FILMING, alice)
    bare_case.refresh_from_db()
    return bare_case


@pytest.fixture
def ptp_case(rita: User, bob: User, alice: User) -> Case:
    return builders.allocated_case(rita, bob, alice, approach=Approach.PTP)


@pytest.fixture
def other_case(rita: User, bob: User, alice: User) -> Case:
    """A second Sheffield VIG case of alice's, of another family."""
    return builders.allocated_case(rita, bob, alice)
