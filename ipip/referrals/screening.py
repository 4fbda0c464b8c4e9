"""Build the pure rules' input from a referral's records."""

from collections.abc import Iterable

from django.db.models import F

from ipip.cases.models import Child, EarlyHelpAssessment
from ipip.eligibility import rules
from ipip.referrals.models import Referral


def _child_fact(child: Child, label: str) -> rules.ChildFact:
    return rules.ChildFact(
        label=label,
        date_of_birth=child.date_of_birth,
        ever_on_plan=rules.Tristate(child.ever_on_plan),
        plans=tuple(
            rules.PlanFact(started_on=p.started_on, ended_on=p.ended_on, is_ongoing=p.is_ongoing)
            for p in child.plans.all()
        ),
        care_proceedings=rules.Proceedings(child.care_proceedings),
    )


def _assessment_fact(
    assessments: Iterable[EarlyHelpAssessment], referral: Referral
) -> rules.AssessmentFact | None:
    """The latest assessment completed by the referral date; else the latest recorded."""
    recorded = list(assessments)
    if not recorded:
        return None
    on_time = [
        a
        for a in recorded
        if a.completed_on is not None and a.completed_on <= referral.received_on
    ]
    chosen = (
        max(on_time, key=lambda a: a.completed_on or referral.received_on)
        if on_time
        else recorded[-1]
    )
    return rules.AssessmentFact(
        kind_label=chosen.get_kind_display(),
        completed_on=chosen.completed_on,
        shows_neglect_concerns=rules.Tristate(chosen.shows_neglect_concerns),
    )


def facts_for(referral: Referral) -> rules.ReferralFacts:
    """The facts of a referral as the rules need them, as of its referral date."""
    children = list(
        Child.objects.filter(family_id=referral.family_id)
        .prefetch_related("plans", "assessments")
        .order_by(F("date_of_birth").asc(nulls_last=True), "id")
    )
    referred = next(c for c in children if c.pk == referral.referred_child_id)
    others = [c for c in children if c.pk != referral.referred_child_id]
    area = referral.area
    return rules.ReferralFacts(
        referral_on=referral.received_on,
        area_name=area.name if area is not None else (referral.other_area_name or None),
        area_is_served=area is not None and area.is_served,
        referred_child=_child_fact(referred, "the referred child"),
        other_children=tuple(
            _child_fact(child, f"other child {i}") for i, child in enumerate(others, start=1)
        ),
        assessment=_assessment_fact(referred.assessments.all(), referral),
    )
