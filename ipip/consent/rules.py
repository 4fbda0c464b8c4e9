"""The current consent for each purpose, from the decisions recorded. Pure: no ORM."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class State(StrEnum):
    GIVEN = "given"
    WITHDRAWN = "withdrawn"
    NOT_ASKED = "not_asked"

    @property
    def label(self) -> str:
        return {"given": "Given", "withdrawn": "Withdrawn", "not_asked": "Not asked"}[self.value]


@dataclass(frozen=True)
class Decision:
    """One recorded decision. `order` is the order it was recorded in (the row id)."""

    purpose: str
    decision: str  # "given" or "withdrawn" (ConsentDecision)
    decided_on: date
    order: int


def latest_decisions(decisions: Iterable[Decision], *, on: date) -> dict[str, Decision]:
    """The decision in force for each purpose on `on`: the latest dated on or before it.

    Two decisions on the same day count in the order they were recorded, so a withdrawal
    recorded after a consent given that day wins (and the other way round).
    """
    latest: dict[str, Decision] = {}
    for decision in decisions:
        if decision.decided_on > on:
            continue
        current = latest.get(decision.purpose)
        key = (decision.decided_on, decision.order)
        if current is None or key > (current.decided_on, current.order):
            latest[decision.purpose] = decision
    return latest


def state_of(decision: Decision | None) -> State:
    if decision is None:
        return State.NOT_ASKED
    return State.GIVEN if decision.decision == "given" else State.WITHDRAWN


# What depends on a consent, flagged when it is withdrawn (the work itself comes later).
CLIPS_TO_DELETE = "clips_to_delete"
EXCLUDE_FROM_RESEARCH = "exclude_from_research"
_WITHDRAWAL_FLAGS = {
    "filming": CLIPS_TO_DELETE,
    "clip_retention": CLIPS_TO_DELETE,
    "research": EXCLUDE_FROM_RESEARCH,
}


def withdrawal_flag(purpose: str, decision: str) -> str | None:
    """What must follow a withdrawal: clips to delete, or data to leave out of research."""
    return _WITHDRAWAL_FLAGS.get(purpose) if decision == "withdrawn" else None
