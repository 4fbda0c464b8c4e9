"""The service's referral criteria as pure rules.

The criteria come from the NSPCC page for Improving parenting, improving practice
("NSPCC service referral criteria", see ``/work/shared/seed``):

- the family lives in one of the eight areas the service covers;
- the referred child is aged 2 to 12;
- a CAF or equivalent assessment has already been undertaken indicating active
  concerns about neglectful parenting;
- care proceedings are not under way;
- the referred child is not, and has never been, the subject of a child protection plan;
- no other child in the family has been the subject of a child protection plan within
  two years of the referral date.

Everything here is judged *as at the referral date* held in :class:`ReferralFacts`, never
"today", so a decision can be recomputed later and give the same answer. The date
boundaries are recorded in ``docs/adr/0002-eligibility-date-boundaries.md``.

This module is pure: it takes plain frozen dataclasses and returns plain frozen
dataclasses. It must not import Django or touch the database, so that the rules can be
read, tested and versioned on their own. Any change to what the rules decide must bump
:data:`RULES_VERSION`, which is stored with every decision.
"""

import calendar
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from ipip.core.dates import long_date

RULES_VERSION: Final = "2026-11-25.1"

SERVED_AREAS: Final = (
    "Belfast",
    "Cardiff",
    "Glasgow",
    "Grimsby",
    "Hull",
    "Peterborough",
    "Sheffield",
    "Southampton",
)

MIN_AGE: Final = 2
MAX_AGE: Final = 12


class Outcome(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NEEDS_INFORMATION = "needs_information"


class Result(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


class Criterion(StrEnum):
    """The six criteria; the declaration order is the display order."""

    AREA_SERVED = "area_served"
    CHILD_AGE = "child_age"
    EARLY_HELP_ASSESSMENT = "early_help_assessment"
    CARE_PROCEEDINGS = "care_proceedings"
    CHILD_NEVER_ON_PLAN = "child_never_on_plan"
    SIBLINGS_NO_RECENT_PLAN = "siblings_no_recent_plan"


CRITERION_LABELS: Final[Mapping[Criterion, str]] = MappingProxyType(
    {
        Criterion.AREA_SERVED: "The family lives in an area the service covers",
        Criterion.CHILD_AGE: "The referred child is aged 2 to 12 on the referral date",
        Criterion.EARLY_HELP_ASSESSMENT: (
            "A CAF or equivalent assessment has already been undertaken and shows "
            "active concerns about neglectful parenting"
        ),
        Criterion.CARE_PROCEEDINGS: "Care proceedings are not under way",
        Criterion.CHILD_NEVER_ON_PLAN: (
            "The referred child is not, and has never been, the subject of a child protection plan"
        ),
        Criterion.SIBLINGS_NO_RECENT_PLAN: (
            "No other child in the family has been the subject of a child protection "
            "plan in the two years before the referral date"
        ),
    }
)


class Tristate(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Proceedings(StrEnum):
    NONE = "none"
    UNDER_WAY = "under_way"
    CONCLUDED = "concluded"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PlanFact:
    """One child protection plan, as far as the referrer knows it."""

    started_on: date | None
    ended_on: date | None
    is_ongoing: bool


@dataclass(frozen=True)
class ChildFact:
    """One child in the family.

    ``label`` is a safe label used in reasons ("the referred child", "sibling 2"); it must
    never be the child's name, because reasons are stored and shown widely.
    ``plans`` may be empty even when ``ever_on_plan`` is YES: then the dates are unknown.
    """

    label: str
    date_of_birth: date | None
    ever_on_plan: Tristate
    plans: tuple[PlanFact, ...]
    care_proceedings: Proceedings


@dataclass(frozen=True)
class AssessmentFact:
    """The CAF or equivalent early-help assessment (e.g. "Early Help Assessment", "UNOCINI")."""

    kind_label: str | None
    completed_on: date | None
    shows_neglect_concerns: Tristate


@dataclass(frozen=True)
class ReferralFacts:
    """Everything the rules look at, as recorded on the referral.

    ``assessment`` is None when no assessment is recorded at all; that is unknown (we ask
    for it), not a refusal.
    """

    referral_on: date
    area_name: str | None
    area_is_served: bool
    referred_child: ChildFact
    other_children: tuple[ChildFact, ...]
    assessment: AssessmentFact | None


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    result: Result
    reason: str
    ask_for: str | None


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    rules_version: str
    results: tuple[CriterionResult, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        """What to ask the referrer for: the ``ask_for`` of every unknown criterion."""
        return tuple(
            r.ask_for for r in self.results if r.result is Result.UNKNOWN and r.ask_for is not None
        )


# --- Dates -----------------------------------------------------------------------------


def _fmt(d: date) -> str:
    """Format a date as "12 March 2026"."""
    return long_date(d)


def birthday_in_year(date_of_birth: date, year: int) -> date:
    """The child's birthday in ``year``.

    A child born on 29 February has their birthday on 1 March in a year that is not a
    leap year, which is how UK law counts the age of a leap-day child.
    """
    if date_of_birth.month == 2 and date_of_birth.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return date_of_birth.replace(year=year)


def age_on(date_of_birth: date, on: date) -> int:
    """Age in completed years on the date ``on``; a birthday counts from its first day.

    Raises ValueError if ``on`` is before the date of birth.
    """
    if on < date_of_birth:
        msg = "the date is before the date of birth"
        raise ValueError(msg)
    years = on.year - date_of_birth.year
    if on < birthday_in_year(date_of_birth, on.year):
        years -= 1
    return years


def two_year_window_start(referral_on: date) -> date:
    """The first day of "the two years before the referral date".

    It is the same calendar date two years earlier, so a plan that ended exactly two years
    before the referral date is still within two years. For a referral on 29 February the
    window starts on 28 February (the earlier choice, so the window is never shorter than
    two years).
    """
    if referral_on.month == 2 and referral_on.day == 29:
        return date(referral_on.year - 2, 2, 28)
    return referral_on.replace(year=referral_on.year - 2)


# --- Small text helpers ----------------------------------------------------------------


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(items: Iterable[str]) -> str:
    """Join as English: "a", "a and b", "a, b and c"."""
    parts = list(items)
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _met(criterion: Criterion, reason: str) -> CriterionResult:
    return CriterionResult(criterion=criterion, result=Result.MET, reason=reason, ask_for=None)


def _not_met(criterion: Criterion, reason: str) -> CriterionResult:
    return CriterionResult(criterion=criterion, result=Result.NOT_MET, reason=reason, ask_for=None)


def _unknown(criterion: Criterion, reason: str, ask_for: str) -> CriterionResult:
    return CriterionResult(
        criterion=criterion, result=Result.UNKNOWN, reason=reason, ask_for=ask_for
    )


# --- 1. Area served --------------------------------------------------------------------


def _check_area(facts: ReferralFacts) -> CriterionResult:
    criterion = Criterion.AREA_SERVED
    if facts.area_is_served:
        where = facts.area_name if facts.area_name is not None else "The family's area"
        return _met(criterion, f"{where} is one of the eight areas the service covers.")
    if facts.area_name is None:
        return _unknown(
            criterion,
            f"The referral of {_fmt(facts.referral_on)} does not say which area the family lives in.",
            "the area the family lives in",
        )
    return _not_met(
        criterion,
        f"{facts.area_name} is not one of the eight areas the service covers: "
        f"{_join(SERVED_AREAS)}.",
    )


# --- 2. Child's age --------------------------------------------------------------------


def _check_age(facts: ReferralFacts) -> CriterionResult:
    criterion = Criterion.CHILD_AGE
    child = facts.referred_child
    dob = child.date_of_birth
    ref = facts.referral_on
    if dob is None:
        return _unknown(
            criterion,
            f"{_cap(child.label)}'s date of birth is not recorded, so their age on the "
            f"referral date, {_fmt(ref)}, cannot be worked out.",
            f"{child.label}'s date of birth",
        )
    if dob > ref:
        return _not_met(
            criterion,
            f"{_cap(child.label)}'s recorded date of birth, {_fmt(dob)}, is after the "
            f"referral date, {_fmt(ref)}, so they were not aged 2 to 12 on that date.",
        )
    age = age_on(dob, ref)
    said = f"Born {_fmt(dob)}, {child.label} was {age} on the referral date, {_fmt(ref)}"
    if age < MIN_AGE:
        turns = birthday_in_year(dob, dob.year + MIN_AGE)
        return _not_met(
            criterion,
            f"{said}; the service is for children aged 2 to 12, and they turn 2 on {_fmt(turns)}.",
        )
    if age > MAX_AGE:
        turned = birthday_in_year(dob, dob.year + MAX_AGE + 1)
        return _not_met(
            criterion,
            f"{said}; the service is for children aged 2 to 12, and they turned 13 on "
            f"{_fmt(turned)}.",
        )
    return _met(criterion, f"{said}.")


# --- 3. Early-help assessment ----------------------------------------------------------

_ASK_FOR_ASSESSMENT: Final = (
    "the CAF or equivalent early-help assessment: its type, date and whether it shows "
    "active concerns about neglectful parenting"
)


def _assessment_name(assessment: AssessmentFact) -> str:
    kind = assessment.kind_label
    if kind is None or not kind.strip():
        return "the early-help assessment"
    if "assessment" in kind.lower():
        return f"the {kind}"
    return f"the {kind} assessment"


def _is_blank(assessment: AssessmentFact) -> bool:
    # A form may build an empty AssessmentFact rather than None; treat it as "none recorded"
    # so the referrer is asked for the whole assessment, type included.
    return (
        (assessment.kind_label is None or not assessment.kind_label.strip())
        and assessment.completed_on is None
        and assessment.shows_neglect_concerns is Tristate.UNKNOWN
    )


def _check_assessment(facts: ReferralFacts) -> CriterionResult:
    criterion = Criterion.EARLY_HELP_ASSESSMENT
    ref = facts.referral_on
    assessment = facts.assessment
    if assessment is None or _is_blank(assessment):
        return _unknown(
            criterion,
            f"No CAF or equivalent early-help assessment is recorded on the referral of "
            f"{_fmt(ref)}.",
            _ASK_FOR_ASSESSMENT,
        )
    name = _assessment_name(assessment)
    done = assessment.completed_on
    described = f"{name} of {_fmt(done)}" if done is not None else f"{name} (date not recorded)"
    if done is not None and done > ref:
        return _not_met(
            criterion,
            f"{_cap(name)} was completed on {_fmt(done)}, after the referral date, "
            f"{_fmt(ref)}, so it had not already been undertaken when the referral was made.",
        )
    if assessment.shows_neglect_concerns is Tristate.NO:
        return _not_met(
            criterion,
            f"{_cap(described)} does not show active concerns about neglectful parenting.",
        )
    asks: list[str] = []
    if done is None:
        asks.append(f"the date {name} was completed")
    if assessment.shows_neglect_concerns is Tristate.UNKNOWN:
        asks.append(f"whether {name} shows active concerns about neglectful parenting")
    if asks:
        return _unknown(
            criterion,
            f"The referral of {_fmt(ref)} does not record {_join(asks)}.",
            _join(asks),
        )
    return _met(
        criterion,
        f"{_cap(described)} shows active concerns about neglectful parenting and was "
        f"completed by the referral date, {_fmt(ref)}.",
    )


# --- 4. Care proceedings ---------------------------------------------------------------


def _check_proceedings(facts: ReferralFacts) -> CriterionResult:
    criterion = Criterion.CARE_PROCEEDINGS
    children = (facts.referred_child, *facts.other_children)
    as_at = f"As at the referral date, {_fmt(facts.referral_on)}"

    def labels(status: Proceedings) -> list[str]:
        return [c.label for c in children if c.care_proceedings is status]

    under_way = labels(Proceedings.UNDER_WAY)
    if under_way:
        return _not_met(
            criterion, f"{as_at}, care proceedings are under way for {_join(under_way)}."
        )
    unknown = labels(Proceedings.UNKNOWN)
    if unknown:
        return _unknown(
            criterion,
            f"{as_at}, the referral does not say whether care proceedings are under way "
            f"for {_join(unknown)}.",
            f"whether care proceedings are under way for {_join(unknown)}",
        )
    who = "any child in the family" if facts.other_children else facts.referred_child.label
    reason = f"{as_at}, no care proceedings are under way for {who}"
    concluded = labels(Proceedings.CONCLUDED)
    if concluded:
        reason += f"; care proceedings for {_join(concluded)} have concluded"
    return _met(criterion, f"{reason}.")


# --- Plans: shared findings ------------------------------------------------------------


@dataclass(frozen=True)
class _Finding:
    """What one plan (or the lack of one) says about a child, before it is combined."""

    result: Result
    detail: str
    ask_for: str | None = None


def _started_after(plan: PlanFact, referral_on: date) -> bool:
    # A plan that started after the referral date is not a fact as at the referral date.
    return plan.started_on is not None and plan.started_on > referral_on


# --- 5. Referred child never on a plan -------------------------------------------------


def _check_child_plan(facts: ReferralFacts) -> CriterionResult:
    criterion = Criterion.CHILD_NEVER_ON_PLAN
    child = facts.referred_child
    ref = facts.referral_on
    on_ref = f"the referral of {_fmt(ref)}"
    # Recorded plans are evidence even when the yes/no answer disagrees with them.
    counted = [p for p in child.plans if not _started_after(p, ref)]
    if counted:
        return _not_met(criterion, _plan_history_reason(child.label, counted, ref))
    if child.ever_on_plan is Tristate.UNKNOWN:
        return _unknown(
            criterion,
            f"{_cap(on_ref)} does not say whether {child.label} is, or has ever been, the "
            f"subject of a child protection plan.",
            f"whether {child.label} is now, or has ever been, the subject of a child "
            f"protection plan",
        )
    if child.ever_on_plan is Tristate.YES and not child.plans:
        return _not_met(
            criterion,
            f"{_cap(on_ref)} records that {child.label} has been the subject of a child "
            f"protection plan (dates not recorded).",
        )
    if child.plans:
        first = min(p.started_on for p in child.plans if p.started_on is not None)
        return _met(
            criterion,
            f"The child protection plan recorded for {child.label} started on {_fmt(first)}, "
            f"after the referral date, {_fmt(ref)}, so on the referral date they had never "
            f"been the subject of a plan.",
        )
    return _met(
        criterion,
        f"{_cap(on_ref)} records that {child.label} is not, and has never been, the subject "
        f"of a child protection plan.",
    )


def _plan_history_reason(label: str, plans: list[PlanFact], referral_on: date) -> str:
    starts = [p.started_on for p in plans if p.started_on is not None]
    which = f"that started on {_fmt(min(starts))}" if starts else "(start date not recorded)"
    kind = "an ongoing" if any(p.is_ongoing for p in plans) else "a"
    return (
        f"As at the referral date, {_fmt(referral_on)}, {label} has been the subject of {kind} "
        f"child protection plan {which}; the service is for children who have never been on "
        f"a plan."
    )


# --- 6. Other children: no plan in the two years before the referral -------------------


def _sibling_plan_finding(
    label: str, plan: PlanFact, *, referral_on: date, window_start: date
) -> _Finding:
    if _started_after(plan, referral_on):
        assert plan.started_on is not None  # narrowed by _started_after
        return _Finding(
            Result.MET,
            f"{label}'s child protection plan started on {_fmt(plan.started_on)}, after the "
            f"referral date",
        )
    if plan.is_ongoing:
        since = (
            f", which started on {_fmt(plan.started_on)}" if plan.started_on is not None else ""
        )
        return _Finding(
            Result.NOT_MET, f"{label} is the subject of an ongoing child protection plan{since}"
        )
    if plan.ended_on is None:
        return _Finding(
            Result.UNKNOWN,
            f"the end date of {label}'s child protection plan is not recorded",
            f"the end date of {label}'s child protection plan, or whether it is still ongoing",
        )
    if plan.ended_on >= window_start:
        return _Finding(
            Result.NOT_MET,
            f"{label}'s child protection plan ended on {_fmt(plan.ended_on)}, within the two years",
        )
    return _Finding(
        Result.MET,
        f"{label}'s child protection plan ended on {_fmt(plan.ended_on)}, more than two years "
        f"before the referral date",
    )


def _sibling_findings(
    child: ChildFact, *, referral_on: date, window_start: date
) -> list[_Finding]:
    label = child.label
    findings = [
        _sibling_plan_finding(label, p, referral_on=referral_on, window_start=window_start)
        for p in child.plans
    ]
    if child.ever_on_plan is Tristate.UNKNOWN:
        findings.append(
            _Finding(
                Result.UNKNOWN,
                f"the referral does not say whether {label} has been the subject of a child "
                f"protection plan",
                f"whether {label} has been the subject of a child protection plan and, if so, "
                f"when it ended",
            )
        )
    elif child.ever_on_plan is Tristate.YES and not child.plans:
        findings.append(
            _Finding(
                Result.UNKNOWN,
                f"{label} has been the subject of a child protection plan but its dates are "
                f"not recorded",
                f"the end date of {label}'s child protection plan, or whether it is still ongoing",
            )
        )
    elif not child.plans:
        findings.append(
            _Finding(Result.MET, f"{label} has never been the subject of a child protection plan")
        )
    return findings


def _check_siblings(facts: ReferralFacts) -> CriterionResult:
    criterion = Criterion.SIBLINGS_NO_RECENT_PLAN
    ref = facts.referral_on
    start = two_year_window_start(ref)
    window = f"the two years before the referral date, {_fmt(ref)} (from {_fmt(start)})"
    if not facts.other_children:
        return _met(
            criterion,
            f"No other children are recorded in the family, so none has been the subject of a "
            f"child protection plan in {window}.",
        )
    findings = [
        f
        for child in facts.other_children
        for f in _sibling_findings(child, referral_on=ref, window_start=start)
    ]

    def details(result: Result) -> str:
        return "; ".join(f.detail for f in findings if f.result is result)

    if any(f.result is Result.NOT_MET for f in findings):
        return _not_met(
            criterion,
            f"{_cap(details(Result.NOT_MET))}: a plan counts if it was ongoing or ended in "
            f"{window}.",
        )
    asks = [f.ask_for for f in findings if f.result is Result.UNKNOWN and f.ask_for is not None]
    if asks:
        return _unknown(
            criterion,
            f"{_cap(details(Result.UNKNOWN))}, so it cannot be checked against {window}.",
            "; ".join(asks),
        )
    return _met(
        criterion,
        f"No other child in the family has been the subject of a child protection plan in "
        f"{window}: {details(Result.MET)}.",
    )


# --- Decision --------------------------------------------------------------------------

_CHECKS: Final[Mapping[Criterion, Callable[[ReferralFacts], CriterionResult]]] = MappingProxyType(
    {
        Criterion.AREA_SERVED: _check_area,
        Criterion.CHILD_AGE: _check_age,
        Criterion.EARLY_HELP_ASSESSMENT: _check_assessment,
        Criterion.CARE_PROCEEDINGS: _check_proceedings,
        Criterion.CHILD_NEVER_ON_PLAN: _check_child_plan,
        Criterion.SIBLINGS_NO_RECENT_PLAN: _check_siblings,
    }
)


def _outcome(results: Iterable[CriterionResult]) -> Outcome:
    found = {r.result for r in results}
    if Result.NOT_MET in found:
        return Outcome.NOT_ELIGIBLE
    if Result.UNKNOWN in found:
        return Outcome.NEEDS_INFORMATION
    return Outcome.ELIGIBLE


def evaluate(facts: ReferralFacts) -> Decision:
    """Decide eligibility from the facts as at ``facts.referral_on``.

    Every criterion is always evaluated, so the explanation is complete. Any criterion not
    met makes the referral not eligible (even if others are unknown); otherwise any unknown
    criterion means more information is needed; otherwise the referral is eligible.
    """
    results = tuple(_CHECKS[criterion](facts) for criterion in Criterion)
    return Decision(outcome=_outcome(results), rules_version=RULES_VERSION, results=results)


# --- JSON snapshots --------------------------------------------------------------------


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _plan_to_dict(plan: PlanFact) -> dict[str, object]:
    return {
        "started_on": _iso(plan.started_on),
        "ended_on": _iso(plan.ended_on),
        "is_ongoing": plan.is_ongoing,
    }


def _child_to_dict(child: ChildFact) -> dict[str, object]:
    return {
        "label": child.label,
        "date_of_birth": _iso(child.date_of_birth),
        "ever_on_plan": child.ever_on_plan.value,
        "plans": [_plan_to_dict(p) for p in child.plans],
        "care_proceedings": child.care_proceedings.value,
    }


def _assessment_to_dict(assessment: AssessmentFact | None) -> dict[str, object] | None:
    if assessment is None:
        return None
    return {
        "kind_label": assessment.kind_label,
        "completed_on": _iso(assessment.completed_on),
        "shows_neglect_concerns": assessment.shows_neglect_concerns.value,
    }


def facts_to_dict(facts: ReferralFacts) -> dict[str, object]:
    """A JSON-safe snapshot of the facts (dates as ISO strings), stored with each decision."""
    return {
        "referral_on": facts.referral_on.isoformat(),
        "area_name": facts.area_name,
        "area_is_served": facts.area_is_served,
        "referred_child": _child_to_dict(facts.referred_child),
        "other_children": [_child_to_dict(c) for c in facts.other_children],
        "assessment": _assessment_to_dict(facts.assessment),
    }


def decision_to_dict(decision: Decision) -> dict[str, object]:
    """A JSON-safe snapshot of the decision, with its rules version and every reason."""
    return {
        "outcome": decision.outcome.value,
        "rules_version": decision.rules_version,
        "results": [
            {
                "criterion": r.criterion.value,
                "result": r.result.value,
                "reason": r.reason,
                "ask_for": r.ask_for,
            }
            for r in decision.results
        ],
        "missing": list(decision.missing),
    }
