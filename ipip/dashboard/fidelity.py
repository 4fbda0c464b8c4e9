"""The fidelity rules: every threshold in one place, so a manager can read them.

Pure: no Django. `assess` takes the facts about one case and returns its flags; the
queries (`ipip.dashboard.queries`) gather the facts for many cases in one SQL query, and
the caseload, the dashboard and the fidelity page show the flags and these rules.

Sources (see ../shared/seed and ../shared/docs/domain.md):
- The service works with a family "for a period of two to three months" (the seed).
- VIG: "usually 3 to 5 cycles" over two to three months; a cycle is one film and one
  shared review (domain.md §2, [9][13]).
- Pathways Triple P: sessions of 60 to 90 minutes; Pathways is 2 to 5 sessions, Level 5
  Enhanced 3 to 8 (domain.md §3 [18][24]). The NSPCC service's sessions include all five
  areas: mood management, stress coping, anger management, managing children's behaviour,
  attribution retraining (the seed).

Where the sources give a range, not a rule, ipip chooses the thresholds below; they are
constants so the service can change them in one place.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

# The two-to-three-month window, counted in days from allocation.
WINDOW_START_DAYS: Final = 61  # two months
WINDOW_END_DAYS: Final = 92  # three months

# VIG dose: completed cycles (a cycle completes at its shared review).
VIG_CYCLES_MIN: Final = 3
VIG_CYCLES_MAX: Final = 5
VIG_DAYS_PER_CYCLE: Final = 30  # the pace that reaches 3 cycles by the end of the window

# PTP dose: sessions held, and the five modules covered.
PTP_SESSIONS_MIN: Final = 3
PTP_DAYS_PER_SESSION: Final = 21  # the pace that reaches 3 sessions by two months
PTP_MODULES_TARGET: Final = 5

# Contact: the first visit, and visits the family missed.
FIRST_VISIT_WITHIN_DAYS: Final = 14
MISSED_VISIT_RATE_MAX: Final = 0.25  # more than one visit in four missed
MISSED_VISIT_MIN_VISITS: Final = 4  # only judged once this many visits are recorded


class Flag(StrEnum):
    BEYOND_WINDOW = "beyond_window"
    UNDER_DOSE = "under_dose"
    OVER_DOSE = "over_dose"
    MODULES_NOT_COVERED = "modules_not_covered"
    NO_FIRST_VISIT = "no_first_visit"
    MISSED_VISITS = "missed_visits"

    @property
    def label(self) -> str:
        return FLAG_LABELS[self]


FLAG_LABELS: Final[dict[Flag, str]] = {
    Flag.BEYOND_WINDOW: "Beyond 3 months",
    Flag.UNDER_DOSE: "Under dose",
    Flag.OVER_DOSE: "Over dose",
    Flag.MODULES_NOT_COVERED: "Modules not covered",
    Flag.NO_FIRST_VISIT: "No visit yet",
    Flag.MISSED_VISITS: "Missed visits",
}


@dataclass(frozen=True)
class Rule:
    flag: Flag
    text: str


# The rules as a manager reads them (the fidelity page lists these).
RULES: Final[tuple[Rule, ...]] = (
    Rule(
        Flag.BEYOND_WINDOW,
        f"An open case allocated more than {WINDOW_END_DAYS} days ago (three months): "
        "the work should be finishing.",
    ),
    Rule(
        Flag.UNDER_DOSE,
        f"VIG: fewer completed cycles than one per {VIG_DAYS_PER_CYCLE} days since allocation "
        f"(up to {VIG_CYCLES_MIN}). PTP: fewer sessions than one per {PTP_DAYS_PER_SESSION} "
        f"days (up to {PTP_SESSIONS_MIN}). A case closed as completed is under dose with fewer "
        f"than {VIG_CYCLES_MIN} cycles or {PTP_SESSIONS_MIN} sessions.",
    ),
    Rule(Flag.OVER_DOSE, f"VIG: more than {VIG_CYCLES_MAX} cycles."),
    Rule(
        Flag.MODULES_NOT_COVERED,
        f"PTP: from {WINDOW_START_DAYS} days after allocation (two months), fewer than all "
        f"{PTP_MODULES_TARGET} Pathways modules covered.",
    ),
    Rule(
        Flag.NO_FIRST_VISIT,
        f"No home visit has taken place {FIRST_VISIT_WITHIN_DAYS} days after allocation.",
    ),
    Rule(
        Flag.MISSED_VISITS,
        f"More than {MISSED_VISIT_RATE_MAX:.0%} of recorded visits missed (no one at home or "
        f"cancelled by the family), once at least {MISSED_VISIT_MIN_VISITS} visits are recorded.",
    ),
)


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need about one allocated case.

    `days_allocated`: days from allocation to today, or to closure for a closed case.
    `closed_completed`: closed with the reason "completed" (dose is then judged in full).
    """

    approach: str  # "vig" or "ptp"
    days_allocated: int
    is_open: bool
    closed_completed: bool = False
    vig_cycles_completed: int = 0
    ptp_sessions: int = 0
    ptp_modules_covered: int = 0
    visits_recorded: int = 0
    visits_took_place: int = 0
    visits_missed: int = 0


def expected_dose(approach: str, days_allocated: int) -> int:
    """Completed VIG cycles or PTP sessions expected by now, at the rules' pace."""
    if approach == "vig":
        return min(VIG_CYCLES_MIN, days_allocated // VIG_DAYS_PER_CYCLE)
    return min(PTP_SESSIONS_MIN, days_allocated // PTP_DAYS_PER_SESSION)


def dose(facts: CaseFacts) -> int:
    return facts.vig_cycles_completed if facts.approach == "vig" else facts.ptp_sessions


def missed_rate(facts: CaseFacts) -> float | None:
    """Missed visits over recorded visits, or None when none are recorded."""
    if facts.visits_recorded == 0:
        return None
    return facts.visits_missed / facts.visits_recorded


def assess(facts: CaseFacts) -> list[Flag]:
    """The case's fidelity flags, in the order of `RULES`. An unallocated case has none."""
    flags: list[Flag] = []
    judged_in_full = facts.closed_completed
    if not (facts.is_open or judged_in_full):
        return flags
    if facts.is_open and facts.days_allocated > WINDOW_END_DAYS:
        flags.append(Flag.BEYOND_WINDOW)
    if judged_in_full:
        minimum = VIG_CYCLES_MIN if facts.approach == "vig" else PTP_SESSIONS_MIN
    else:
        minimum = expected_dose(facts.approach, facts.days_allocated)
    if dose(facts) < minimum:
        flags.append(Flag.UNDER_DOSE)
    if facts.approach == "vig" and facts.vig_cycles_completed > VIG_CYCLES_MAX:
        flags.append(Flag.OVER_DOSE)
    if (
        facts.approach == "ptp"
        and (judged_in_full or facts.days_allocated >= WINDOW_START_DAYS)
        and facts.ptp_modules_covered < PTP_MODULES_TARGET
    ):
        flags.append(Flag.MODULES_NOT_COVERED)
    if (
        facts.is_open
        and facts.days_allocated > FIRST_VISIT_WITHIN_DAYS
        and facts.visits_took_place == 0
    ):
        flags.append(Flag.NO_FIRST_VISIT)
    rate = missed_rate(facts)
    if (
        rate is not None
        and facts.visits_recorded >= MISSED_VISIT_MIN_VISITS
        and rate > MISSED_VISIT_RATE_MAX
    ):
        flags.append(Flag.MISSED_VISITS)
    return flags
