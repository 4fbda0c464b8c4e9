"""Inputs for referrals, and the cases made from them, in tests: fake data only (Faker en_GB),
eligible unless told otherwise."""

from dataclasses import replace
from datetime import date, timedelta

from faker import Faker

from ipip.accounts.models import Area, User
from ipip.cases.actions import do_allocate_case
from ipip.cases.intake import AssessmentInput, CarerInput, ChildInput, FamilyInput
from ipip.cases.models import Approach, Case
from ipip.referrals.actions import ReferralInput, do_accept_referral, do_receive_referral

fake = Faker("en_GB")


def child_input(*, born: date, **overrides: object) -> ChildInput:
    base = ChildInput(
        first_name=fake.first_name(),
        last_name=fake.last_name(),
        date_of_birth=born,
        ever_on_plan="no",
        care_proceedings="none",
    )
    return replace(base, **overrides)  # type: ignore[arg-type]  # test convenience


def referral_input(
    *,
    area: str | None = "Sheffield",
    received_on: date = date(2026, 3, 12),
    child: ChildInput | None = None,
    others: tuple[ChildInput, ...] = (),
    assessment: AssessmentInput | None = None,
    postcode: str | None = None,
    other_area_name: str = "",
) -> ReferralInput:
    """An eligible referral for a 6-year-old in Sheffield, unless overridden."""
    area_id = Area.objects.get(name=area).pk if area else None
    return ReferralInput(
        received_on=received_on,
        agency_type="health_visitor",
        agency_name="Health visiting team",
        reason="Concerns about the child's care at home.",
        other_area_name=other_area_name,
        family=FamilyInput(
            area_id=area_id,
            address_line_1=fake.street_address(),
            address_line_2="",
            town=fake.city(),
            postcode=postcode or fake.postcode(),
            referred_child=child or child_input(born=received_on - timedelta(days=6 * 366)),
            other_children=others,
            carers=(
                CarerInput(
                    first_name=fake.first_name(), last_name=fake.last_name(), relationship="mother"
                ),
            ),
            assessment=assessment
            or AssessmentInput(
                kind="eha",
                completed_on=received_on - timedelta(days=30),
                shows_neglect_concerns="yes",
            ),
        ),
    )


def accepted_case(referrer: User, manager: User, referral: ReferralInput | None = None) -> Case:
    """A case waiting for allocation: `referral` (an eligible Sheffield one unless given) received
    from `referrer` and accepted by `manager`, through the actions as production does."""
    received = do_receive_referral(referral or referral_input(), acting_user=referrer)
    return do_accept_referral(received, acting_user=manager)


def allocated_case(
    referrer: User,
    manager: User,
    practitioner: User,
    *,
    approach: Approach = Approach.VIG,
    referral: ReferralInput | None = None,
) -> Case:
    """An accepted case (see accepted_case) that `manager` then allocated to `practitioner`."""
    return do_allocate_case(
        accepted_case(referrer, manager, referral),
        practitioner=practitioner,
        approach=approach,
        acting_user=manager,
    )
