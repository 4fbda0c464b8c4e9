"""WEMWBS and SWEMWBS scoring against hand calculation: the WEMWBS sum and its missing-item
rule; the SWEMWBS raw-to-metric conversion (every row of the Warwick table, copied here
from keys.md §3.2) and its need for all seven items."""

from collections.abc import Sequence
from decimal import Decimal

import pytest

from ipip.questionnaires.instruments.scoring import ScaleResult, score_items
from ipip.questionnaires.instruments.swemwbs import SWEMWBS
from ipip.questionnaires.instruments.wemwbs import WEMWBS


def wemwbs(values: Sequence[int | None]) -> ScaleResult:
    assert len(values) == 14
    return score_items(WEMWBS, dict(enumerate(values, start=1))).scale("total")


def swemwbs(values: Sequence[int | None]) -> ScaleResult:
    assert len(values) == 7
    return score_items(SWEMWBS, dict(enumerate(values, start=1))).scale("total")


def test_wemwbs_is_the_sum_of_14_items_from_14_to_70() -> None:
    assert wemwbs([1] * 14).value == Decimal(14)  # 1 x 14
    assert wemwbs([5] * 14).value == Decimal(70)  # 5 x 14
    # 3 x 7 + 4 x 7 = 21 + 28 = 49
    result = wemwbs([3, 4] * 7)
    assert result.value == Decimal(49)
    assert result.band is None  # WEMWBS has no bands


def test_wemwbs_prorates_one_missing_item() -> None:
    # item 14 missing; 3 x 7 + 4 x 6 = 45 from 13 items; 45 x 14/13 = 48.46 -> 48
    result = wemwbs([3, 4] * 6 + [3, None])
    assert result.value == Decimal(48)
    assert (result.answered, result.missing, result.prorated) == (13, 1, True)


def test_wemwbs_with_two_missing_items_is_incomplete() -> None:
    assert wemwbs([4] * 12 + [None, None]).value is None


# keys.md §3.2: the Warwick SWEMWBS conversion table (raw 7-35 -> metric).
WARWICK_TABLE = {
    7: "7.00", 8: "9.51", 9: "11.25", 10: "12.40", 11: "13.33", 12: "14.08", 13: "14.75",
    14: "15.32", 15: "15.84", 16: "16.36", 17: "16.88", 18: "17.43", 19: "17.98",
    20: "18.59", 21: "19.25", 22: "19.98", 23: "20.73", 24: "21.54", 25: "22.35",
    26: "23.21", 27: "24.11", 28: "25.03", 29: "26.02", 30: "27.03", 31: "28.13",
    32: "29.31", 33: "30.70", 34: "32.55", 35: "35.00",
}  # fmt: skip


def answers_summing_to(raw: int) -> list[int | None]:
    """Seven answers 1-5 that add up to `raw` (fill from item 1 upwards)."""
    values: list[int | None] = []
    left = raw
    for remaining in range(7, 0, -1):
        value = min(5, left - (remaining - 1))
        values.append(value)
        left -= value
    assert sum(v for v in values if v is not None) == raw
    return values


@pytest.mark.parametrize(("raw", "metric"), sorted(WARWICK_TABLE.items()))
def test_swemwbs_converts_every_raw_score_with_the_warwick_table(raw: int, metric: str) -> None:
    result = swemwbs(answers_summing_to(raw))
    assert result.value == Decimal(metric)


def test_swemwbs_raw_29_is_metric_26_02() -> None:
    # 4 x 6 + 5 = 29 -> 26.02 (not 25.99, as one implementation has it)
    assert swemwbs([4, 4, 4, 4, 4, 4, 5]).value == Decimal("26.02")


def test_swemwbs_needs_all_seven_items() -> None:
    result = swemwbs([4, 4, 4, 4, 4, 4, None])
    assert result.value is None
    assert (result.answered, result.missing) == (6, 1)
    assert result.note == "Every item is needed for this score."
