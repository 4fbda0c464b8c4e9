"""A Sheffield case allocated to alice (two children), a Hull case allocated to charlie,
and helpers to raise, escalate and settle concerns. The clock is frozen."""

from datetime import UTC, date, datetime

import pytest

from ipip.accounts.models import User
from ipip.cases.models import Case, Child
from ipip.core.testing.builders import allocated_case, child_input, referral_input
from ipip.core.testing.clock import frozen_at
from ipip.safeguarding import actions
from ipip.safeguarding.models import Agency, Concern, Escalation, EscalationOutcome

NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)
TODAY = date(2026, 3, 20)
WHAT = "Child said there was no food at home over the weekend."


frozen = frozen_at(NOW)


@pytest.fixture
def case(rita: User, bob: User, alice: User) -> Case:
    """Two children: the one referred and a younger one, born 1 May 2022."""
    younger = child_input(born=date(2022, 5, 1))
    return allocated_case(rita, bob, alice, referral=referral_input(others=(younger,)))


@pytest.fixture
def hull_case(rita: User, dave: User, charlie: User) -> Case:
    return allocated_case(rita, dave, charlie, referral=referral_input(area="Hull"))


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
