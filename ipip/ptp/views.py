"""Pathways Triple P pages: the plan and sessions with module coverage, setting the plan,
recording a session (with the parent's goal ratings), one session, correcting a session."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.access import get_case_for_user
from ipip.cases.models import Case
from ipip.core.errors import DomainError
from ipip.core.http import AuthenticatedHttpRequest
from ipip.goals.forms import GoalRatingsForm
from ipip.goals.models import Goal, GoalRating, GoalStatus, Occasion
from ipip.ptp import actions
from ipip.ptp.forms import CorrectSessionForm, PlanForm, SessionForm
from ipip.ptp.models import HomeworkReview, PtpSession, SessionPlan
from ipip.ptp.modules import in_catalogue_order, module_label
from ipip.ptp.rules import coverage_rows, stats_from_sessions


@dataclass(frozen=True)
class SessionRow:
    session: PtpSession
    modules: list[str]  # labels, in the catalogue's order
    goals_rated: int


def _ptp_case(request: AuthenticatedHttpRequest, case_id: UUID) -> Case:
    # Sessions hold notes about the family and the parent's goals in their own words, so
    # evaluators get a 404 (`for_write`): the allocated practitioner, managers, the lead.
    return get_case_for_user(request.user, case_id, for_write=True)


def _session(case: Case, session_id: UUID) -> PtpSession:
    try:
        return PtpSession.objects.get(case=case, public_id=session_id)
    except PtpSession.DoesNotExist:
        raise Http404 from None


def _problem(case: Case) -> str | None:
    """Why this case can have no PTP records written now (closed, not PTP...), or None."""
    try:
        actions.check_ptp_case(case)
    except DomainError as err:
        return str(err)
    return None


def _audit_view(request: AuthenticatedHttpRequest, case: Case, **ids: object) -> None:
    record(
        Action.PTP_VIEWED,
        actor=request.user,
        subject=case,
        family_public_id=case.family.public_id,
        data=ids,
    )


def _module_codes(session: PtpSession) -> list[str]:
    return in_catalogue_order([m.module for m in session.modules_covered.all()])


@login_required
@require_GET
def ptp_index(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    case = _ptp_case(request, case_id)
    plan = SessionPlan.objects.filter(case=case).first()
    sessions = list(
        PtpSession.objects.filter(case=case).prefetch_related("modules_covered").order_by("number")
    )
    rated = dict(
        GoalRating.objects.filter(goal__case=case, occasion=Occasion.PTP_SESSION)
        .values("source_public_id")
        .annotate(n=Count("id"))
        .values_list("source_public_id", "n")
        .order_by()
    )
    codes = {s.pk: _module_codes(s) for s in sessions}
    rows = [
        SessionRow(s, [module_label(c) for c in codes[s.pk]], rated.get(s.public_id, 0))
        for s in sessions
    ]
    coverage = coverage_rows(
        plan.planned_modules if plan else [],
        stats_from_sessions((s.held_on, codes[s.pk]) for s in sessions),
    )
    _audit_view(
        request,
        case,
        page="index",
        plan_id=str(plan.public_id) if plan else None,
        session_ids=[str(s.public_id) for s in sessions],
    )
    return render(
        request,
        "ptp/ptp_index.html",
        {
            "case": case,
            "plan": plan,
            "planned_modules": [module_label(c) for c in plan.planned_modules] if plan else [],
            "rows": rows,
            "total_minutes": sum(s.minutes for s in sessions),
            "coverage": coverage,
            "problem": _problem(case),
        },
    )


def _plan_initial(plan: SessionPlan | None) -> dict[str, Any]:
    if plan is None:
        return {"version": 0}
    return {
        "planned_sessions": plan.planned_sessions,
        "planned_modules": plan.planned_modules,
        "starts_on": plan.starts_on,
        "note": plan.note,
        "version": plan.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def ptp_plan(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    case = _ptp_case(request, case_id)
    plan = SessionPlan.objects.filter(case=case).first()
    form = PlanForm(request.POST or None, initial=_plan_initial(plan))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_set_plan(
                case,
                planned_sessions=data["planned_sessions"],
                planned_modules=data["planned_modules"],
                starts_on=data["starts_on"],
                note=data["note"],
                acting_user=request.user,
                expected_version=data["version"],
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, "Session plan saved.")
            return redirect("ptp:index", case_id=case_id)
    if request.method == "GET" and plan is not None:
        _audit_view(request, case, page="plan", plan_id=str(plan.public_id))
    return render(
        request,
        "ptp/ptp_plan.html",
        {"case": case, "plan": plan, "form": form, "problem": _problem(case)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_record(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    case = _ptp_case(request, case_id)
    goals = list(Goal.objects.filter(case=case, status=GoalStatus.ACTIVE).order_by("set_on", "id"))
    last = PtpSession.objects.filter(case=case).order_by("-number").first()
    initial = (
        {}
        if last is not None and last.homework_set
        else {"homework_review": HomeworkReview.NONE_SET}
    )
    form = SessionForm(request.POST or None, initial=initial)
    goal_form = GoalRatingsForm(request.POST or None, goals=goals, prefix="goals")
    if request.method == "POST" and all([form.is_valid(), goal_form.is_valid()]):
        try:
            session = actions.do_record_session(
                case, form.to_input(), ratings=goal_form.ratings(), acting_user=request.user
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, f"Session {session.number} recorded.")
            return redirect("ptp:session", case_id=case_id, session_id=session.public_id)
    if request.method == "GET":
        _audit_view(
            request,
            case,
            page="record",
            last_session_id=str(last.public_id) if last else None,
            goal_ids=[str(g.public_id) for g in goals],
        )
    return render(
        request,
        "ptp/session_record.html",
        {
            "case": case,
            "form": form,
            "goal_form": goal_form,
            "all_forms": [form, goal_form],
            "last": last,
            "problem": _problem(case),
        },
    )


@login_required
@require_GET
def session_detail(
    request: AuthenticatedHttpRequest, case_id: UUID, session_id: UUID
) -> HttpResponse:
    case = _ptp_case(request, case_id)
    session = _session(case, session_id)
    ratings = list(
        GoalRating.objects.filter(
            goal__case=case, occasion=Occasion.PTP_SESSION, source_public_id=session.public_id
        )
        .select_related("goal")
        .order_by("goal__set_on", "goal_id")
    )
    _audit_view(request, case, page="session", session_id=str(session.public_id))
    return render(
        request,
        "ptp/session_detail.html",
        {
            "case": case,
            "session": session,
            "modules": [module_label(c) for c in _module_codes(session)],
            "ratings": ratings,
            "problem": _problem(case),
        },
    )


def _session_initial(session: PtpSession) -> dict[str, Any]:
    return {
        "held_on": session.held_on,
        "minutes": session.minutes,
        "content_level": session.content_level,
        "modules": _module_codes(session),
        "homework_review": session.homework_review,
        "homework_review_note": session.homework_review_note,
        "homework_set": session.homework_set,
        "note": session.note,
        "version": session.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(
    request: AuthenticatedHttpRequest, case_id: UUID, session_id: UUID
) -> HttpResponse:
    case = _ptp_case(request, case_id)
    session = _session(case, session_id)
    form = CorrectSessionForm(request.POST or None, initial=_session_initial(session))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_correct_session(
                session,
                form.to_input(),
                acting_user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, f"Session {session.number} corrected.")
            return redirect("ptp:session", case_id=case_id, session_id=session.public_id)
    if request.method == "GET":
        _audit_view(request, case, page="edit", session_id=str(session.public_id))
    return render(
        request,
        "ptp/session_edit.html",
        {"case": case, "session": session, "form": form, "problem": _problem(case)},
    )
