"""GAD-7 scoring against hand calculation: the sum, every band boundary, prorating one
missing item, incomplete at two."""

from decimal import Decimal

import pytest

from ipip.questionnaires.instruments.gad7 import GAD7
from ipip.questionnaires.instruments.scoring import ScaleResult, score_items


def total(values: list[int | None]) -> ScaleResult:
    assert len(values) == 7
    return score_items(GAD7, dict(enumerate(values, start=1))).scale("total")


def band(result: ScaleResult) -> str | None:
    return result.band.code if result.band else None


def test_the_total_is_the_sum_of_the_seven_items() -> None:
    # 1+1+2+0+1+0+0 = 5: mild (5-9)
    result = total([1, 1, 2, 0, 1, 0, 0])
    assert (result.value, band(result)) == (Decimal(5), "mild")


@pytest.mark.parametrize(
    ("values", "expected", "expected_band"),
    [
        ([0] * 7, 0, "minimal"),
        ([1, 1, 1, 1, 0, 0, 0], 4, "minimal"),  # 4: last minimal
        ([1, 1, 1, 1, 1, 0, 0], 5, "mild"),  # 5: first mild
        ([2, 2, 1, 1, 1, 1, 1], 9, "mild"),  # 4 + 5 = 9: last mild
        ([2, 2, 2, 1, 1, 1, 1], 10, "moderate"),  # 6 + 4 = 10: first moderate
        ([2, 2, 2, 2, 2, 2, 2], 14, "moderate"),  # 2 x 7 = 14
        ([3, 2, 2, 2, 2, 2, 2], 15, "severe"),  # 3 + 12 = 15
        ([3] * 7, 21, "severe"),  # 3 x 7 = 21
    ],
)
def test_band_boundaries(values: list[int | None], expected: int, expected_band: str) -> None:
    result = total(values)
    assert result.value == Decimal(expected)
    assert band(result) == expected_band


def test_one_missing_item_is_prorated_and_halves_round_up() -> None:
    # item 7 missing; 2+2+2+1+1+1 = 9 from 6 items
    # 9 x 7/6 = 10.5 -> 11 (halves up; half-to-even would give 10)
    result = total([2, 2, 2, 1, 1, 1, None])
    assert result.value == Decimal(11)
    assert band(result) == "moderate"
    assert (result.answered, result.missing, result.prorated) == (6, 1, True)


def test_two_missing_items_leave_the_total_incomplete() -> None:
    result = total([3, 3, 3, 3, 3, None, None])
    assert result.value is None
    assert band(result) is None


def test_gad7_has_no_risk_item() -> None:
    assert score_items(GAD7, dict(enumerate([3] * 7, start=1))).risks == ()
