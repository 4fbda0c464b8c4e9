"""PHQ-9 scoring against hand calculation: the sum, every band boundary, prorating one
missing item, incomplete at two, and the item 9 risk flag."""

from decimal import Decimal

import pytest

from ipip.questionnaires.instruments.phq9 import PHQ9
from ipip.questionnaires.instruments.scoring import ScaleResult, score_items


def total(values: list[int | None]) -> ScaleResult:
    assert len(values) == 9
    return score_items(PHQ9, dict(enumerate(values, start=1))).scale("total")


def band(result: ScaleResult) -> str | None:
    return result.band.code if result.band else None


def test_the_total_is_the_sum_of_the_nine_items() -> None:
    # 1+2+1+2+1+0+1+0+0 = 8: mild (5-9)
    result = total([1, 2, 1, 2, 1, 0, 1, 0, 0])
    assert (result.value, band(result)) == (Decimal(8), "mild")
    assert (result.answered, result.missing, result.prorated) == (9, 0, False)


@pytest.mark.parametrize(
    ("values", "expected", "expected_band"),
    [
        ([0] * 9, 0, "minimal"),
        ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "minimal"),  # 4: last minimal
        ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild"),  # 5: first mild
        ([1] * 9, 9, "mild"),  # 9: last mild
        ([2, 1, 1, 1, 1, 1, 1, 1, 1], 10, "moderate"),  # 10: first moderate
        ([2, 2, 2, 2, 2, 1, 1, 1, 1], 14, "moderate"),  # 5 x 2 + 4 x 1 = 14
        ([3, 2, 2, 2, 2, 1, 1, 1, 1], 15, "moderately_severe"),  # 3 + 8 + 4 = 15
        ([3, 3, 3, 2, 2, 2, 2, 1, 1], 19, "moderately_severe"),  # 9 + 8 + 2 = 19
        ([3, 3, 3, 3, 2, 2, 2, 1, 1], 20, "severe"),  # 12 + 6 + 2 = 20
        ([3] * 9, 27, "severe"),  # 3 x 9 = 27
    ],
)
def test_band_boundaries(values: list[int | None], expected: int, expected_band: str) -> None:
    result = total(values)
    assert result.value == Decimal(expected)
    assert band(result) == expected_band


def test_one_missing_item_is_prorated_and_halves_round_up() -> None:
    # item 9 missing; 1+1+1+1+0+0+0+0 = 4 from 8 items
    # 4 x 9/8 = 4.5 -> 5 (halves up; half-to-even would give 4): mild, not minimal
    result = total([1, 1, 1, 1, 0, 0, 0, 0, None])
    assert result.value == Decimal(5)
    assert band(result) == "mild"
    assert (result.answered, result.missing, result.prorated) == (8, 1, True)


def test_a_prorated_total_rounds_to_the_nearest_whole_number() -> None:
    # item 5 missing; 2+2+2+2+2+1+1+1 = 13 from 8 items; 13 x 9/8 = 14.625 -> 15
    result = total([2, 2, 2, 2, None, 2, 1, 1, 1])
    assert result.value == Decimal(15)
    assert band(result) == "moderately_severe"


def test_two_missing_items_leave_the_total_incomplete() -> None:
    result = total([3, 3, 3, 3, 3, 3, 3, None, None])
    assert result.value is None
    assert band(result) is None
    assert result.note == "2 items missing; at most 1 may be missing."


def test_item_9_answered_0_raises_no_risk_flag() -> None:
    scored = score_items(PHQ9, dict(enumerate([3, 3, 3, 3, 3, 3, 3, 3, 0], start=1)))
    assert scored.scale("total").value == Decimal(24)
    assert scored.risks == ()


def test_item_9_answered_1_raises_a_risk_flag_whatever_the_total() -> None:
    # 0 x 8 + 1 = 1: minimal, but item 9 is above 0
    scored = score_items(PHQ9, dict(enumerate([0, 0, 0, 0, 0, 0, 0, 0, 1], start=1)))
    assert scored.scale("total").value == Decimal(1)
    assert [risk.code for risk in scored.risks] == ["item_9"]
    assert scored.risks[0].message == "PHQ-9 item 9 answered 1 (above 0)."


def test_item_9_flags_even_when_the_total_is_incomplete() -> None:
    scored = score_items(PHQ9, {9: 2})
    assert scored.scale("total").value is None
    assert [risk.code for risk in scored.risks] == ["item_9"]


def test_a_missing_item_9_raises_no_flag() -> None:
    scored = score_items(PHQ9, dict(enumerate([1] * 8, start=1)))
    assert scored.risks == ()
