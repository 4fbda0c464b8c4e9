"""Accepted cases in Sheffield and Hull, consent to research, and trial mode switched on."""

from collections.abc import Callable
from datetime import date

import pytest

from ipip.accounts.models import Area, Role, User
from ipip.allocation.actions import do_set_trial_mode
from ipip.cases.models import Case
from ipip.consent.actions import do_record_consent
from ipip.consent.models import ConsentDecision, Purpose
from ipip.core.testing import builders
from ipip.core.testing.personas import make_user

NewCase = Callable[..., Case]


@pytest.fixture
def new_case(rita: User, bob: User, lena: User) -> NewCase:
    """An accepted case: Sheffield by default, received on the date given."""

    def make(area: str = "Sheffield", received_on: date = date(2026, 3, 12)) -> Case:
        referral = builders.referral_input(area=area, received_on=received_on)
        return builders.accepted_case(rita, bob if area == "Sheffield" else lena, referral)

    return make


@pytest.fixture
def accepted_case(new_case: NewCase) -> Case:
    return new_case()


@pytest.fixture
def second(alice: User) -> User:
    """Another practitioner in Sheffield."""
    return make_user("sam@example.org", Role.PRACTITIONER, "Sheffield", with_totp=False)


def research_consent(
    case: Case, *, by: User, decision: ConsentDecision = ConsentDecision.GIVEN
) -> None:
    do_record_consent(
        case,
        purpose=Purpose.RESEARCH,
        decision=decision,
        decided_on=date(2026, 3, 20),
        given_by=case.family.carers.get(),
        note="",
        acting_user=by,
    )


def trial_on(area: str, *, by: User) -> None:
    do_set_trial_mode(Area.objects.get(name=area), is_enabled=True, acting_user=by)
