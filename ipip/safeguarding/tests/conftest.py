"""A Sheffield case allocated to alice (two children), a Hull case allocated to charlie,
and helpers to raise, escalate and settle concerns. The clock is frozen."""

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import time_machine

from ipip.accounts.models import User
from ipip.cases import actions as case_actions
from ipip.cases.models import Approach, Case, Child
from ipip.core.testing.builders import child_input, referral_input
from ipip.referrals import actions as referral_actions
from ipip.safeguarding import actions
from ipip.safeguarding.models import Agency, Concern, Escalation, EscalationOutcome

NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)
TODAY = date(2026, 3, 20)
WHAT = "Child said there was no food at home over the weekend."


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def allocated_case(
    area: str, manager: User, practitioner: User, referrer: User, *, children: int = 1
) -> Case:
    others = tuple(child_input(born=date(2022, 5, 1)) for _ in range(children - 1))
    referral = referral_actions.do_receive_referral(
        referral_input(area=area, others=others), acting_user=referrer
    )
    case = referral_actions.do_accept_referral(referral, acting_user=manager)
    return case_actions.do_allocate_case(
        case, practitioner=practitioner, approach=Approach.VIG, acting_user=manager
    )


@pytest.fixture
def case(rita: User, bob: User, alice: User) -> Case:
    return allocated_case("Sheffield", bob, alice, rita, children=2)


@pytest.fixture
def hull_case(rita: User, dave: User, charlie: User) -> Case:
    return allocated_case("Hull", dave, charlie, rita)


def children_of(case: Case) -> list[Child]:
    return list(Child.objects.filter(family_id=case.family_id).order_by("date_of_birth", "id"))


def raise_concern(case: Case, by: User, *, on: date = date(2026, 3, 16)) -> Concern:
    return actions.do_raise_concern(
        case, raised_on=on, what_happened=WHAT, children=children_of(case)[:1], acting_user=by
    )


def escalate(
    concern: Concern, by: User, *, on: date = date(2026, 3, 17), agency: Agency = Agency.POLICE
) -> Escalation:
    return actions.do_escalate_concern(
        concern,
        escalated_on=on,
        reason="Disclosure of neglect.",
        agency=agency,
        agency_name="",
        acting_user=by,
    )


def settle(
    escalation: Escalation,
    by: User,
    outcome: EscalationOutcome,
    *,
    on: date = date(2026, 3, 19),
) -> Escalation:
    return actions.do_record_escalation_outcome(
        escalation, outcome=outcome, outcome_on=on, acting_user=by
    )
