"""Tests for the pure eligibility rules, at every date boundary (no database needed)."""

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest

from ipip.eligibility.rules import (
    CRITERION_LABELS,
    RULES_VERSION,
    AssessmentFact,
    ChildFact,
    Criterion,
    CriterionResult,
    Decision,
    Outcome,
    PlanFact,
    Proceedings,
    ReferralFacts,
    Result,
    Tristate,
    age_on,
    birthday_in_year,
    decision_to_dict,
    evaluate,
    facts_to_dict,
    two_year_window_start,
)

REFERRAL_ON = date(2026, 3, 12)
WINDOW_START = date(2024, 3, 12)  # two_year_window_start(REFERRAL_ON)
ONE_DAY = timedelta(days=1)


def _child(
    label: str = "the referred child",
    *,
    date_of_birth: date | None = date(2016, 5, 3),
    ever_on_plan: Tristate = Tristate.NO,
    plans: tuple[PlanFact, ...] = (),
    care_proceedings: Proceedings = Proceedings.NONE,
) -> ChildFact:
    return ChildFact(
        label=label,
        date_of_birth=date_of_birth,
        ever_on_plan=ever_on_plan,
        plans=plans,
        care_proceedings=care_proceedings,
    )


def _sibling(
    *,
    ever_on_plan: Tristate = Tristate.NO,
    plans: tuple[PlanFact, ...] = (),
    care_proceedings: Proceedings = Proceedings.NONE,
) -> ChildFact:
    return _child(
        "sibling 1",
        date_of_birth=date(2012, 1, 20),
        ever_on_plan=ever_on_plan,
        plans=plans,
        care_proceedings=care_proceedings,
    )


def _ended(ended_on: date | None, *, started_on: date | None = date(2022, 6, 1)) -> PlanFact:
    return PlanFact(started_on=started_on, ended_on=ended_on, is_ongoing=False)


ASSESSMENT = AssessmentFact(
    kind_label="Early Help Assessment",
    completed_on=date(2026, 2, 2),
    shows_neglect_concerns=Tristate.YES,
)

ALL_MET = ReferralFacts(
    referral_on=REFERRAL_ON,
    area_name="Sheffield",
    area_is_served=True,
    referred_child=_child(),
    other_children=(_sibling(),),
    assessment=ASSESSMENT,
)


def _result(decision: Decision, criterion: Criterion) -> CriterionResult:
    (found,) = (r for r in decision.results if r.criterion is criterion)
    return found


def _check(facts: ReferralFacts, criterion: Criterion) -> CriterionResult:
    return _result(evaluate(facts), criterion)


def _with_referred(
    *,
    date_of_birth: date | None = date(2016, 5, 3),
    ever_on_plan: Tristate = Tristate.NO,
    plans: tuple[PlanFact, ...] = (),
    care_proceedings: Proceedings = Proceedings.NONE,
) -> ReferralFacts:
    child = _child(
        date_of_birth=date_of_birth,
        ever_on_plan=ever_on_plan,
        plans=plans,
        care_proceedings=care_proceedings,
    )
    return replace(ALL_MET, referred_child=child)


def _with_sibling(sibling: ChildFact) -> ReferralFacts:
    return replace(ALL_MET, other_children=(sibling,))


# --- The whole decision ---------------------------------------------------------------


def test_all_met_is_eligible_with_six_results_in_order() -> None:
    decision = evaluate(ALL_MET)

    assert decision.outcome is Outcome.ELIGIBLE
    assert [r.criterion for r in decision.results] == list(Criterion)
    assert [r.result for r in decision.results] == [Result.MET] * 6
    assert all(r.ask_for is None for r in decision.results)
    assert decision.missing == ()


def test_decision_carries_rules_version() -> None:
    assert evaluate(ALL_MET).rules_version == RULES_VERSION == "2026-11-25.1"


def test_every_criterion_has_a_label() -> None:
    assert set(CRITERION_LABELS) == set(Criterion)
    assert CRITERION_LABELS[Criterion.AREA_SERVED] == (
        "The family lives in an area the service covers"
    )


def test_not_met_beats_unknown() -> None:
    facts = replace(ALL_MET, area_name="Leeds", area_is_served=False, assessment=None)

    decision = evaluate(facts)

    assert decision.outcome is Outcome.NOT_ELIGIBLE
    # Never short-circuits: the unknown is still reported, with what to ask for.
    assert _result(decision, Criterion.EARLY_HELP_ASSESSMENT).result is Result.UNKNOWN
    assert len(decision.results) == 6


def test_unknown_without_not_met_needs_information() -> None:
    facts = replace(ALL_MET, area_name=None, area_is_served=False)

    assert evaluate(facts).outcome is Outcome.NEEDS_INFORMATION


def test_missing_lists_every_ask_in_criterion_order() -> None:
    facts = replace(
        ALL_MET,
        area_name=None,
        area_is_served=False,
        referred_child=replace(ALL_MET.referred_child, date_of_birth=None),
        assessment=None,
    )

    decision = evaluate(facts)

    assert decision.missing == (
        "the area the family lives in",
        "the referred child's date of birth",
        "the CAF or equivalent early-help assessment: its type, date and whether it shows "
        "active concerns about neglectful parenting",
    )
    unknowns = [r for r in decision.results if r.result is Result.UNKNOWN]
    assert [r.ask_for for r in unknowns] == list(decision.missing)


def test_every_reason_is_a_sentence() -> None:
    for result in evaluate(ALL_MET).results:
        assert result.reason[0].isupper()
        assert result.reason.endswith(".")


# --- 1. Area served ------------------------------------------------------------------------


def test_area_served_is_met() -> None:
    result = _check(ALL_MET, Criterion.AREA_SERVED)

    assert result.result is Result.MET
    assert "Sheffield" in result.reason


def test_area_not_served_is_not_eligible() -> None:
    facts = replace(ALL_MET, area_name="Leeds", area_is_served=False)

    decision = evaluate(facts)

    assert decision.outcome is Outcome.NOT_ELIGIBLE
    assert _result(decision, Criterion.AREA_SERVED).reason == (
        "Leeds is not one of the eight areas the service covers: Belfast, Cardiff, Glasgow, "
        "Grimsby, Hull, Peterborough, Sheffield and Southampton."
    )


def test_area_served_without_a_name_is_met() -> None:
    result = _check(replace(ALL_MET, area_name=None), Criterion.AREA_SERVED)

    assert result.result is Result.MET


def test_area_missing_needs_information() -> None:
    facts = replace(ALL_MET, area_name=None, area_is_served=False)

    result = _check(facts, Criterion.AREA_SERVED)

    assert result.result is Result.UNKNOWN
    assert result.ask_for == "the area the family lives in"


# --- 2. Child's age ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_of_birth", "referral_on", "expected"),
    [
        pytest.param(date(2024, 3, 12), date(2026, 3, 12), Result.MET, id="2nd-birthday"),
        pytest.param(date(2024, 3, 13), date(2026, 3, 12), Result.NOT_MET, id="day-before-2nd"),
        pytest.param(date(2013, 3, 13), date(2026, 3, 12), Result.MET, id="day-before-13th"),
        pytest.param(date(2013, 3, 12), date(2026, 3, 12), Result.NOT_MET, id="13th-birthday"),
        pytest.param(date(2016, 5, 3), date(2026, 3, 12), Result.MET, id="aged-9"),
        pytest.param(date(2016, 2, 29), date(2018, 2, 28), Result.NOT_MET, id="leap-28-feb"),
        pytest.param(date(2016, 2, 29), date(2018, 3, 1), Result.MET, id="leap-1-mar"),
        pytest.param(date(2016, 2, 29), date(2029, 2, 28), Result.MET, id="leap-before-13th"),
        pytest.param(date(2016, 2, 29), date(2029, 3, 1), Result.NOT_MET, id="leap-13th"),
        pytest.param(date(2026, 3, 13), date(2026, 3, 12), Result.NOT_MET, id="born-after"),
        pytest.param(date(2026, 3, 12), date(2026, 3, 12), Result.NOT_MET, id="born-that-day"),
    ],
)
def test_child_age_boundaries(date_of_birth: date, referral_on: date, expected: Result) -> None:
    facts = replace(
        ALL_MET,
        referral_on=referral_on,
        referred_child=replace(ALL_MET.referred_child, date_of_birth=date_of_birth),
    )

    result = _check(facts, Criterion.CHILD_AGE)

    assert result.result is expected
    assert result.ask_for is None


def test_child_age_reason_names_birth_date_age_and_referral_date() -> None:
    result = _check(ALL_MET, Criterion.CHILD_AGE)

    assert result.reason == (
        "Born 3 May 2016, the referred child was 9 on the referral date, 12 March 2026."
    )


def test_child_age_13th_birthday_reason() -> None:
    facts = _with_referred(date_of_birth=date(2013, 3, 12))

    assert _check(facts, Criterion.CHILD_AGE).reason == (
        "Born 12 March 2013, the referred child was 13 on the referral date, 12 March 2026; "
        "the service is for children aged 2 to 12, and they turned 13 on 12 March 2026."
    )


def test_child_age_under_2_reason_says_when_they_turn_2() -> None:
    facts = _with_referred(date_of_birth=date(2016, 2, 29))
    facts = replace(facts, referral_on=date(2018, 2, 28))

    assert _check(facts, Criterion.CHILD_AGE).reason == (
        "Born 29 February 2016, the referred child was 1 on the referral date, 28 February "
        "2018; the service is for children aged 2 to 12, and they turn 2 on 1 March 2018."
    )


def test_child_born_after_referral_reason() -> None:
    facts = _with_referred(date_of_birth=date(2026, 4, 1))

    result = _check(facts, Criterion.CHILD_AGE)

    assert result.result is Result.NOT_MET
    assert "1 April 2026" in result.reason
    assert "after the referral date, 12 March 2026" in result.reason


def test_child_date_of_birth_missing_needs_information() -> None:
    decision = evaluate(_with_referred(date_of_birth=None))

    result = _result(decision, Criterion.CHILD_AGE)
    assert decision.outcome is Outcome.NEEDS_INFORMATION
    assert result.result is Result.UNKNOWN
    assert result.ask_for == "the referred child's date of birth"
    assert "12 March 2026" in result.reason


@pytest.mark.parametrize(
    ("date_of_birth", "on", "expected"),
    [
        (date(2016, 5, 3), date(2026, 5, 2), 9),
        (date(2016, 5, 3), date(2026, 5, 3), 10),
        (date(2016, 2, 29), date(2017, 2, 28), 0),
        (date(2016, 2, 29), date(2017, 3, 1), 1),
        (date(2016, 2, 29), date(2020, 2, 28), 3),
        (date(2016, 2, 29), date(2020, 2, 29), 4),
        (date(2016, 2, 29), date(2016, 2, 29), 0),
    ],
)
def test_age_on(date_of_birth: date, on: date, expected: int) -> None:
    assert age_on(date_of_birth, on) == expected


def test_age_on_before_birth_raises() -> None:
    with pytest.raises(ValueError, match="before the date of birth"):
        age_on(date(2020, 1, 2), date(2020, 1, 1))


@pytest.mark.parametrize(
    ("date_of_birth", "year", "expected"),
    [
        (date(2016, 2, 29), 2018, date(2018, 3, 1)),
        (date(2016, 2, 29), 2020, date(2020, 2, 29)),
        (date(2016, 2, 28), 2018, date(2018, 2, 28)),
        (date(2016, 3, 1), 2018, date(2018, 3, 1)),
    ],
)
def test_birthday_in_year(date_of_birth: date, year: int, expected: date) -> None:
    assert birthday_in_year(date_of_birth, year) == expected


# --- 3. Early-help assessment --------------------------------------------------------------


def test_assessment_with_concerns_before_referral_is_met() -> None:
    result = _check(ALL_MET, Criterion.EARLY_HELP_ASSESSMENT)

    assert result.result is Result.MET
    assert result.reason == (
        "The Early Help Assessment of 2 February 2026 shows active concerns about neglectful "
        "parenting and was completed by the referral date, 12 March 2026."
    )


def test_assessment_of_unrecorded_type_is_judged_on_date_and_concerns() -> None:
    facts = replace(ALL_MET, assessment=replace(ASSESSMENT, kind_label=None))

    result = _check(facts, Criterion.EARLY_HELP_ASSESSMENT)

    assert result.result is Result.MET
    assert result.reason.startswith("The early-help assessment of 2 February 2026 ")


def test_assessment_on_referral_date_is_met() -> None:
    facts = replace(ALL_MET, assessment=replace(ASSESSMENT, completed_on=REFERRAL_ON))

    assert _check(facts, Criterion.EARLY_HELP_ASSESSMENT).result is Result.MET


def test_assessment_without_neglect_concerns_is_not_met() -> None:
    facts = replace(ALL_MET, assessment=replace(ASSESSMENT, shows_neglect_concerns=Tristate.NO))

    decision = evaluate(facts)

    assert decision.outcome is Outcome.NOT_ELIGIBLE
    assert _result(decision, Criterion.EARLY_HELP_ASSESSMENT).reason == (
        "The Early Help Assessment of 2 February 2026 does not show active concerns about "
        "neglectful parenting."
    )


def test_assessment_dated_after_referral_is_not_met() -> None:
    late = REFERRAL_ON + ONE_DAY
    facts = replace(ALL_MET, assessment=replace(ASSESSMENT, completed_on=late))

    result = _check(facts, Criterion.EARLY_HELP_ASSESSMENT)

    assert result.result is Result.NOT_MET
    assert "13 March 2026" in result.reason
    assert "12 March 2026" in result.reason


def test_assessment_date_missing_needs_information() -> None:
    facts = replace(ALL_MET, assessment=replace(ASSESSMENT, completed_on=None))

    result = _check(facts, Criterion.EARLY_HELP_ASSESSMENT)

    assert result.result is Result.UNKNOWN
    assert result.ask_for == "the date the Early Help Assessment was completed"


def test_assessment_concerns_unknown_needs_information() -> None:
    assessment = replace(ASSESSMENT, kind_label="UNOCINI", shows_neglect_concerns=Tristate.UNKNOWN)

    result = _check(replace(ALL_MET, assessment=assessment), Criterion.EARLY_HELP_ASSESSMENT)

    assert result.result is Result.UNKNOWN
    assert result.ask_for == (
        "whether the UNOCINI assessment shows active concerns about neglectful parenting"
    )


def test_no_assessment_needs_information_with_ask() -> None:
    decision = evaluate(replace(ALL_MET, assessment=None))

    result = _result(decision, Criterion.EARLY_HELP_ASSESSMENT)
    assert decision.outcome is Outcome.NEEDS_INFORMATION
    assert result.result is Result.UNKNOWN
    assert result.ask_for == (
        "the CAF or equivalent early-help assessment: its type, date and whether it shows "
        "active concerns about neglectful parenting"
    )


def test_blank_assessment_is_treated_as_none() -> None:
    blank = AssessmentFact(
        kind_label=None, completed_on=None, shows_neglect_concerns=Tristate.UNKNOWN
    )

    with_blank = _check(replace(ALL_MET, assessment=blank), Criterion.EARLY_HELP_ASSESSMENT)
    with_none = _check(replace(ALL_MET, assessment=None), Criterion.EARLY_HELP_ASSESSMENT)

    assert with_blank == with_none


# --- 4. Care proceedings -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("referred", "sibling", "expected"),
    [
        (Proceedings.NONE, Proceedings.NONE, Result.MET),
        (Proceedings.CONCLUDED, Proceedings.NONE, Result.MET),
        (Proceedings.NONE, Proceedings.CONCLUDED, Result.MET),
        (Proceedings.UNDER_WAY, Proceedings.NONE, Result.NOT_MET),
        (Proceedings.NONE, Proceedings.UNDER_WAY, Result.NOT_MET),
        (Proceedings.UNKNOWN, Proceedings.UNDER_WAY, Result.NOT_MET),
        (Proceedings.UNKNOWN, Proceedings.NONE, Result.UNKNOWN),
        (Proceedings.NONE, Proceedings.UNKNOWN, Result.UNKNOWN),
    ],
)
def test_care_proceedings(referred: Proceedings, sibling: Proceedings, expected: Result) -> None:
    facts = replace(
        ALL_MET,
        referred_child=replace(ALL_MET.referred_child, care_proceedings=referred),
        other_children=(_sibling(care_proceedings=sibling),),
    )

    assert _check(facts, Criterion.CARE_PROCEEDINGS).result is expected


def test_care_proceedings_under_way_for_sibling_names_them() -> None:
    facts = _with_sibling(_sibling(care_proceedings=Proceedings.UNDER_WAY))

    decision = evaluate(facts)

    assert decision.outcome is Outcome.NOT_ELIGIBLE
    assert _result(decision, Criterion.CARE_PROCEEDINGS).reason == (
        "As at the referral date, 12 March 2026, care proceedings are under way for sibling 1."
    )


def test_care_proceedings_unknown_needs_information() -> None:
    facts = _with_referred(care_proceedings=Proceedings.UNKNOWN)

    decision = evaluate(facts)

    result = _result(decision, Criterion.CARE_PROCEEDINGS)
    assert decision.outcome is Outcome.NEEDS_INFORMATION
    assert result.ask_for == "whether care proceedings are under way for the referred child"


def test_care_proceedings_concluded_is_mentioned() -> None:
    facts = _with_sibling(_sibling(care_proceedings=Proceedings.CONCLUDED))

    result = _check(facts, Criterion.CARE_PROCEEDINGS)

    assert result.result is Result.MET
    assert "care proceedings for sibling 1 have concluded" in result.reason


# --- 5. Referred child never on a plan -----------------------------------------------------


def test_referred_child_never_on_plan_is_met() -> None:
    result = _check(ALL_MET, Criterion.CHILD_NEVER_ON_PLAN)

    assert result.result is Result.MET
    assert "12 March 2026" in result.reason


def test_referred_child_with_past_plan_is_not_met() -> None:
    plan = PlanFact(started_on=date(2021, 4, 6), ended_on=date(2022, 1, 10), is_ongoing=False)
    facts = _with_referred(ever_on_plan=Tristate.YES, plans=(plan,))

    decision = evaluate(facts)

    result = _result(decision, Criterion.CHILD_NEVER_ON_PLAN)
    assert decision.outcome is Outcome.NOT_ELIGIBLE
    assert result.result is Result.NOT_MET
    assert "6 April 2021" in result.reason


def test_referred_child_on_plan_without_dates_is_not_met() -> None:
    facts = _with_referred(ever_on_plan=Tristate.YES, plans=())

    assert _check(facts, Criterion.CHILD_NEVER_ON_PLAN).result is Result.NOT_MET


def test_referred_child_ongoing_plan_is_not_met() -> None:
    plan = PlanFact(started_on=None, ended_on=None, is_ongoing=True)
    facts = _with_referred(ever_on_plan=Tristate.YES, plans=(plan,))

    result = _check(facts, Criterion.CHILD_NEVER_ON_PLAN)

    assert result.result is Result.NOT_MET
    assert "ongoing" in result.reason


@pytest.mark.parametrize(
    ("started_on", "expected"),
    [
        pytest.param(REFERRAL_ON, Result.NOT_MET, id="starts-on-referral-date"),
        pytest.param(REFERRAL_ON + ONE_DAY, Result.MET, id="starts-after-referral-date"),
    ],
)
def test_referred_child_plan_starting_after_referral(started_on: date, expected: Result) -> None:
    plan = PlanFact(started_on=started_on, ended_on=None, is_ongoing=True)
    facts = _with_referred(ever_on_plan=Tristate.YES, plans=(plan,))

    assert _check(facts, Criterion.CHILD_NEVER_ON_PLAN).result is expected


def test_referred_child_plan_unknown_needs_information() -> None:
    decision = evaluate(_with_referred(ever_on_plan=Tristate.UNKNOWN))

    result = _result(decision, Criterion.CHILD_NEVER_ON_PLAN)
    assert decision.outcome is Outcome.NEEDS_INFORMATION
    assert result.result is Result.UNKNOWN
    assert result.ask_for == (
        "whether the referred child is now, or has ever been, the subject of a child "
        "protection plan"
    )


def test_recorded_plan_outweighs_a_no_answer() -> None:
    plan = _ended(date(2020, 1, 1), started_on=date(2019, 1, 1))
    facts = _with_referred(ever_on_plan=Tristate.NO, plans=(plan,))

    assert _check(facts, Criterion.CHILD_NEVER_ON_PLAN).result is Result.NOT_MET


# --- 6. Other children: no plan in the two years before the referral -----------------------


def test_window_start_is_same_date_two_years_earlier() -> None:
    assert two_year_window_start(REFERRAL_ON) == WINDOW_START


def test_window_start_for_leap_day_referral() -> None:
    assert two_year_window_start(date(2024, 2, 29)) == date(2022, 2, 28)


@pytest.mark.parametrize(
    ("plan", "expected"),
    [
        pytest.param(_ended(WINDOW_START - ONE_DAY), Result.MET, id="ended-W-minus-1"),
        pytest.param(_ended(WINDOW_START), Result.NOT_MET, id="ended-on-W"),
        pytest.param(_ended(WINDOW_START + ONE_DAY), Result.NOT_MET, id="ended-W-plus-1"),
        pytest.param(_ended(REFERRAL_ON), Result.NOT_MET, id="ended-on-referral-date"),
        pytest.param(_ended(REFERRAL_ON + ONE_DAY), Result.NOT_MET, id="ended-after-referral"),
        pytest.param(
            PlanFact(started_on=date(2025, 9, 1), ended_on=None, is_ongoing=True),
            Result.NOT_MET,
            id="ongoing",
        ),
        pytest.param(
            PlanFact(started_on=None, ended_on=None, is_ongoing=True),
            Result.NOT_MET,
            id="ongoing-start-unknown",
        ),
        pytest.param(
            PlanFact(started_on=REFERRAL_ON, ended_on=None, is_ongoing=True),
            Result.NOT_MET,
            id="starts-on-referral-date",
        ),
        pytest.param(
            PlanFact(started_on=REFERRAL_ON + ONE_DAY, ended_on=None, is_ongoing=True),
            Result.MET,
            id="starts-after-referral",
        ),
        pytest.param(_ended(None), Result.UNKNOWN, id="end-unknown"),
    ],
)
def test_sibling_plan_boundaries(plan: PlanFact, expected: Result) -> None:
    facts = _with_sibling(_sibling(ever_on_plan=Tristate.YES, plans=(plan,)))

    result = _check(facts, Criterion.SIBLINGS_NO_RECENT_PLAN)

    assert result.result is expected
    assert (result.ask_for is not None) is (expected is Result.UNKNOWN)


def test_sibling_plan_window_on_leap_day_referral() -> None:
    referral_on = date(2024, 2, 29)
    inside = _ended(date(2022, 2, 28), started_on=date(2021, 1, 1))
    outside = _ended(date(2022, 2, 27), started_on=date(2021, 1, 1))

    def check(plan: PlanFact) -> Result:
        facts = replace(
            _with_sibling(_sibling(ever_on_plan=Tristate.YES, plans=(plan,))),
            referral_on=referral_on,
        )
        return _check(facts, Criterion.SIBLINGS_NO_RECENT_PLAN).result

    assert check(inside) is Result.NOT_MET
    assert check(outside) is Result.MET


def test_sibling_plan_ended_on_window_start_reason_names_dates() -> None:
    facts = _with_sibling(_sibling(ever_on_plan=Tristate.YES, plans=(_ended(WINDOW_START),)))

    decision = evaluate(facts)

    assert decision.outcome is Outcome.NOT_ELIGIBLE
    assert _result(decision, Criterion.SIBLINGS_NO_RECENT_PLAN).reason == (
        "Sibling 1's child protection plan ended on 12 March 2024, within the two years: a "
        "plan counts if it was ongoing or ended in the two years before the referral date, "
        "12 March 2026 (from 12 March 2024)."
    )


def test_sibling_plan_ended_before_window_reason_names_dates() -> None:
    plan = _ended(WINDOW_START - ONE_DAY)
    facts = _with_sibling(_sibling(ever_on_plan=Tristate.YES, plans=(plan,)))

    result = _check(facts, Criterion.SIBLINGS_NO_RECENT_PLAN)

    assert "11 March 2024" in result.reason
    assert "12 March 2026" in result.reason


def test_sibling_plan_with_unknown_end_needs_information() -> None:
    facts = _with_sibling(_sibling(ever_on_plan=Tristate.YES, plans=(_ended(None),)))

    decision = evaluate(facts)

    result = _result(decision, Criterion.SIBLINGS_NO_RECENT_PLAN)
    assert decision.outcome is Outcome.NEEDS_INFORMATION
    assert result.ask_for == (
        "the end date of sibling 1's child protection plan, or whether it is still ongoing"
    )


def test_sibling_on_plan_with_no_dates_needs_information() -> None:
    facts = _with_sibling(_sibling(ever_on_plan=Tristate.YES, plans=()))

    result = _check(facts, Criterion.SIBLINGS_NO_RECENT_PLAN)

    assert result.result is Result.UNKNOWN
    assert result.ask_for is not None
    assert "end date of sibling 1's child protection plan" in result.ask_for


def test_sibling_plan_unknown_needs_information() -> None:
    facts = _with_sibling(_sibling(ever_on_plan=Tristate.UNKNOWN))

    result = _check(facts, Criterion.SIBLINGS_NO_RECENT_PLAN)

    assert result.result is Result.UNKNOWN
    assert result.ask_for is not None
    assert "sibling 1" in result.ask_for


def test_asks_for_every_sibling_with_unknown_plans() -> None:
    first = _sibling(ever_on_plan=Tristate.UNKNOWN)
    second = replace(_sibling(ever_on_plan=Tristate.YES, plans=(_ended(None),)), label="sibling 2")
    facts = replace(ALL_MET, other_children=(first, second))

    assert evaluate(facts).missing == (
        "whether sibling 1 has been the subject of a child protection plan and, if so, when "
        "it ended; the end date of sibling 2's child protection plan, or whether it is still "
        "ongoing",
    )


def test_one_recent_plan_outweighs_another_sibling_unknown() -> None:
    recent = replace(_sibling(ever_on_plan=Tristate.YES, plans=(_ended(WINDOW_START),)))
    unknown = replace(_sibling(ever_on_plan=Tristate.UNKNOWN), label="sibling 2")
    facts = replace(ALL_MET, other_children=(recent, unknown))

    assert _check(facts, Criterion.SIBLINGS_NO_RECENT_PLAN).result is Result.NOT_MET


def test_no_other_children_is_met() -> None:
    facts = replace(ALL_MET, other_children=())

    result = _check(facts, Criterion.SIBLINGS_NO_RECENT_PLAN)

    assert result.result is Result.MET
    assert result.reason.startswith("No other children are recorded in the family")


def test_plans_of_the_referred_child_do_not_count_as_siblings() -> None:
    plan = _ended(WINDOW_START)
    facts = replace(
        _with_referred(ever_on_plan=Tristate.YES, plans=(plan,)),
        other_children=(),
    )

    assert _check(facts, Criterion.SIBLINGS_NO_RECENT_PLAN).result is Result.MET


# --- JSON snapshots ------------------------------------------------------------------------


def _full_facts() -> ReferralFacts:
    plan = PlanFact(started_on=date(2023, 1, 5), ended_on=date(2023, 9, 30), is_ongoing=False)
    return replace(
        ALL_MET,
        other_children=(_sibling(ever_on_plan=Tristate.YES, plans=(plan,)),),
    )


def test_facts_to_dict_is_json_safe_with_iso_dates() -> None:
    facts = _full_facts()

    snapshot = facts_to_dict(facts)

    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot["referral_on"] == "2026-03-12"
    assert snapshot["area_name"] == "Sheffield"
    assert snapshot["referred_child"] == {
        "label": "the referred child",
        "date_of_birth": "2016-05-03",
        "ever_on_plan": "no",
        "plans": [],
        "care_proceedings": "none",
    }
    assert snapshot["other_children"] == [
        {
            "label": "sibling 1",
            "date_of_birth": "2012-01-20",
            "ever_on_plan": "yes",
            "plans": [{"started_on": "2023-01-05", "ended_on": "2023-09-30", "is_ongoing": False}],
            "care_proceedings": "none",
        }
    ]
    assert snapshot["assessment"] == {
        "kind_label": "Early Help Assessment",
        "completed_on": "2026-02-02",
        "shows_neglect_concerns": "yes",
    }


def test_facts_to_dict_round_trips_dates() -> None:
    snapshot = json.loads(json.dumps(facts_to_dict(ALL_MET)))

    assert date.fromisoformat(snapshot["referral_on"]) == ALL_MET.referral_on
    assert (
        date.fromisoformat(snapshot["referred_child"]["date_of_birth"])
        == ALL_MET.referred_child.date_of_birth
    )
    assert date.fromisoformat(snapshot["assessment"]["completed_on"]) == ASSESSMENT.completed_on


def test_facts_to_dict_keeps_unknowns_as_null() -> None:
    facts = replace(
        _with_referred(date_of_birth=None), area_name=None, area_is_served=False, assessment=None
    )

    snapshot = json.loads(json.dumps(facts_to_dict(facts)))

    assert snapshot["area_name"] is None
    assert snapshot["assessment"] is None
    assert snapshot["referred_child"]["date_of_birth"] is None


def test_decision_to_dict_is_json_safe() -> None:
    decision = evaluate(replace(ALL_MET, assessment=None))

    snapshot = decision_to_dict(decision)

    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot["outcome"] == "needs_information"
    assert snapshot["rules_version"] == RULES_VERSION
    assert snapshot["missing"] == list(decision.missing)
    results = snapshot["results"]
    assert isinstance(results, list)
    assert [r["criterion"] for r in results] == [c.value for c in Criterion]
    assert results[2] == {
        "criterion": "early_help_assessment",
        "result": "unknown",
        "reason": _result(decision, Criterion.EARLY_HELP_ASSESSMENT).reason,
        "ask_for": decision.missing[0],
    }
