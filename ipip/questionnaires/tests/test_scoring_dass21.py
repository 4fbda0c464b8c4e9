"""DASS-21 scoring against hand calculation: three subscales, sum x 2, severity bands,
prorating one missing item, the depression risk band.

The keys are written out here from the DASS scoring template, not imported, so a wrong key
in the instrument module fails these tests.
"""

from decimal import Decimal

import pytest

from ipip.questionnaires.instruments.dass21 import DASS21
from ipip.questionnaires.instruments.scoring import ScaleResult, band_for, score_items

DEPRESSION = (3, 5, 10, 13, 16, 17, 21)
ANXIETY = (2, 4, 7, 9, 15, 19, 20)
STRESS = (1, 6, 8, 11, 12, 14, 18)


def band(result: ScaleResult) -> str | None:
    return result.band.code if result.band else None


def answers(
    depression: list[int | None], anxiety: list[int | None], stress: list[int | None]
) -> dict[int, int | None]:
    given: dict[int, int | None] = {}
    for items, values in ((DEPRESSION, depression), (ANXIETY, anxiety), (STRESS, stress)):
        assert len(values) == 7
        given.update(zip(items, values, strict=True))
    return given


def test_the_keys_are_the_published_ones_and_none_is_reversed() -> None:
    assert DASS21.scale("depression").items == DEPRESSION
    assert DASS21.scale("anxiety").items == ANXIETY
    assert DASS21.scale("stress").items == STRESS
    assert not any(item.reverse for item in DASS21.items)
    assert all(DASS21.scale(code).multiplier == 2 for code in ("depression", "anxiety", "stress"))


def test_each_subscale_is_its_sum_times_two_and_banded() -> None:
    # depression 3+2+1+0+3+2+1 = 12, x2 = 24: severe (21-27)
    # anxiety    1+1+0+2+0+1+0 = 5,  x2 = 10: moderate (10-14)
    # stress     2+2+1+1+2+1+0 = 9,  x2 = 18: mild (15-18)
    scored = score_items(
        DASS21,
        answers([3, 2, 1, 0, 3, 2, 1], [1, 1, 0, 2, 0, 1, 0], [2, 2, 1, 1, 2, 1, 0]),
    )
    depression, anxiety, stress = (scored.scale(c) for c in ("depression", "anxiety", "stress"))
    assert (depression.value, band(depression)) == (Decimal(24), "severe")
    assert (anxiety.value, band(anxiety)) == (Decimal(10), "moderate")
    assert (stress.value, band(stress)) == (Decimal(18), "mild")
    assert not any(result.prorated for result in scored.scales)
    assert scored.risks == ()


def test_the_lowest_and_highest_scores_are_0_and_42() -> None:
    lowest = score_items(DASS21, answers([0] * 7, [0] * 7, [0] * 7))
    highest = score_items(DASS21, answers([3] * 7, [3] * 7, [3] * 7))
    assert [r.value for r in lowest.scales] == [Decimal(0), Decimal(0), Decimal(0)]
    assert [band(r) for r in lowest.scales] == ["normal"] * 3
    # 3 x 7 = 21, x2 = 42
    assert [r.value for r in highest.scales] == [Decimal(42), Decimal(42), Decimal(42)]
    assert [band(r) for r in highest.scales] == ["extremely_severe"] * 3


# The last score of each band and the first of the next (x2 scores; odd scores cannot come
# from whole item answers but a prorated or typed-in score is banded the same way).
BOUNDARIES = [
    ("depression", 9, "normal", 10, "mild"),
    ("depression", 13, "mild", 14, "moderate"),
    ("depression", 20, "moderate", 21, "severe"),
    ("depression", 27, "severe", 28, "extremely_severe"),
    ("anxiety", 7, "normal", 8, "mild"),
    ("anxiety", 9, "mild", 10, "moderate"),
    ("anxiety", 14, "moderate", 15, "severe"),
    ("anxiety", 19, "severe", 20, "extremely_severe"),
    ("stress", 14, "normal", 15, "mild"),
    ("stress", 18, "mild", 19, "moderate"),
    ("stress", 25, "moderate", 26, "severe"),
    ("stress", 33, "severe", 34, "extremely_severe"),
]


@pytest.mark.parametrize(("scale", "last", "band", "first", "next_band"), BOUNDARIES)
def test_band_boundaries(scale: str, last: int, band: str, first: int, next_band: str) -> None:
    below, _ = band_for(DASS21.scale(scale), Decimal(last), None)
    above, _ = band_for(DASS21.scale(scale), Decimal(first), None)
    assert below is not None and below.code == band
    assert above is not None and above.code == next_band


def test_even_boundary_scores_reached_from_items() -> None:
    # anxiety 2+2+2+1+1+1+1 = 10 -> 20: extremely severe; 2+2+2+1+1+1+0 = 9 -> 18: severe
    high = score_items(DASS21, answers([0] * 7, [2, 2, 2, 1, 1, 1, 1], [0] * 7))
    low = score_items(DASS21, answers([0] * 7, [2, 2, 2, 1, 1, 1, 0], [0] * 7))
    assert high.scale("anxiety").value == Decimal(20)
    assert band(high.scale("anxiety")) == "extremely_severe"
    assert low.scale("anxiety").value == Decimal(18)
    assert band(low.scale("anxiety")) == "severe"


def test_depression_13_raw_is_26_severe_with_no_risk_flag() -> None:
    # 2+2+2+2+2+2+1 = 13, x2 = 26: severe (21-27), not the risk band
    scored = score_items(DASS21, answers([2, 2, 2, 2, 2, 2, 1], [0] * 7, [0] * 7))
    assert scored.scale("depression").value == Decimal(26)
    assert band(scored.scale("depression")) == "severe"
    assert scored.risks == ()


def test_depression_14_raw_is_28_extremely_severe_and_a_risk_flag() -> None:
    # 2 x 7 = 14, x2 = 28: extremely severe (28+)
    scored = score_items(DASS21, answers([2] * 7, [0] * 7, [0] * 7))
    assert scored.scale("depression").value == Decimal(28)
    assert [risk.code for risk in scored.risks] == ["band_depression_extremely_severe"]
    assert "DASS-21 depression" in scored.risks[0].message


def test_anxiety_and_stress_in_their_top_band_raise_no_risk_flag() -> None:
    scored = score_items(DASS21, answers([0] * 7, [3] * 7, [3] * 7))
    assert band(scored.scale("anxiety")) == "extremely_severe"
    assert band(scored.scale("stress")) == "extremely_severe"
    assert scored.risks == ()


def test_one_missing_item_is_prorated_then_doubled() -> None:
    # depression: item 21 missing; 2+2+2+2+2+1 = 11 from 6 items
    # 11 x 7/6 = 12.83 -> 13, x2 = 26: severe
    scored = score_items(DASS21, answers([2, 2, 2, 2, 2, 1, None], [0] * 7, [0] * 7))
    depression = scored.scale("depression")
    assert depression.value == Decimal(26)
    assert (depression.answered, depression.missing, depression.prorated) == (6, 1, True)
    assert depression.note == "Prorated from 6 of 7 items."
    assert band(depression) == "severe"


def test_a_prorated_half_rounds_up_before_doubling() -> None:
    # stress: item 18 missing; 2+2+2+1+1+1 = 9 from 6 items
    # 9 x 7/6 = 10.5 -> 11 (halves up; half-to-even would give 10), x2 = 22: moderate
    scored = score_items(DASS21, answers([0] * 7, [0] * 7, [2, 2, 2, 1, 1, 1, None]))
    assert scored.scale("stress").value == Decimal(22)
    assert band(scored.scale("stress")) == "moderate"


def test_two_missing_items_leave_the_subscale_incomplete_and_no_flag() -> None:
    # depression: 3 x 5 = 15 from the five answered would be extremely severe if scored
    scored = score_items(DASS21, answers([3, 3, 3, 3, 3, None, None], [1] * 7, [1] * 7))
    depression = scored.scale("depression")
    assert depression.value is None
    assert depression.band is None
    assert (depression.answered, depression.missing) == (5, 2)
    assert depression.note == "2 items missing; at most 1 may be missing."
    assert scored.risks == ()
    # the other subscales are still scored: 1 x 7 = 7, x2 = 14
    assert scored.scale("anxiety").value == Decimal(14)
    assert scored.scale("stress").value == Decimal(14)


def test_missing_answers_may_be_absent_rather_than_none() -> None:
    given = answers([1] * 7, [1] * 7, [1] * 7)
    del given[21]
    # depression 1 x 6 = 6; 6 x 7/6 = 7, x2 = 14
    assert score_items(DASS21, given).scale("depression").value == Decimal(14)
