"""Reliable change (Jacobson & Truax 1991) against hand calculation, in both directions,
at the 1.96 boundary, and clinically significant change crossing or not crossing the
cut-off; and the parameters every scale carries.

    SEM = SD x sqrt(1 - r);  S_diff = sqrt(2) x SEM = SD x sqrt(2(1 - r));
    RCI = (post - pre) / S_diff;  reliable when |RCI| > 1.96.
"""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from ipip.questionnaires.instruments import INSTRUMENTS
from ipip.questionnaires.instruments.base import Cutoff, Direction, ReliableChangeParams, Scale
from ipip.questionnaires.instruments.k10 import K10
from ipip.questionnaires.instruments.parenting_scale import PARENTING_SCALE
from ipip.questionnaires.instruments.pcri import PCRI
from ipip.questionnaires.instruments.phq9 import PHQ9
from ipip.questionnaires.instruments.sdq import SDQ
from ipip.questionnaires.reliable_change import Change, ReliableChange, reliable_change


def four(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def change(scale: Scale, pre: str, post: str) -> ReliableChange:
    assert scale.reliable_change is not None
    return reliable_change(
        Decimal(pre), Decimal(post), scale.reliable_change, scale.direction, scale.cutoff
    )


PHQ9_TOTAL = PHQ9.scale("total")


def test_phq9_reliable_improvement_by_hand() -> None:
    # SD 6.2, r .89: SEM = 6.2 x sqrt(.11) = 6.2 x 0.33166 = 2.0563
    # S_diff = 6.2 x sqrt(.22) = 6.2 x 0.46904 = 2.9081
    # 18 -> 10: RCI = -8 / 2.9081 = -2.7510; lower is better, |RCI| > 1.96: improved
    result = change(PHQ9_TOTAL, "18", "10")
    assert four(result.sem) == Decimal("2.0563")
    assert four(result.s_diff) == Decimal("2.9081")
    assert four(result.rci) == Decimal("-2.7510")
    # smallest reliable change: 1.96 x 2.9081 = 5.6998 (NHS Talking Therapies use 6)
    assert four(result.minimum_reliable_change) == Decimal("5.6998")
    assert result.change == Change.RELIABLE_IMPROVEMENT
    assert result.label == "Reliable improvement"


def test_phq9_improvement_that_stays_at_the_cut_off_is_not_clinically_significant() -> None:
    # cut-off 10: 18 is clinical and so is 10 (10 or more)
    result = change(PHQ9_TOTAL, "18", "10")
    assert result.cutoff is not None and result.cutoff.value == Decimal(10)
    assert result.clinically_significant is False


def test_phq9_improvement_that_crosses_the_cut_off_is_clinically_significant() -> None:
    # 18 -> 9: RCI = -9 / 2.9081 = -3.0948: improved, and 9 is below the cut-off of 10
    result = change(PHQ9_TOTAL, "18", "9")
    assert four(result.rci) == Decimal("-3.0948")
    assert result.clinically_significant is True


def test_phq9_crossing_the_cut_off_without_reliable_change_is_not_significant() -> None:
    # 12 -> 8: RCI = -4 / 2.9081 = -1.3755: crosses 10 but is not reliable
    result = change(PHQ9_TOTAL, "12", "8")
    assert four(result.rci) == Decimal("-1.3755")
    assert result.change == Change.NO_RELIABLE_CHANGE
    assert result.clinically_significant is False


def test_phq9_reliable_deterioration_by_hand() -> None:
    # 5 -> 12: RCI = 7 / 2.9081 = 2.4071; lower is better, so a rise is deterioration
    result = change(PHQ9_TOTAL, "5", "12")
    assert four(result.rci) == Decimal("2.4071")
    assert result.change == Change.RELIABLE_DETERIORATION
    assert result.clinically_significant is False


def test_k10_reliable_improvement_by_hand_and_no_cut_off() -> None:
    # SD 8.74, r .91: S_diff = 8.74 x sqrt(.18) = 8.74 x 0.42426 = 3.7081
    # 32 -> 24: RCI = -8 / 3.7081 = -2.1575: improved; no cut-off, so no clinical significance
    result = change(K10.scale("total"), "32", "24")
    assert four(result.s_diff) == Decimal("3.7081")
    assert four(result.rci) == Decimal("-2.1575")
    assert result.change == Change.RELIABLE_IMPROVEMENT
    assert result.clinically_significant is None


def test_sdq_total_by_hand_either_side_of_reliable() -> None:
    # SD 6.26, r .62: S_diff = 6.26 x sqrt(.76) = 6.26 x 0.87178 = 5.4573
    # 20 -> 9: RCI = -11 / 5.4573 = -2.0156: improved
    # 20 -> 10: RCI = -10 / 5.4573 = -1.8324: not reliable
    total = SDQ.scale("total")
    assert four(change(total, "20", "9").rci) == Decimal("-2.0156")
    assert change(total, "20", "9").change == Change.RELIABLE_IMPROVEMENT
    assert four(change(total, "20", "10").rci) == Decimal("-1.8324")
    assert change(total, "20", "10").change == Change.NO_RELIABLE_CHANGE


def test_parenting_scale_total_by_hand() -> None:
    # SD 0.6, r .84: S_diff = 0.6 x sqrt(.32) = 0.6 x 0.56569 = 0.3394
    # 3.5 -> 2.8: RCI = -0.7 / 0.3394 = -2.0624: improved (lower is better)
    result = change(PARENTING_SCALE.scale("total"), "3.5", "2.8")
    assert four(result.s_diff) == Decimal("0.3394")
    assert four(result.rci) == Decimal("-2.0624")
    assert result.change == Change.RELIABLE_IMPROVEMENT


def test_pcri_higher_is_better_improvement_and_deterioration_by_hand() -> None:
    # Communication: SD 10, r .68: S_diff = 10 x sqrt(.64) = 10 x 0.8 = 8
    # 40 -> 56: RCI = 16 / 8 = 2.0: improved (higher is better)
    # 40 -> 55: RCI = 15 / 8 = 1.875: not reliable
    # 50 -> 34: RCI = -16 / 8 = -2.0: deteriorated
    communication = PCRI.scale("communication")
    up = change(communication, "40", "56")
    assert (up.s_diff, up.rci, up.change) == (Decimal(8), Decimal(2), Change.RELIABLE_IMPROVEMENT)
    assert change(communication, "40", "55").rci == Decimal("1.875")
    assert change(communication, "40", "55").change == Change.NO_RELIABLE_CHANGE
    assert change(communication, "50", "34").change == Change.RELIABLE_DETERIORATION
    # Limit setting: r .93: S_diff = 10 x sqrt(.14) = 3.7417; 40 -> 48: 8 / 3.7417 = 2.1381
    assert four(change(PCRI.scale("limit_setting"), "40", "48").rci) == Decimal("2.1381")


HALF = ReliableChangeParams(
    sd=Decimal(10), reliability=Decimal("0.5"), reliability_kind="test", source="t"
)


@pytest.mark.parametrize("direction", list(Direction))
def test_exactly_1_96_is_not_reliable_and_just_beyond_is(direction: Direction) -> None:
    # SD 10, r .5: S_diff = 10 x sqrt(2 x .5) = 10 exactly; 1.96 x 10 = 19.6
    better = -1 if direction == Direction.LOWER_IS_BETTER else 1
    on = reliable_change(Decimal(50), Decimal(50) + better * Decimal("19.6"), HALF, direction)
    beyond = reliable_change(Decimal(50), Decimal(50) + better * Decimal("19.61"), HALF, direction)
    assert abs(on.rci) == Decimal("1.96")
    assert on.change == Change.NO_RELIABLE_CHANGE
    assert abs(beyond.rci) == Decimal("1.961")
    assert beyond.change == Change.RELIABLE_IMPROVEMENT
    worse = reliable_change(Decimal(50), Decimal(50) - better * Decimal("19.61"), HALF, direction)
    assert worse.change == Change.RELIABLE_DETERIORATION


def test_higher_is_better_clinical_significance_crosses_upwards() -> None:
    # clinical range: 40 or below. SD 10, r .5: S_diff = 10
    cutoff = Cutoff(Decimal(40), "test")
    up = Direction.HIGHER_IS_BETTER
    # 30 -> 52: RCI = 2.2, reliable; 30 is clinical, 52 is not: significant
    assert (
        reliable_change(Decimal(30), Decimal(52), HALF, up, cutoff).clinically_significant is True
    )
    # 30 -> 40: RCI = 1.0, not reliable; and 40 is still clinical
    assert (
        reliable_change(Decimal(30), Decimal(40), HALF, up, cutoff).clinically_significant is False
    )
    # 42 -> 64: RCI = 2.2, reliable, but it started outside the clinical range
    assert (
        reliable_change(Decimal(42), Decimal(64), HALF, up, cutoff).clinically_significant is False
    )


@pytest.mark.parametrize(("sd", "r"), [("0", "0.8"), ("-1", "0.8"), ("5", "1"), ("5", "0")])
def test_parameters_out_of_range_are_refused(sd: str, r: str) -> None:
    params = ReliableChangeParams(
        sd=Decimal(sd), reliability=Decimal(r), reliability_kind="x", source="x"
    )
    with pytest.raises(ValueError, match="SD > 0 and 0 < r < 1"):
        reliable_change(Decimal(1), Decimal(2), params, Direction.LOWER_IS_BETTER)


SCALES_WITH_RC = [
    (instrument.code, scale)
    for instrument in INSTRUMENTS
    for scale in instrument.scales
    if scale.reliable_change is not None
]


@pytest.mark.parametrize(
    ("code", "scale"), SCALES_WITH_RC, ids=[f"{c}.{s.code}" for c, s in SCALES_WITH_RC]
)
def test_every_scale_with_reliable_change_has_usable_sourced_parameters(
    code: str, scale: Scale
) -> None:
    params = scale.reliable_change
    assert params is not None
    assert params.sd > 0
    assert Decimal(0) < params.reliability < Decimal(1)
    assert params.reliability_kind
    assert len(params.source) > 20
    # the smallest reliable change fits inside the scale's range
    result = reliable_change(scale.minimum, scale.maximum, params, scale.direction)
    assert result.minimum_reliable_change < scale.maximum - scale.minimum


def test_the_scales_with_reliable_change_are_the_ones_the_adr_lists() -> None:
    assert sorted(f"{c}.{s.code}" for c, s in SCALES_WITH_RC) == sorted(
        [
            "sdq.total",
            "parenting_scale.total",
            *(f"pcri.{s.code}" for s in PCRI.scales),
            "dass21.depression",
            "dass21.anxiety",
            "phq9.total",
            "gad7.total",
            "k10.total",
        ]
    )
