"""The manager's area dashboard, and the fidelity rules page."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ipip.accounts.models import Area, Role, User
from ipip.allocation.queries import Caseload, practitioner_caseloads, waiting_list
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.access import cases_for_user
from ipip.cases.models import Approach, Case, CaseStatus, ClosureReason
from ipip.core.http import AuthenticatedHttpRequest
from ipip.dashboard.fidelity import FLAG_LABELS, RULES, Flag
from ipip.dashboard.queries import Rollup, fidelity_report
from ipip.questionnaires.queries import counts_in_play, load_plan
from ipip.questionnaires.schedule import COUNTED
from ipip.referrals.access import referrals_for_user
from ipip.referrals.models import Outcome, Referral, ReferralStatus
from ipip.safeguarding.queries import open_alerts_for, open_escalations_for_area, with_links

WAITING_SHOWN = 5
ALERTS_SHOWN = 10


@dataclass(frozen=True)
class Figure:
    label: str
    value: int
    url: str


@dataclass(frozen=True)
class CaseloadRow:
    caseload: Caseload
    fidelity: Rollup
    url: str


def _may_see_dashboard(user: User) -> bool:
    return user.is_active and (
        user.role == Role.NATIONAL_LEAD
        or (user.role == Role.CENTRE_MANAGER and user.area_id is not None)
    )


def _area_for(request: AuthenticatedHttpRequest) -> Area | None:
    """The manager's own area; for the national lead, the one chosen (None: all areas)."""
    user = request.user
    if user.role == Role.CENTRE_MANAGER:
        return user.area
    chosen = request.GET.get("area", "")
    if not chosen:
        return None
    try:
        return Area.objects.get(public_id=chosen, is_served=True)
    except (Area.DoesNotExist, ValidationError):  # a malformed id is not found either
        raise Http404 from None


def _cases_url(area: Area | None, **filters: str) -> str:
    if area is not None:
        filters = {"area": str(area.public_id), **filters}
    return f"{reverse('cases:list')}?{urlencode(filters)}"


def _referral_figures(referrals: QuerySet[Referral]) -> list[Figure]:
    counts = referrals.aggregate(
        received=Count("pk"),
        eligible=Count("pk", filter=Q(current_decision__outcome=Outcome.ELIGIBLE)),
        accepted=Count("pk", filter=Q(status=ReferralStatus.ACCEPTED)),
        declined=Count("pk", filter=Q(status=ReferralStatus.DECLINED)),
        open=Count("pk", filter=Q(status__in=[ReferralStatus.RECEIVED, ReferralStatus.SCREENED])),
    )
    queue = reverse("referrals:queue")
    return [
        Figure("Received", counts["received"], f"{queue}?state=all"),
        Figure("Eligible", counts["eligible"], f"{queue}?state=all&outcome=eligible"),
        Figure("Awaiting a decision", counts["open"], f"{queue}?state=open"),
        Figure("Accepted", counts["accepted"], f"{queue}?state=accepted"),
        Figure("Declined", counts["declined"], f"{queue}?state=declined"),
    ]


def _case_figures(cases: QuerySet[Case], area: Area | None) -> tuple[list[Figure], list[Figure]]:
    """(status by approach, closed by reason): one query, grouped."""
    rows = cases.order_by().values("status", "approach", "closure_reason").annotate(n=Count("pk"))
    by_status: dict[tuple[str, str], int] = {}
    by_reason: dict[str, int] = {}
    for row in rows:
        by_status[(row["status"], row["approach"])] = (
            by_status.get((row["status"], row["approach"]), 0) + row["n"]
        )
        if row["status"] == CaseStatus.CLOSED:
            by_reason[row["closure_reason"]] = by_reason.get(row["closure_reason"], 0) + row["n"]

    def total(status: str) -> int:
        return sum(n for (s, _a), n in by_status.items() if s == status)

    status_figures = [
        Figure(
            "Accepted, waiting for allocation",
            total(CaseStatus.ACCEPTED),
            _cases_url(area, status=CaseStatus.ACCEPTED),
        )
    ]
    for status in (CaseStatus.ALLOCATED, CaseStatus.ACTIVE):
        for approach in Approach:
            status_figures.append(
                Figure(
                    f"{CaseStatus(status).label}, {approach.name}",
                    by_status.get((status, approach), 0),
                    _cases_url(area, status=status, approach=approach),
                )
            )
    reason_figures = [
        Figure(
            reason.label,
            by_reason.get(reason, 0),
            _cases_url(area, status=CaseStatus.CLOSED, closure_reason=reason),
        )
        for reason in ClosureReason
    ]
    return status_figures, reason_figures


def _questionnaire_figures(
    cases: QuerySet[Case], area: Area | None, now: datetime
) -> list[Figure]:
    """Questionnaires due, overdue and missed on the cases still in play (open, or closed
    with follow-up to come), each linking to those cases: three queries."""
    counts = counts_in_play(cases, plan=load_plan(), today=timezone.localdate(now))
    return [
        Figure(status.label, counts.of(status), _cases_url(area, questionnaires=status.value))
        for status in COUNTED
    ]


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not _may_see_dashboard(user):
        raise Http404
    area = _area_for(request)
    now = timezone.now()
    cases = cases_for_user(user)
    referrals = referrals_for_user(user)
    if area is not None:
        cases = cases.filter(area=area)
        referrals = referrals.filter(area=area)

    area_id = area.pk if area is not None else None
    status_figures, reason_figures = _case_figures(cases, area)
    report = fidelity_report(cases, now)
    waiting = waiting_list(area_id)
    caseloads = [
        CaseloadRow(
            caseload=c,
            fidelity=report.by_practitioner.get(c.practitioner.pk, Rollup()),
            url=_cases_url(area, practitioner=str(c.practitioner.public_id)),
        )
        for c in practitioner_caseloads(area_id)
    ]
    flag_figures = [
        Figure(FLAG_LABELS[flag], report.area.flags.get(flag, 0), _cases_url(area, flag=flag))
        for flag in Flag
    ]
    questionnaire_figures = _questionnaire_figures(cases, area, now)
    escalations = list(open_escalations_for_area(area_id))
    alerts = with_links(open_alerts_for(user).select_related("case__family"))
    if area_id is not None:
        alerts = alerts.filter(area_id=area_id)
    shown_alerts = list(alerts[:ALERTS_SHOWN])
    record(
        Action.DASHBOARD_VIEWED,
        actor=user,
        data={
            "area_id": str(area.public_id) if area else None,
            "case_ids": sorted(
                {str(w.case_public_id) for w in waiting[:WAITING_SHOWN]}
                | {str(e.concern.case.public_id) for e in escalations}
                | {str(a.case.public_id) for a in shown_alerts}
            ),
        },
    )
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "area": area,
            "areas": Area.objects.filter(is_served=True)
            if user.role == Role.NATIONAL_LEAD
            else [],
            "referral_figures": _referral_figures(referrals),
            "status_figures": status_figures,
            "reason_figures": reason_figures,
            "waiting": waiting[:WAITING_SHOWN],
            "waiting_count": len(waiting),
            "caseloads": caseloads,
            "fidelity": report.area,
            "flag_figures": flag_figures,
            "questionnaire_figures": questionnaire_figures,
            "escalations": escalations,
            "alerts": shown_alerts,
            "now": now,
        },
    )


@login_required
@require_GET
def fidelity_rules(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The rules and thresholds, for anyone who works with cases."""
    if request.user.role in (Role.REFERRER, Role.ADMINISTRATOR) or not request.user.is_active:
        raise Http404
    return render(request, "dashboard/fidelity_rules.html", {"rules": RULES})
