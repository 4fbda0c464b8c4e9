"""SDQ (scores only): entered subscale scores, total difficulties as their sum, every band
boundary of both forms, and the switch from the 2-4 to the 4-17 bands at 48 months."""

from decimal import Decimal

import pytest

from ipip.questionnaires.instruments.scoring import (
    AnswerError,
    ScaleResult,
    Scored,
    parse_entered,
    score_entered,
)
from ipip.questionnaires.instruments.sdq import SDQ

SCHOOL_AGE = 120  # 10 years: the 4-17 form
TODDLER = 30  # 2 years 6 months: the 2-4 form


def scored(age_months: int, **entered: str) -> Scored:
    return score_entered(SDQ, parse_entered(SDQ, entered), age_months=age_months)


def band(result: ScaleResult) -> str | None:
    return result.band.code if result.band else None


def test_total_difficulties_is_the_sum_of_the_four_difficulty_scales() -> None:
    # 4 + 3 + 6 + 2 = 15; prosocial and impact are not in it
    result = scored(
        SCHOOL_AGE,
        emotional="4",
        conduct="3",
        hyperactivity="6",
        peer="2",
        prosocial="9",
        impact="5",
    )
    assert result.scale("total").value == Decimal(15)
    assert result.scale("prosocial").value == Decimal(9)
    assert result.scale("impact").value == Decimal(5)
    assert result.risks == ()


def test_total_difficulties_is_missing_when_one_difficulty_scale_is_missing() -> None:
    result = scored(SCHOOL_AGE, emotional="4", conduct="3", hyperactivity="6", prosocial="9")
    assert result.scale("peer").value is None
    assert result.scale("total").value is None
    assert result.scale("total").band is None
    assert result.scale("total").note == "A scale it is made from is missing."


def test_impact_is_optional_and_has_no_bands() -> None:
    result = scored(SCHOOL_AGE, emotional="0", conduct="0", hyperactivity="0", peer="0")
    assert result.scale("total").value == Decimal(0)
    assert result.scale("impact").value is None
    assert scored(SCHOOL_AGE, impact="10").scale("impact").band is None


def test_the_bands_switch_from_the_2_4_form_to_the_4_17_form_at_48_months() -> None:
    entered = {
        "emotional": "4",
        "conduct": "4",
        "hyperactivity": "6",
        "peer": "2",
        "prosocial": "5",
    }
    at_47 = scored(47, **entered)  # 3 years 11 months: the 2-4 form
    at_48 = scored(48, **entered)  # 4 years exactly: the 4-17 form
    assert {r.form for r in at_47.scales if r.band} == {"2-4"}
    assert {r.form for r in at_48.scales if r.band} == {"4-17"}
    # emotional 4: abnormal at 2-4 (4+), borderline at 4-17 (4)
    assert (band(at_47.scale("emotional")), band(at_48.scale("emotional"))) == (
        "abnormal",
        "borderline",
    )
    # conduct 4: borderline at 2-4 (4), abnormal at 4-17 (4+)
    assert (band(at_47.scale("conduct")), band(at_48.scale("conduct"))) == (
        "borderline",
        "abnormal",
    )
    # total 4 + 4 + 6 + 2 = 16: abnormal at 2-4 (16+), borderline at 4-17 (14-16)
    assert at_47.scale("total").value == at_48.scale("total").value == Decimal(16)
    assert (band(at_47.scale("total")), band(at_48.scale("total"))) == (
        "abnormal",
        "borderline",
    )
    # prosocial 5: abnormal at 2-4 (0-5), borderline at 4-17 (5)
    assert (band(at_47.scale("prosocial")), band(at_48.scale("prosocial"))) == (
        "abnormal",
        "borderline",
    )


def form_at(age_months: int | None) -> str | None:
    band_set = SDQ.scale("emotional").bands_for(age_months)
    return band_set.form if band_set else None


def test_the_forms_cover_2_to_17_years_and_nothing_else() -> None:
    assert SDQ.child_age_months == (24, 216)
    assert [form_at(age) for age in (23, 24, 47, 48, 215, 216, None)] == [
        None,
        "2-4",
        "2-4",
        "4-17",
        "4-17",
        None,
        None,
    ]


# (scale, last score of a band, its band, first score of the next band, that band)
BOUNDARIES_4_17 = [
    ("emotional", 3, "normal", 4, "borderline"),
    ("emotional", 4, "borderline", 5, "abnormal"),
    ("conduct", 2, "normal", 3, "borderline"),
    ("conduct", 3, "borderline", 4, "abnormal"),
    ("hyperactivity", 5, "normal", 6, "borderline"),
    ("hyperactivity", 6, "borderline", 7, "abnormal"),
    ("peer", 2, "normal", 3, "borderline"),
    ("peer", 3, "borderline", 4, "abnormal"),
    ("prosocial", 4, "abnormal", 5, "borderline"),
    ("prosocial", 5, "borderline", 6, "normal"),
]
BOUNDARIES_2_4 = [
    ("emotional", 2, "normal", 3, "borderline"),
    ("emotional", 3, "borderline", 4, "abnormal"),
    ("conduct", 3, "normal", 4, "borderline"),
    ("conduct", 4, "borderline", 5, "abnormal"),
    ("hyperactivity", 5, "normal", 6, "borderline"),
    ("hyperactivity", 6, "borderline", 7, "abnormal"),
    ("peer", 2, "normal", 3, "borderline"),
    ("peer", 3, "borderline", 4, "abnormal"),
    ("prosocial", 5, "abnormal", 6, "borderline"),
    ("prosocial", 6, "borderline", 7, "normal"),
]


@pytest.mark.parametrize(
    ("age", "scale", "last", "last_band", "first", "first_band"),
    [(SCHOOL_AGE, *row) for row in BOUNDARIES_4_17] + [(TODDLER, *row) for row in BOUNDARIES_2_4],
)
def test_subscale_band_boundaries(
    age: int, scale: str, last: int, last_band: str, first: int, first_band: str
) -> None:
    assert band(scored(age, **{scale: str(last)}).scale(scale)) == last_band
    assert band(scored(age, **{scale: str(first)}).scale(scale)) == first_band


@pytest.mark.parametrize(
    ("age", "parts", "expected_band"),
    [
        (SCHOOL_AGE, (4, 3, 4, 2), "normal"),  # 13: last normal at 4-17
        (SCHOOL_AGE, (4, 3, 5, 2), "borderline"),  # 14: first borderline
        (SCHOOL_AGE, (5, 3, 6, 2), "borderline"),  # 16: last borderline
        (SCHOOL_AGE, (5, 4, 6, 2), "abnormal"),  # 17: first abnormal
        (SCHOOL_AGE, (10, 10, 10, 10), "abnormal"),  # 40: the highest
        (TODDLER, (3, 3, 4, 2), "normal"),  # 12: last normal at 2-4
        (TODDLER, (3, 4, 4, 2), "borderline"),  # 13: first borderline
        (TODDLER, (4, 4, 5, 2), "borderline"),  # 15: last borderline
        (TODDLER, (4, 4, 5, 3), "abnormal"),  # 16: first abnormal
        (TODDLER, (0, 0, 0, 0), "normal"),  # 0: the lowest
    ],
)
def test_total_difficulties_band_boundaries(
    age: int, parts: tuple[int, int, int, int], expected_band: str
) -> None:
    emotional, conduct, hyperactivity, peer = (str(part) for part in parts)
    result = scored(
        age, emotional=emotional, conduct=conduct, hyperactivity=hyperactivity, peer=peer
    ).scale("total")
    assert result.value == Decimal(sum(parts))
    assert band(result) == expected_band


def test_total_difficulties_cannot_be_typed_in() -> None:
    with pytest.raises(AnswerError) as raised:
        parse_entered(SDQ, {"total": "12"})
    assert raised.value.errors == {"scale_total": "SDQ has no score called total."}
