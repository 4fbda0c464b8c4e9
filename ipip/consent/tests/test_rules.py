"""Consent state per purpose from the decisions recorded: pure, no database."""

from datetime import date

import pytest

from ipip.consent.rules import (
    CLIPS_TO_DELETE,
    EXCLUDE_FROM_RESEARCH,
    Decision,
    State,
    latest_decisions,
    state_of,
    withdrawal_flag,
)

MARCH = 3


def d(decision: str, day: int, order: int, purpose: str = "filming") -> Decision:
    return Decision(
        purpose=purpose, decision=decision, decided_on=date(2026, MARCH, day), order=order
    )


def state(decisions: list[Decision], on_day: int, purpose: str = "filming") -> State:
    latest = latest_decisions(decisions, on=date(2026, MARCH, on_day))
    return state_of(latest.get(purpose))


GIVEN_WITHDRAWN_GIVEN = [d("given", 1, 1), d("withdrawn", 10, 2), d("given", 20, 3)]


@pytest.mark.parametrize(
    ("on_day", "expected"),
    [
        (1, State.GIVEN),  # on the day it was given
        (9, State.GIVEN),
        (10, State.WITHDRAWN),  # withdrawal after giving wins from its date
        (19, State.WITHDRAWN),
        (20, State.GIVEN),  # given again
        (31, State.GIVEN),
    ],
)
def test_given_withdrawn_given_as_of_dates(on_day: int, expected: State) -> None:
    assert state(GIVEN_WITHDRAWN_GIVEN, on_day) == expected


def test_before_any_decision_it_is_not_asked() -> None:
    assert state(GIVEN_WITHDRAWN_GIVEN[1:], 5) == State.NOT_ASKED
    assert state([d("given", 5, 1)], 4) == State.NOT_ASKED


@pytest.mark.parametrize(
    ("decisions", "expected"),
    [
        ([d("given", 5, 1), d("withdrawn", 5, 2)], State.WITHDRAWN),
        ([d("withdrawn", 5, 2), d("given", 5, 1)], State.WITHDRAWN),  # list order is irrelevant
        ([d("withdrawn", 5, 1), d("given", 5, 2)], State.GIVEN),
        ([d("given", 5, 7), d("withdrawn", 4, 9)], State.GIVEN),  # date before record order
    ],
)
def test_same_day_decisions_count_in_record_order(
    decisions: list[Decision], expected: State
) -> None:
    assert state(decisions, 5) == expected


def test_purposes_are_independent() -> None:
    decisions = [d("given", 1, 1), d("given", 1, 2, "research"), d("withdrawn", 2, 3, "research")]
    assert state(decisions, 3) == State.GIVEN
    assert state(decisions, 3, "research") == State.WITHDRAWN
    assert state(decisions, 3, "service") == State.NOT_ASKED


def test_state_labels() -> None:
    assert [s.label for s in State] == ["Given", "Withdrawn", "Not asked"]


@pytest.mark.parametrize(
    ("purpose", "decision", "flag"),
    [
        ("filming", "withdrawn", CLIPS_TO_DELETE),
        ("clip_retention", "withdrawn", CLIPS_TO_DELETE),
        ("research", "withdrawn", EXCLUDE_FROM_RESEARCH),
        ("service", "withdrawn", None),
        ("information_sharing", "withdrawn", None),
        ("filming", "given", None),
        ("research", "given", None),
    ],
)
def test_withdrawal_flags(purpose: str, decision: str, flag: str | None) -> None:
    assert withdrawal_flag(purpose, decision) == flag
