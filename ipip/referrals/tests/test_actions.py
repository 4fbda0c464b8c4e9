"""Referral actions: state after the call and the audit events written."""

from datetime import date, timedelta

import pytest

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.intake import AssessmentInput
from ipip.cases.models import Case, CaseStatus, Child, Family
from ipip.core.errors import ConcurrentEdit, DomainError, InvalidTransition, NotEligible
from ipip.core.testing.builders import child_input, referral_input
from ipip.referrals import actions
from ipip.referrals.models import DuplicateStatus, EligibilityDecision, Outcome, ReferralStatus

pytestmark = pytest.mark.django_db


def actions_logged() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_receive_referral_records_family_screens_and_audits(rita: User) -> None:
    referral = actions.do_receive_referral(referral_input(), acting_user=rita)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SCREENED
    assert referral.current_decision is not None
    assert referral.current_decision.outcome == Outcome.ELIGIBLE
    assert len(referral.current_decision.results) == 6
    assert referral.current_decision.facts["referral_on"] == "2026-03-12"
    assert referral.family.carers.count() == 1
    assert actions_logged() == [
        Action.FAMILY_CREATED,
        Action.CHILD_CREATED,
        Action.REFERRAL_CREATED,
        Action.REFERRAL_SCREENED,
    ]
    event = AuditEvent.objects.get(action=Action.REFERRAL_CREATED)
    assert event.actor == rita
    assert event.family_public_id == referral.family.public_id
    assert event.subject_public_id == referral.public_id


def test_missing_assessment_date_needs_information(bob: User) -> None:
    received = date(2026, 3, 12)
    data = referral_input(
        assessment=AssessmentInput(kind="eha", completed_on=None, shows_neglect_concerns="yes")
    )
    referral = actions.do_receive_referral(data, acting_user=bob)
    decision = referral.current_decision
    assert decision is not None
    assert decision.outcome == Outcome.NEEDS_INFORMATION
    assert decision.missing  # says what to ask for
    assert received.isoformat() == decision.facts["referral_on"]


def test_manager_cannot_refer_for_another_area(dave: User) -> None:
    with pytest.raises(DomainError):
        actions.do_receive_referral(referral_input(area="Sheffield"), acting_user=dave)
    assert Family.objects.count() == 0  # nothing half-saved


def test_practitioner_cannot_refer(alice: User) -> None:
    with pytest.raises(DomainError):
        actions.do_receive_referral(referral_input(), acting_user=alice)


def test_accept_eligible_opens_case(rita: User, bob: User) -> None:
    referral = actions.do_receive_referral(referral_input(), acting_user=rita)
    case = actions.do_accept_referral(referral, acting_user=bob, expected_version=referral.version)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.case == case
    assert case.status == CaseStatus.ACCEPTED
    assert actions_logged()[-2:] == [Action.CASE_OPENED, Action.REFERRAL_ACCEPTED]


def test_cannot_accept_not_eligible(rita: User, bob: User) -> None:
    child = child_input(born=date(2026, 3, 12) - timedelta(days=365))  # aged 1
    referral = actions.do_receive_referral(referral_input(child=child), acting_user=rita)
    assert referral.current_decision is not None
    assert referral.current_decision.outcome == Outcome.NOT_ELIGIBLE
    with pytest.raises(NotEligible):
        actions.do_accept_referral(referral, acting_user=bob)
    assert Case.objects.count() == 0


def test_override_keeps_rule_decision_and_requires_reason(rita: User, bob: User) -> None:
    child = child_input(born=date(2026, 3, 12) - timedelta(days=365))
    referral = actions.do_receive_referral(referral_input(child=child), acting_user=rita)
    rule_decision = referral.current_decision
    with pytest.raises(DomainError):
        actions.do_override_decision(
            referral, outcome=Outcome.ELIGIBLE, reason="  ", acting_user=bob
        )
    override = actions.do_override_decision(
        referral,
        outcome=Outcome.ELIGIBLE,
        reason="Twin of a child in the service",
        acting_user=bob,
    )
    referral.refresh_from_db()
    assert referral.current_decision == override
    assert override.is_override
    assert override.overrides == rule_decision
    assert EligibilityDecision.objects.filter(referral=referral).count() == 2
    event = AuditEvent.objects.get(action=Action.REFERRAL_OVERRIDDEN)
    assert event.data == {
        "from": "not_eligible",
        "to": "eligible",
        "decision_id": str(override.public_id),
    }
    actions.do_accept_referral(referral, acting_user=bob)


def test_decisions_are_never_edited(rita: User) -> None:
    referral = actions.do_receive_referral(referral_input(), acting_user=rita)
    decision = referral.current_decision
    assert decision is not None
    decision.outcome = Outcome.NOT_ELIGIBLE
    with pytest.raises(InvalidTransition):
        decision.save()


def test_rescreen_after_facts_change_makes_new_decision(rita: User, bob: User) -> None:
    data = referral_input(
        assessment=AssessmentInput(kind="eha", completed_on=None, shows_neglect_concerns="yes")
    )
    referral = actions.do_receive_referral(data, acting_user=rita)
    first = referral.current_decision
    update = actions.FactsUpdate(
        children={},
        assessment=AssessmentInput(
            kind="eha", completed_on=date(2026, 1, 5), shows_neglect_concerns="yes"
        ),
    )
    second = actions.do_update_referral_facts(referral, update, acting_user=bob)
    assert second.outcome == Outcome.ELIGIBLE
    assert first is not None
    first.refresh_from_db()
    assert first.outcome == Outcome.NEEDS_INFORMATION  # unchanged
    assert Action.CHILD_CHANGED in actions_logged()


def test_stale_version_is_refused(rita: User, bob: User) -> None:
    referral = actions.do_receive_referral(referral_input(), acting_user=rita)
    stale = referral.version
    actions.do_rescreen_referral(referral, acting_user=bob, expected_version=stale)
    with pytest.raises(ConcurrentEdit):
        actions.do_accept_referral(referral, acting_user=bob, expected_version=stale)


def test_decline_then_cannot_accept(rita: User, bob: User) -> None:
    referral = actions.do_receive_referral(referral_input(), acting_user=rita)
    actions.do_decline_referral(referral, reason="Family moved out of the area", acting_user=bob)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    with pytest.raises(InvalidTransition):
        actions.do_accept_referral(referral, acting_user=bob)
    assert actions_logged()[-1] == Action.REFERRAL_DECLINED


def test_duplicate_flagged_by_name_and_dob_then_linked(rita: User, ross: User, bob: User) -> None:
    first = actions.do_receive_referral(referral_input(), acting_user=rita)
    known = first.referred_child
    again = child_input(
        born=known.date_of_birth or date(2020, 1, 1),
        first_name=known.first_name.upper(),
        last_name=known.last_name,
    )
    second = actions.do_receive_referral(referral_input(child=again), acting_user=ross)
    assert second.duplicate_status == DuplicateStatus.POSSIBLE
    candidate = second.duplicate_candidates.get()
    assert candidate.existing_child == known
    with pytest.raises(DomainError):
        actions.do_accept_referral(second, acting_user=bob)
    actions.do_link_duplicate(second, candidate=candidate, acting_user=bob)
    second.refresh_from_db()
    assert second.family == first.family
    assert second.referred_child == known
    intake_family = Family.objects.exclude(pk=first.family.pk).get()
    assert intake_family.archived_at is not None
    assert intake_family.merged_into == first.family
    assert Action.REFERRAL_DUPLICATE_LINKED in actions_logged()


def test_duplicate_flagged_by_dob_and_postcode_then_dismissed(rita: User, bob: User) -> None:
    first = actions.do_receive_referral(referral_input(postcode="S1 2AB"), acting_user=rita)
    born = first.referred_child.date_of_birth
    assert born is not None
    second = actions.do_receive_referral(
        referral_input(postcode="s12ab", child=child_input(born=born)), acting_user=rita
    )
    assert second.duplicate_status == DuplicateStatus.POSSIBLE
    assert second.duplicate_candidates.get().match_reason == "dob_postcode"
    actions.do_dismiss_duplicates(second, acting_user=bob)
    second.refresh_from_db()
    assert second.duplicate_status == DuplicateStatus.CONFIRMED_NEW
    assert Child.objects.count() == 2
