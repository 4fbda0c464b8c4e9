"""Gathering the facts the fidelity rules need, for many cases in one query, and rolling
the flags up per practitioner and per area."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from ipip.cases.models import Case, CaseStatus, ClosureReason
from ipip.dashboard.fidelity import CaseFacts, Flag, assess
from ipip.ptp.models import PtpSession, SessionModule
from ipip.vig.models import VigCycle
from ipip.visits.models import Visit, VisitOutcome

MISSED_OUTCOMES = (VisitOutcome.NO_ONE_HOME, VisitOutcome.CANCELLED_BY_FAMILY)


def _count(qs: QuerySet[Any], group: str, counted: str = "pk", *, distinct: bool = False) -> Any:
    """A correlated COUNT subquery, 0 when there are no rows."""
    sub = qs.order_by().values(group).annotate(n=Count(counted, distinct=distinct)).values("n")
    return Coalesce(Subquery(sub), Value(0))


def fidelity_annotations() -> dict[str, Any]:
    """Per case, the counts the rules need, as correlated subqueries: a page of cases stays
    one query however many cycles, sessions or visits there are."""
    visits = Visit.objects.filter(case=OuterRef("pk"))
    return {
        "f_cycles": _count(
            VigCycle.objects.filter(case=OuterRef("pk"), completed_on__isnull=False), "case"
        ),
        "f_sessions": _count(PtpSession.objects.filter(case=OuterRef("pk")), "case"),
        "f_modules": _count(
            SessionModule.objects.filter(session__case=OuterRef("pk")),
            "session__case",
            "module",
            distinct=True,
        ),
        "f_visits_recorded": _count(visits.exclude(outcome=""), "case"),
        "f_visits_took_place": _count(visits.filter(outcome=VisitOutcome.TOOK_PLACE), "case"),
        "f_visits_missed": _count(visits.filter(outcome__in=MISSED_OUTCOMES), "case"),
    }


def facts_of(case: Case, now: datetime) -> CaseFacts | None:
    """The facts of a case annotated with `fidelity_annotations`; None before allocation."""
    if case.allocated_at is None or not case.approach:
        return None
    until = case.closed_at if case.closed_at is not None else now
    return CaseFacts(
        approach=case.approach,
        days_allocated=max(0, (until.date() - case.allocated_at.date()).days),
        is_open=case.status != CaseStatus.CLOSED,
        closed_completed=case.closure_reason == ClosureReason.COMPLETED,
        vig_cycles_completed=case.f_cycles,  # type: ignore[attr-defined]
        ptp_sessions=case.f_sessions,  # type: ignore[attr-defined]
        ptp_modules_covered=case.f_modules,  # type: ignore[attr-defined]
        visits_recorded=case.f_visits_recorded,  # type: ignore[attr-defined]
        visits_took_place=case.f_visits_took_place,  # type: ignore[attr-defined]
        visits_missed=case.f_visits_missed,  # type: ignore[attr-defined]
    )


def flags_of(case: Case, now: datetime) -> list[Flag]:
    facts = facts_of(case, now)
    return [] if facts is None else assess(facts)


def with_fidelity(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.annotate(**fidelity_annotations())


def case_ids_flagged(qs: QuerySet[Case], flag: Flag, now: datetime) -> list[int]:
    """Ids of the open (or completed) allocated cases in `qs` with `flag`: one query."""
    judged = with_fidelity(
        qs.filter(allocated_at__isnull=False).filter(
            ~Q(status=CaseStatus.CLOSED) | Q(closure_reason=ClosureReason.COMPLETED)
        )
    )
    return [case.pk for case in judged if flag in flags_of(case, now)]


@dataclass
class Rollup:
    """Fidelity over a group of open allocated cases (one practitioner's, or an area's)."""

    open_cases: int = 0
    flagged_cases: int = 0
    flags: Counter[Flag] = field(default_factory=Counter)
    days_total: int = 0
    vig_cases: int = 0
    vig_cycles: int = 0
    ptp_cases: int = 0
    ptp_sessions: int = 0
    ptp_modules: int = 0
    visits_recorded: int = 0
    visits_missed: int = 0

    def add(self, facts: CaseFacts, flags: Iterable[Flag]) -> None:
        flags = list(flags)
        self.open_cases += 1
        self.flagged_cases += bool(flags)
        self.flags.update(flags)
        self.days_total += facts.days_allocated
        if facts.approach == "vig":
            self.vig_cases += 1
            self.vig_cycles += facts.vig_cycles_completed
        else:
            self.ptp_cases += 1
            self.ptp_sessions += facts.ptp_sessions
            self.ptp_modules += facts.ptp_modules_covered
        self.visits_recorded += facts.visits_recorded
        self.visits_missed += facts.visits_missed

    @staticmethod
    def _mean(total: int, n: int) -> float | None:
        return round(total / n, 1) if n else None

    @property
    def mean_days(self) -> float | None:
        return self._mean(self.days_total, self.open_cases)

    @property
    def mean_cycles(self) -> float | None:
        return self._mean(self.vig_cycles, self.vig_cases)

    @property
    def mean_sessions(self) -> float | None:
        return self._mean(self.ptp_sessions, self.ptp_cases)

    @property
    def mean_modules(self) -> float | None:
        return self._mean(self.ptp_modules, self.ptp_cases)

    @property
    def missed_percent(self) -> int | None:
        if not self.visits_recorded:
            return None
        return round(100 * self.visits_missed / self.visits_recorded)


@dataclass
class FidelityReport:
    area: Rollup
    by_practitioner: dict[int, Rollup]


def fidelity_report(qs: QuerySet[Case], now: datetime) -> FidelityReport:
    """Roll the flags of the open allocated cases in `qs` up per practitioner and in total.

    One query (the cases with their counts); the rules run in Python.
    """
    report = FidelityReport(area=Rollup(), by_practitioner={})
    open_allocated = with_fidelity(
        qs.exclude(status=CaseStatus.CLOSED).filter(allocated_at__isnull=False)
    ).only(
        "pk", "approach", "status", "allocated_at", "closed_at", "closure_reason", "allocated_to"
    )
    for case in open_allocated.order_by():
        facts = facts_of(case, now)
        if facts is None or case.allocated_to_id is None:
            continue
        flags = assess(facts)
        report.area.add(facts, flags)
        report.by_practitioner.setdefault(case.allocated_to_id, Rollup()).add(facts, flags)
    return report
