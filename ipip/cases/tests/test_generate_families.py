"""`generate_families`: fake families whose stored decisions are the ones screening makes."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count

from ipip.accounts.models import SERVICE_AREAS, Role, User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case, CaseStatus, Child, ChildProtectionPlan, Family, name_key
from ipip.eligibility import rules
from ipip.referrals.models import (
    DuplicateCandidate,
    DuplicateStatus,
    EligibilityDecision,
    Outcome,
    Referral,
    ReferralStatus,
)
from ipip.referrals.screening import facts_for

pytestmark = pytest.mark.django_db

FAMILIES = 60
SEED = 20260401


def generate(count: int = FAMILIES, seed: int = SEED) -> str:
    out = StringIO()
    call_command("generate_families", str(count), "--seed", str(seed), stdout=out)
    return out.getvalue()


@pytest.fixture
def generated() -> str:
    return generate()


def test_one_screened_referral_per_family(generated: str) -> None:
    assert Family.objects.count() == FAMILIES
    assert Referral.objects.count() == FAMILIES
    assert not Family.objects.annotate(n=Count("referrals")).exclude(n=1).exists()
    assert EligibilityDecision.objects.count() == FAMILIES
    assert not Referral.objects.filter(current_decision__isnull=True).exists()
    for referral in Referral.objects.select_related("current_decision"):
        assert referral.current_decision is not None
        assert referral.current_decision.referral_id == referral.pk
        assert referral.status != ReferralStatus.RECEIVED
    assert "Batch 1/1" in generated
    assert "families a second" in generated


def test_every_outcome_occurs(generated: str) -> None:
    outcomes = set(EligibilityDecision.objects.values_list("outcome", flat=True))
    assert outcomes == {Outcome.ELIGIBLE, Outcome.NOT_ELIGIBLE, Outcome.NEEDS_INFORMATION}


def test_stored_decisions_are_what_screening_the_records_gives(generated: str) -> None:
    # Rebuilding the facts from the rows proves the in-memory facts mirror screening.
    referrals = Referral.objects.select_related("area", "current_decision").order_by("id")
    for referral in referrals[::3]:
        decision = referral.current_decision
        assert decision is not None
        facts = facts_for(referral)
        assert rules.facts_to_dict(facts) == decision.facts
        again = rules.evaluate(facts)
        assert again.outcome.value == decision.outcome
        assert rules.decision_to_dict(again)["results"] == decision.results
        assert decision.rules_version == rules.RULES_VERSION


def test_all_eight_areas_appear_and_some_families_are_elsewhere() -> None:
    generate(count=200)
    names = set(Referral.objects.filter(area__isnull=False).values_list("area__name", flat=True))
    assert names == {name for name, _ in SERVICE_AREAS}
    elsewhere = Referral.objects.filter(area__isnull=True).exclude(other_area_name="")
    assert elsewhere.exists()
    assert not elsewhere.filter(current_decision__outcome=Outcome.ELIGIBLE).exists()


def test_cases_keep_their_constraints(generated: str) -> None:
    cases = list(Case.objects.select_related("allocated_to"))
    assert cases
    for case in cases:
        if case.status == CaseStatus.CLOSED:
            assert case.closure_reason and case.closed_at is not None
            assert case.closed_at > case.accepted_at
        if case.status != CaseStatus.ACCEPTED:
            assert case.allocated_to is not None and case.approach in ("vig", "ptp")
            assert case.allocated_to.role == Role.PRACTITIONER
            assert case.allocated_to.area_id == case.area_id
        referral = Referral.objects.get(case=case)
        assert referral.status == ReferralStatus.ACCEPTED
        assert referral.current_decision is not None
        assert referral.current_decision.outcome == Outcome.ELIGIBLE
    for plan in ChildProtectionPlan.objects.all():
        assert plan.started_on is not None
        assert plan.ended_on is None or plan.ended_on >= plan.started_on
        assert not (plan.is_ongoing and plan.ended_on is not None)
    declined = Referral.objects.filter(status=ReferralStatus.DECLINED)
    assert all(r.decline_reason for r in declined)


def test_children_have_their_name_keys_and_families_their_postcode_keys(generated: str) -> None:
    for child in Child.objects.all()[:50]:
        assert child.name_key == name_key(child.first_name, child.last_name)
    for family in Family.objects.all()[:50]:
        assert family.postcode_key == "".join(family.postcode.split()).upper()
        assert family.pseudonym.startswith("F-")


def test_a_repeated_child_is_flagged_as_a_possible_duplicate() -> None:
    generate(count=600)
    flagged = Referral.objects.filter(duplicate_status=DuplicateStatus.POSSIBLE)
    assert flagged.exists()
    for referral in flagged.select_related("referred_child"):
        candidate = DuplicateCandidate.objects.get(referral=referral)
        existing = candidate.existing_child
        assert existing.family_id != referral.family_id
        assert existing.name_key == referral.referred_child.name_key
        assert existing.date_of_birth == referral.referred_child.date_of_birth
        assert referral.status != ReferralStatus.ACCEPTED


def test_the_same_seed_gives_the_same_families() -> None:
    generate(count=5)
    generate(count=5)
    first, again = Family.objects.order_by("id")[0], Family.objects.order_by("id")[5]
    assert first.postcode == again.postcode
    assert first.address_line_1 == again.address_line_1
    assert first.pseudonym != again.pseudonym  # pseudonyms stay random
    generate(count=5, seed=SEED + 1)
    other = Family.objects.order_by("id")[10]
    assert (other.postcode, other.address_line_1) != (first.postcode, first.address_line_1)


def test_reuses_existing_practitioners_and_referrers(generated: str) -> None:
    people = User.objects.count()
    generate(count=10, seed=1)
    assert User.objects.count() == people
    assert User.objects.filter(role=Role.REFERRER).count() == 3 * len(SERVICE_AREAS)
    assert User.objects.filter(role=Role.PRACTITIONER).count() == 4 * len(SERVICE_AREAS)


def test_works_where_inserts_return_no_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    # SQLite before 3.35 returns no ids from a bulk insert: they are read back by public_id.
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    generate(count=40)
    for referral in Referral.objects.select_related("area", "current_decision")[::4]:
        assert referral.current_decision is not None
        assert rules.facts_to_dict(facts_for(referral)) == referral.current_decision.facts


def test_records_one_data_generated_event(generated: str) -> None:
    events = AuditEvent.objects.filter(action=Action.DATA_GENERATED)
    assert events.count() == 1
    event = events.get()
    assert event.actor is None
    assert event.data == {"families": FAMILIES, "seed": SEED}


def test_refuses_a_number_below_one() -> None:
    with pytest.raises(CommandError):
        call_command("generate_families", "0", stdout=StringIO())
