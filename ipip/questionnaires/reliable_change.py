"""Reliable and clinically significant change (Jacobson & Truax 1991).

Jacobson NS, Truax P. Clinical significance: a statistical approach to defining meaningful
change in psychotherapy research. J Consult Clin Psychol 1991;59(1):12-19.

    SEM    = SD * sqrt(1 - r)
    S_diff = sqrt(2) * SEM
    RCI    = (post - pre) / S_diff        reliable when |RCI| > 1.96 (p < .05)

The sign of an improvement depends on the scale's direction. Clinically significant change
(where the scale has a cut-off) is reliable improvement that also moves the score from the
clinical range at the first time point to the functional range at the second.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ipip.questionnaires.instruments.base import Cutoff, Direction, ReliableChangeParams

CRITICAL_Z = Decimal("1.96")


class Change(StrEnum):
    RELIABLE_IMPROVEMENT = "improved", "Reliable improvement"
    RELIABLE_DETERIORATION = "deteriorated", "Reliable deterioration"
    NO_RELIABLE_CHANGE = "unchanged", "No reliable change"

    def __new__(cls, value: str, label: str) -> "Change":
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label  # type: ignore[attr-defined]
        return member


@dataclass(frozen=True)
class ReliableChange:
    pre: Decimal
    post: Decimal
    params: ReliableChangeParams
    direction: Direction
    sem: Decimal
    s_diff: Decimal
    rci: Decimal
    # The smallest change that is reliable: 1.96 * S_diff.
    minimum_reliable_change: Decimal
    change: Change
    cutoff: Cutoff | None
    # None when the scale has no cut-off.
    clinically_significant: bool | None

    @property
    def label(self) -> str:
        label: str = self.change.label  # type: ignore[attr-defined]
        return label


def in_clinical_range(value: Decimal, cutoff: Cutoff, direction: Direction) -> bool:
    if direction == Direction.LOWER_IS_BETTER:
        return value >= cutoff.value
    return value <= cutoff.value


def reliable_change(
    pre: Decimal,
    post: Decimal,
    params: ReliableChangeParams,
    direction: Direction,
    cutoff: Cutoff | None = None,
) -> ReliableChange:
    """Reliable change from `pre` to `post` on one scale (Decimal arithmetic).

    S_diff is computed as SD * sqrt(2 * (1 - r)), which equals sqrt(2) * SEM but is exact
    whenever 2(1 - r) is a perfect square (r = .5 gives S_diff = SD), so a change of
    exactly 1.96 * S_diff is exactly on the boundary, and not reliable (|RCI| > 1.96).
    """
    if params.sd <= 0 or not Decimal(0) < params.reliability < Decimal(1):
        raise ValueError("Reliable change needs SD > 0 and 0 < r < 1.")
    sem = params.sd * (Decimal(1) - params.reliability).sqrt()
    s_diff = params.sd * (Decimal(2) * (Decimal(1) - params.reliability)).sqrt()
    rci = (post - pre) / s_diff
    improving = rci < 0 if direction == Direction.LOWER_IS_BETTER else rci > 0
    if abs(rci) > CRITICAL_Z:
        change = Change.RELIABLE_IMPROVEMENT if improving else Change.RELIABLE_DETERIORATION
    else:
        change = Change.NO_RELIABLE_CHANGE
    significant = None
    if cutoff is not None:
        significant = (
            change == Change.RELIABLE_IMPROVEMENT
            and in_clinical_range(pre, cutoff, direction)
            and not in_clinical_range(post, cutoff, direction)
        )
    return ReliableChange(
        pre=pre,
        post=post,
        params=params,
        direction=direction,
        sem=sem,
        s_diff=s_diff,
        rci=rci,
        minimum_reliable_change=CRITICAL_Z * s_diff,
        change=change,
        cutoff=cutoff,
        clinically_significant=significant,
    )
