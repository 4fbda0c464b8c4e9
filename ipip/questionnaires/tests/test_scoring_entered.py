"""Scores typed in for the scores-only instruments other than the SDQ (Parenting Scale,
PCRI, GCP2), and the checks on what is typed: out of range, not a number, decimals where
whole numbers are needed, each error naming its field."""

from decimal import Decimal

import pytest

from ipip.questionnaires.instruments.base import Instrument
from ipip.questionnaires.instruments.gcp2 import GCP2
from ipip.questionnaires.instruments.parenting_scale import PARENTING_SCALE
from ipip.questionnaires.instruments.pcri import PCRI
from ipip.questionnaires.instruments.phq9 import PHQ9
from ipip.questionnaires.instruments.scoring import (
    AnswerError,
    parse_entered,
    score_entered,
    score_items,
)
from ipip.questionnaires.instruments.sdq import SDQ


def errors(instrument: Instrument, entered: dict[str, str | None]) -> dict[str, str]:
    with pytest.raises(AnswerError) as raised:
        parse_entered(instrument, entered)
    return raised.value.errors


def test_parenting_scale_means_are_entered_to_two_decimal_places() -> None:
    values = parse_entered(
        PARENTING_SCALE,
        {"laxness": "3.25", "over_reactivity": "2.80", "verbosity": "3.5", "total": "3.10"},
    )
    assert values == {
        "laxness": Decimal("3.25"),
        "over_reactivity": Decimal("2.8"),
        "verbosity": Decimal("3.5"),
        "total": Decimal("3.1"),
    }
    scored = score_entered(PARENTING_SCALE, values)
    assert [r.value for r in scored.scales] == [
        Decimal("3.25"),
        Decimal("2.8"),
        Decimal("3.5"),
        Decimal("3.1"),
    ]
    assert all(r.band is None for r in scored.scales)  # no verified cut-offs
    assert scored.risks == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3.456", "Laxness: use at most 2 decimal places."),
        ("7.01", "Laxness must be from 1 to 7."),
        ("0.99", "Laxness must be from 1 to 7."),
        ("three", "Laxness: enter a number."),
    ],
)
def test_parenting_scale_refuses_a_mean_it_cannot_be(text: str, message: str) -> None:
    assert errors(PARENTING_SCALE, {"laxness": text}) == {"scale_laxness": message}


@pytest.mark.parametrize(
    ("text", "value"), [("1", "1"), ("7.00", "7"), ("3.450", "3.45"), (" 2.5 ", "2.5")]
)
def test_parenting_scale_accepts_the_ends_and_trailing_zeros(text: str, value: str) -> None:
    parsed = parse_entered(PARENTING_SCALE, {"total": text})
    assert str(parsed["total"]) == value


def test_pcri_takes_seven_whole_t_scores() -> None:
    codes = [scale.code for scale in PCRI.scales]
    assert codes == [
        "support",
        "satisfaction",
        "involvement",
        "communication",
        "limit_setting",
        "autonomy",
        "role_orientation",
    ]
    values = parse_entered(PCRI, {code: str(40 + i) for i, code in enumerate(codes)})
    scored = score_entered(PCRI, values, age_months=72)
    assert [r.value for r in scored.scales] == [Decimal(40 + i) for i in range(7)]


@pytest.mark.parametrize(
    ("code", "text", "message"),
    [
        ("support", "9", "Parental support must be from 10 to 90."),
        ("autonomy", "91", "Autonomy must be from 10 to 90."),
        ("communication", "50.5", "Communication: enter a whole number."),
        ("involvement", "fifty", "Involvement: enter a number."),
    ],
)
def test_pcri_refuses_what_is_not_a_t_score(code: str, text: str, message: str) -> None:
    assert errors(PCRI, {code: text}) == {f"scale_{code}": message}


def test_gcp2_takes_the_four_area_grades_1_to_5() -> None:
    values = parse_entered(
        GCP2, {"physical": "1", "safety": "5", "emotional": "3", "developmental": "2.0"}
    )
    assert values == {
        "physical": Decimal(1),
        "safety": Decimal(5),
        "emotional": Decimal(3),
        "developmental": Decimal(2),
    }
    assert [r.value for r in score_entered(GCP2, values).scales] == [
        Decimal(1),
        Decimal(5),
        Decimal(3),
        Decimal(2),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "Physical care must be from 1 to 5."),
        ("6", "Physical care must be from 1 to 5."),
        ("2.5", "Physical care: enter a whole number."),
    ],
)
def test_gcp2_refuses_a_grade_outside_1_to_5(text: str, message: str) -> None:
    assert errors(GCP2, {"physical": text}) == {"scale_physical": message}


@pytest.mark.parametrize("text", ["1e1", "NaN", "Infinity", "4,5", "12.", "--1", "½", "٣"])
def test_only_plain_numbers_are_numbers(text: str) -> None:
    assert errors(SDQ, {"emotional": text}) == {
        "scale_emotional": "Emotional symptoms: enter a number."
    }


def test_a_whole_number_typed_with_a_decimal_point_is_stored_plainly() -> None:
    # "10.0" is 10 (Decimal.normalize() would give 1E+1, which must never be stored)
    parsed = parse_entered(SDQ, {"emotional": "10.0", "conduct": "-0"})
    assert str(parsed["emotional"]) == "10"
    assert str(parsed["conduct"]) == "0"


def test_every_wrong_field_is_named_at_once() -> None:
    assert errors(
        SDQ, {"emotional": "11", "conduct": "x", "peer": "2.5", "prosocial": "-1", "nonsense": "1"}
    ) == {
        "scale_emotional": "Emotional symptoms must be from 0 to 10.",
        "scale_conduct": "Conduct problems: enter a number.",
        "scale_peer": "Peer relationship problems: enter a whole number.",
        "scale_prosocial": "Prosocial behaviour must be from 0 to 10.",
        "scale_nonsense": "SDQ has no score called nonsense.",
    }


def test_blank_means_not_given() -> None:
    assert parse_entered(SDQ, {"emotional": "", "conduct": "   ", "peer": None}) == {}


def test_scores_are_not_typed_in_for_an_items_instrument_and_the_reverse() -> None:
    assert errors(PHQ9, {"total": "12"}) == {"instrument": "PHQ-9 is entered item by item."}
    with pytest.raises(AnswerError) as raised:
        score_items(SDQ, {1: 2})
    assert raised.value.errors == {"instrument": "SDQ is scored on paper: enter scores."}
