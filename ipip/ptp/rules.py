"""Pathways Triple P rules over plain values (no ORM): dose limits, session dates, and
module coverage against the plan.

Dose facts are from /work/shared/docs/domain.md §3: Pathways (Level 5) is 2 to 5 sessions
of 60 to 90 minutes [18]; Level 5 Enhanced is 3 to 8 sessions of 60 to 90 minutes [24].
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from ipip.core.dates import long_date
from ipip.ptp.modules import MODULES, Module

SESSION_MINUTES_MIN: Final = 60
SESSION_MINUTES_MAX: Final = 90

# The published courses: Pathways 2-5 sessions [18], Enhanced 3-8 [24]. A plan may combine
# Pathways with Enhanced modules (and Level 3 content), so the plan allows up to 12: a bound
# against typing errors, not a fidelity target (fidelity compares against the ranges above).
PATHWAYS_SESSIONS: Final = (2, 5)
ENHANCED_SESSIONS: Final = (3, 8)
PLANNED_SESSIONS_MIN: Final = 2
PLANNED_SESSIONS_MAX: Final = 12

MINUTES_ERROR: Final = (
    f"Length of the session must be from {SESSION_MINUTES_MIN} to {SESSION_MINUTES_MAX} minutes"
)
PLANNED_SESSIONS_ERROR: Final = (
    f"Number of planned sessions must be from {PLANNED_SESSIONS_MIN} to {PLANNED_SESSIONS_MAX}"
)


def minutes_ok(minutes: int) -> bool:
    return SESSION_MINUTES_MIN <= minutes <= SESSION_MINUTES_MAX


def planned_sessions_ok(count: int) -> bool:
    return PLANNED_SESSIONS_MIN <= count <= PLANNED_SESSIONS_MAX


@dataclass(frozen=True)
class Neighbour:
    """The session recorded before (or after) the one being recorded or corrected."""

    number: int
    held_on: date


def session_date_problem(
    held_on: date, *, today: date, previous: Neighbour | None, following: Neighbour | None
) -> str | None:
    """Why a session date is refused, or None.

    Not in the future; and in order with the sessions around it, so that session numbers
    (given in the order sessions are recorded) follow the calendar.
    """
    if held_on > today:
        return "Date of the session must be today or in the past"
    if previous is not None and held_on < previous.held_on:
        return (
            "Date of the session must be the same as or after the date of session "
            f"{previous.number} ({long_date(previous.held_on)})"
        )
    if following is not None and held_on > following.held_on:
        return (
            "Date of the session must be the same as or before the date of session "
            f"{following.number} ({long_date(following.held_on)})"
        )
    return None


class CoverageState(StrEnum):
    COVERED = "covered"
    PLANNED = "planned"  # planned, not yet covered
    NOT_PLANNED = "not_planned"


COVERAGE_LABELS: Final[dict[CoverageState, str]] = {
    CoverageState.COVERED: "Covered",
    CoverageState.PLANNED: "Planned, not yet covered",
    CoverageState.NOT_PLANNED: "Not planned",
}


@dataclass(frozen=True)
class ModuleStats:
    """How often a module was covered, and the first and last session dates."""

    sessions: int
    first_on: date | None
    last_on: date | None


NO_STATS: Final = ModuleStats(sessions=0, first_on=None, last_on=None)


@dataclass(frozen=True)
class ModuleCoverage:
    """One module of the catalogue for one case: planned or not, and its coverage."""

    module: Module
    planned: bool
    sessions: int
    first_on: date | None
    last_on: date | None

    @property
    def code(self) -> str:
        return self.module.code

    @property
    def label(self) -> str:
        return self.module.label

    @property
    def state(self) -> CoverageState:
        """Covered in any session wins (even if not planned); then planned; else not planned."""
        if self.sessions:
            return CoverageState.COVERED
        return CoverageState.PLANNED if self.planned else CoverageState.NOT_PLANNED

    @property
    def state_label(self) -> str:
        return COVERAGE_LABELS[self.state]


def coverage_rows(
    planned: Iterable[str], stats: Mapping[str, ModuleStats]
) -> list[ModuleCoverage]:
    """Every module of the catalogue, in its order, with the plan and the sessions' coverage."""
    planned_set = set(planned)
    rows = []
    for module in MODULES:
        s = stats.get(module.code, NO_STATS)
        rows.append(
            ModuleCoverage(
                module=module,
                planned=module.code in planned_set,
                sessions=s.sessions,
                first_on=s.first_on,
                last_on=s.last_on,
            )
        )
    return rows


def stats_from_sessions(sessions: Iterable[tuple[date, Iterable[str]]]) -> dict[str, ModuleStats]:
    """Per module code: sessions covering it, first and last date. From (held_on, codes) pairs."""
    out: dict[str, ModuleStats] = {}
    for held_on, codes in sessions:
        for code in set(codes):
            s = out.get(code, NO_STATS)
            out[code] = ModuleStats(
                sessions=s.sessions + 1,
                first_on=held_on if s.first_on is None else min(s.first_on, held_on),
                last_on=held_on if s.last_on is None else max(s.last_on, held_on),
            )
    return out
