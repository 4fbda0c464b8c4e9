"""A Sheffield case allocated to alice, with one carer (the mother), and a consent helper."""

from datetime import date

import pytest

from ipip.accounts.models import User
from ipip.cases import actions as case_actions
from ipip.cases.models import Approach, Carer, Case
from ipip.consent.actions import do_record_consent
from ipip.consent.models import ConsentDecision, ConsentRecord, Purpose
from ipip.core.testing.builders import referral_input
from ipip.referrals import actions


@pytest.fixture
def case(rita: User, bob: User, alice: User) -> Case:
    referral = actions.do_receive_referral(referral_input(), acting_user=rita)
    case = actions.do_accept_referral(referral, acting_user=bob)
    return case_actions.do_allocate_case(
        case, practitioner=alice, approach=Approach.VIG, acting_user=bob
    )


@pytest.fixture
def carer(case: Case) -> Carer:
    return case.family.carers.get()


@pytest.fixture
def other_case(rita: User, bob: User) -> Case:
    referral = actions.do_receive_referral(referral_input(), acting_user=rita)
    return actions.do_accept_referral(referral, acting_user=bob)


def consent(
    case: Case,
    purpose: Purpose,
    decision: ConsentDecision = ConsentDecision.GIVEN,
    *,
    by: User,
    on: date = date(2026, 3, 1),
    carer: Carer | None = None,
) -> ConsentRecord:
    return do_record_consent(
        case,
        purpose=purpose,
        decision=decision,
        decided_on=on,
        given_by=carer or case.family.carers.get(),
        note="",
        acting_user=by,
    )
