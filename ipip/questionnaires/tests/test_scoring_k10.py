"""K10 scoring against hand calculation: items 1-5, the sum 10-50, every band boundary,
the very-high risk band (29 vs 30), prorating one missing item (PMHC-MDS rule)."""

from decimal import Decimal

import pytest

from ipip.questionnaires.instruments.k10 import K10
from ipip.questionnaires.instruments.scoring import AnswerError, ScaleResult, Scored, score_items


def scored(values: list[int | None]) -> Scored:
    assert len(values) == 10
    return score_items(K10, dict(enumerate(values, start=1)))


def band(result: ScaleResult) -> str | None:
    return result.band.code if result.band else None


def test_the_total_is_the_sum_of_items_scored_1_to_5() -> None:
    # 1+2+1+1+2+1+1+2+1+1 = 13: low (10-15)
    result = scored([1, 2, 1, 1, 2, 1, 1, 2, 1, 1]).scale("total")
    assert (result.value, band(result)) == (Decimal(13), "low")


@pytest.mark.parametrize(
    ("values", "expected", "expected_band"),
    [
        ([1] * 10, 10, "low"),  # 1 x 10 = 10: the lowest score
        ([2, 2, 2, 2, 2, 1, 1, 1, 1, 1], 15, "low"),  # 10 + 5 = 15: last low
        ([2, 2, 2, 2, 2, 2, 1, 1, 1, 1], 16, "moderate"),  # 12 + 4 = 16: first moderate
        ([3, 2, 2, 2, 2, 2, 2, 2, 2, 2], 21, "moderate"),  # 3 + 18 = 21: last moderate
        ([3, 3, 2, 2, 2, 2, 2, 2, 2, 2], 22, "high"),  # 6 + 16 = 22: first high
        ([3, 3, 3, 3, 3, 3, 3, 3, 3, 2], 29, "high"),  # 27 + 2 = 29: last high
        ([3] * 10, 30, "very_high"),  # 3 x 10 = 30: first very high
        ([5] * 10, 50, "very_high"),  # 5 x 10 = 50: the highest score
    ],
)
def test_band_boundaries(values: list[int | None], expected: int, expected_band: str) -> None:
    result = scored(values).scale("total")
    assert result.value == Decimal(expected)
    assert band(result) == expected_band


def test_29_raises_no_risk_flag() -> None:
    assert scored([3, 3, 3, 3, 3, 3, 3, 3, 3, 2]).risks == ()


def test_30_is_very_high_and_a_risk_flag() -> None:
    risks = scored([3] * 10).risks
    assert [risk.code for risk in risks] == ["band_total_very_high"]
    assert risks[0].message == "K10 psychological distress score in the very high band."


def test_one_missing_item_is_prorated_as_the_pmhc_rule_says() -> None:
    # item 10 missing; 3 x 9 = 27 from 9 items; round(27 / 9 x 10) = 30: very high, flagged
    result = scored([3, 3, 3, 3, 3, 3, 3, 3, 3, None])
    assert result.scale("total").value == Decimal(30)
    assert result.scale("total").prorated
    assert [risk.code for risk in result.risks] == ["band_total_very_high"]


def test_a_prorated_total_rounds_to_the_nearest_whole_number() -> None:
    # item 1 missing; 2+2+2+2+2+2+3+3+2 = 20 from 9; 20 x 10/9 = 22.22 -> 22: high
    result = scored([None, 2, 2, 2, 2, 2, 2, 3, 3, 2]).scale("total")
    assert (result.value, band(result)) == (Decimal(22), "high")
    # item 1 missing; 26 from 9 (3 x 8 + 2); 26 x 10/9 = 28.89 -> 29: high, no flag
    almost = scored([None, 3, 3, 3, 3, 3, 3, 3, 3, 2])
    assert almost.scale("total").value == Decimal(29)
    assert almost.risks == ()


def test_two_missing_items_leave_the_total_incomplete_and_no_flag() -> None:
    result = scored([5, 5, 5, 5, 5, 5, 5, 5, None, None])
    assert result.scale("total").value is None
    assert result.risks == ()


def test_0_is_not_a_k10_answer() -> None:
    with pytest.raises(AnswerError) as raised:
        scored([0, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    assert raised.value.errors == {
        "item_1": "Item 1: 0 is not an answer to this item; choose one of 1, 2, 3, 4, 5."
    }
