"""Reads of Pathways Triple P for other pages (the case page, the lead's dashboard)."""

from django.db.models import Count, Max, Min

from ipip.cases.models import Case
from ipip.ptp.models import SessionModule, SessionPlan
from ipip.ptp.rules import ModuleCoverage, ModuleStats, coverage_rows


def module_coverage(case: Case) -> list[ModuleCoverage]:
    """Every module of the catalogue for this case: planned or not, how many sessions covered
    it, first and last date, and its state (covered / planned, not yet covered / not planned).

    Two queries, however many sessions: the plan's modules, and one aggregate over the
    sessions' modules. The case pages use the same `rules.coverage_rows`.
    """
    planned = (
        SessionPlan.objects.filter(case=case).values_list("planned_modules", flat=True).first()
    )
    stats = {
        row["module"]: ModuleStats(
            sessions=row["sessions"], first_on=row["first_on"], last_on=row["last_on"]
        )
        for row in SessionModule.objects.filter(session__case=case)
        .values("module")
        .annotate(
            sessions=Count("id"),
            first_on=Min("session__held_on"),
            last_on=Max("session__held_on"),
        )
        .order_by()
    }
    return coverage_rows(planned if isinstance(planned, list) else [], stats)
