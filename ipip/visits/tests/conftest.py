"""A Sheffield case allocated to alice, with its family's carer and child."""

import pytest

from ipip.accounts.models import User
from ipip.cases import actions as case_actions
from ipip.cases.models import Approach, Case
from ipip.core.testing import builders


@pytest.fixture
def accepted_case(rita: User, bob: User) -> Case:
    return builders.accepted_case(rita, bob)


@pytest.fixture
def case(accepted_case: Case, alice: User, bob: User) -> Case:
    return case_actions.do_allocate_case(
        accepted_case, practitioner=alice, approach=Approach.VIG, acting_user=bob
    )
