"""Case pages: the list with filters, the detail, allocation, activation, closure, audit trails."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipip.accounts.models import Role, User
from ipip.allocation.keys import key_is_ready
from ipip.allocation.queries import (
    AllocationMode,
    allocation_history,
    allocation_mode,
    practitioner_caseloads,
)
from ipip.audit.events import Action
from ipip.audit.forms import AuditFilterForm
from ipip.audit.models import AuditEvent
from ipip.audit.record import record
from ipip.cases import actions
from ipip.cases.access import (
    cases_for_user,
    get_case_for_audit,
    get_case_for_user,
    may_work_on_case,
    shows_identity,
)
from ipip.cases.forms import AllocateForm, CaseFilterForm, CloseForm
from ipip.cases.models import Approach, Case, CaseStatus, Child, ClosureReason, Family
from ipip.consent.models import Purpose
from ipip.consent.queries import has_consent
from ipip.core.errors import DomainError
from ipip.core.forms import VersionForm
from ipip.core.http import AuthenticatedHttpRequest
from ipip.core.pages import paginate
from ipip.dashboard.fidelity import Flag, assess
from ipip.dashboard.queries import case_ids_flagged, facts_of, flags_of, with_fidelity
from ipip.goals.queries import goals_summary
from ipip.questionnaires.queries import (
    case_ids_with,
    load_plan,
    schedule_annotations,
    schedules_for,
)
from ipip.questionnaires.schedule import Status
from ipip.visits.models import caseload_annotations


@login_required
@require_GET
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.role in (Role.REFERRER, Role.ADMINISTRATOR):
        raise Http404
    filters = CaseFilterForm(request.GET or None)
    qs = cases_for_user(user).select_related("area", "allocated_to", "family")
    if filters.is_valid():
        if filters.cleaned_data["area"] is not None:
            qs = qs.filter(area=filters.cleaned_data["area"])
        if filters.cleaned_data["status"]:
            qs = qs.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data["approach"]:
            qs = qs.filter(approach=filters.cleaned_data["approach"])
        if filters.cleaned_data["closure_reason"]:
            qs = qs.filter(closure_reason=filters.cleaned_data["closure_reason"])
        if filters.cleaned_data["practitioner"]:
            qs = qs.filter(allocated_to__public_id=filters.cleaned_data["practitioner"])
    now = timezone.now()
    if filters.is_valid() and filters.cleaned_data["flag"]:
        # Flags are computed, not stored: judge the cases in scope (one query), then page.
        qs = qs.filter(pk__in=case_ids_flagged(qs, Flag(filters.cleaned_data["flag"]), now))
    # Questionnaires due, for those who may open them (not evaluators): the plan (two
    # queries), the filter (one more, when used) and the page's administrations (one).
    today = timezone.localdate(now)
    plan = load_plan() if shows_identity(user) else None
    if plan is not None and filters.is_valid() and filters.cleaned_data["questionnaires"]:
        wanted = Status(filters.cleaned_data["questionnaires"])
        qs = qs.filter(pk__in=case_ids_with(qs, wanted, plan=plan, today=today))
    # What is due, overdue and next per case, and the counts the fidelity rules need:
    # subqueries in the same query as the page.
    qs = with_fidelity(qs.annotate(**caseload_annotations(now), **schedule_annotations()))
    page, base_query = paginate(request, qs.order_by("-accepted_at", "-id"))
    schedules = schedules_for(page.object_list, plan=plan, today=today) if plan else {}
    for case in page.object_list:
        case.fidelity_flags = flags_of(case, now)
        case.questionnaires = schedules[case.pk].counts if plan else None
    record(
        Action.CASE_LIST_VIEWED,
        actor=user,
        data={
            "filters": {k: v for k, v in request.GET.items() if k != "page"},
            "page": page.number,
            "case_ids": [str(c.public_id) for c in page.object_list],
        },
    )
    return render(
        request,
        "cases/case_list.html",
        {
            "page_obj": page,
            "base_query": base_query,
            "filters": filters,
            "show_identity": shows_identity(user),
            "now": now,
        },
    )


def _detail_context(case: Case, user: User) -> dict[str, object]:
    referral = getattr(case, "referral", None)
    identity = shows_identity(user)
    children = (
        list(Child.objects.filter(family_id=case.family_id).order_by("date_of_birth", "id"))
        if identity
        else []
    )
    is_manager = user.manages_referrals
    open_case = case.status != CaseStatus.CLOSED
    facts = facts_of(with_fidelity(Case.objects.filter(pk=case.pk)).get(), timezone.now())
    return {
        "case": case,
        "fidelity": facts,
        "goals_summary": goals_summary(case) if identity else None,
        "fidelity_flags": assess(facts) if facts is not None else [],
        "referral": referral,
        "decision": referral.current_decision if referral is not None else None,
        "children": children,
        "carers": list(case.family.carers.all()) if identity else [],
        "show_identity": identity,
        "age_at_referral": referral.referred_child.age_on(referral.received_on)
        if referral
        else None,
        "can_allocate": is_manager
        and case.status in (CaseStatus.ACCEPTED, CaseStatus.ALLOCATED, CaseStatus.ACTIVE),
        "allocation_history": allocation_history(case) if identity else [],
        "can_activate": case.status == CaseStatus.ALLOCATED
        and (is_manager or case.allocated_to_id == user.pk),
        "can_close": open_case and may_work_on_case(user, case),
        "can_see_audit": is_manager or user.role == Role.ADMINISTRATOR,
        "version_form": VersionForm(initial={"version": case.version}),
    }


@login_required
@require_GET
def case_detail(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case = get_case_for_user(request.user, public_id)
    record(
        Action.CASE_VIEWED,
        actor=request.user,
        subject=case,
        family_public_id=case.family.public_id,
        data={"pseudonymous": not shows_identity(request.user)},
    )
    return render(request, "cases/case_detail.html", _detail_context(case, request.user))


def _manager_case(request: AuthenticatedHttpRequest, public_id: UUID) -> Case:
    case = get_case_for_user(request.user, public_id, for_write=True)
    if not request.user.manages_referrals:
        raise Http404
    return case


def _allocate_form(
    request: AuthenticatedHttpRequest, case: Case, mode: AllocationMode
) -> AllocateForm:
    return AllocateForm(
        request.POST or None,
        area_id=case.area_id,
        choose_approach=mode.choose_approach,
        reallocating=mode.reallocating,
        initial={
            "version": case.version,
            "practitioner": case.allocated_to_id,
            "approach": case.approach,
        },
    )


def _allocated_messages(
    request: AuthenticatedHttpRequest, case: Case, mode: AllocationMode
) -> None:
    if mode.randomise:
        messages.success(
            request,
            f"Case allocated. The approach assigned at random is {case.get_approach_display()}.",
        )
    else:
        messages.success(request, "Case allocated.")
    practitioner = case.allocated_to
    assert practitioner is not None
    row = next(
        (c for c in practitioner_caseloads(case.area_id) if c.practitioner.pk == practitioner.pk),
        None,
    )
    if row is not None and row.is_over:
        messages.warning(
            request,
            f"{practitioner.display_name} now has {row.open_cases} open cases, more than their "
            f"capacity of {row.capacity}.",
        )


def _posted_approach(
    request: AuthenticatedHttpRequest, data: dict[str, Any], mode: AllocationMode
) -> Approach | None:
    """The approach chosen; in trial mode none, unless a page from before the trial was
    switched on sent one: then the action refuses it rather than ignore the choice."""
    if mode.choose_approach:
        return Approach(data["approach"])
    posted = request.POST.get("approach", "")
    return Approach(posted) if posted in Approach.values else None


@login_required
@require_http_methods(["GET", "POST"])
def case_allocate(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case = _manager_case(request, public_id)
    mode = allocation_mode(case)
    form = _allocate_form(request, case, mode)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = actions.do_allocate_case(
                case,
                practitioner=data["practitioner"],
                approach=_posted_approach(request, data, mode),
                acting_user=request.user,
                reason=data.get("reason", ""),
                expected_version=data["version"],
            )
        except DomainError as err:
            # Trial mode may have been switched meanwhile: show the form as it is now.
            if allocation_mode(case) != mode:
                mode = allocation_mode(case)
                form = _allocate_form(request, case, mode)
                form.is_valid()
            form.add_error(None, str(err))
        else:
            _allocated_messages(request, case, mode)
            return redirect("cases:detail", public_id=public_id)
    caseloads = practitioner_caseloads(case.area_id)
    context = {
        "case": case,
        "form": form,
        "caseloads": caseloads,
        "any_full": any(row.is_full for row in caseloads),
        "mode": mode,
        "research_consent": has_consent(case, Purpose.RESEARCH) if mode.randomise else None,
        "key_ready": key_is_ready() if mode.randomise else None,
    }
    return render(request, "cases/case_allocate.html", context)


@login_required
@require_POST
def case_activate(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case = get_case_for_user(request.user, public_id, for_write=True)
    if not (request.user.manages_referrals or case.allocated_to_id == request.user.pk):
        raise Http404
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("The page was out of date: reload it and try again.")
        actions.do_activate_case(
            case, acting_user=request.user, expected_version=form.cleaned_data["version"]
        )
    except DomainError as err:
        context = _detail_context(case, request.user)
        context["action_errors"] = [str(err)]
        return render(request, "cases/case_detail.html", context, status=409)
    messages.success(request, "Case is now active.")
    return redirect("cases:detail", public_id=public_id)


@login_required
@require_http_methods(["GET", "POST"])
def case_close(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    # The allocated practitioner runs the case to closure; managers of the area and the
    # national lead may close it too (`may_work_on_case`). Others get a 404.
    case = get_case_for_user(request.user, public_id, for_write=True)
    if not may_work_on_case(request.user, case):
        raise Http404
    form = CloseForm(
        request.POST if request.method == "POST" else None, initial={"version": case.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_close_case(
                case,
                reason=ClosureReason(form.cleaned_data["reason"]),
                note=form.cleaned_data["note"],
                acting_user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, "Case closed.")
            return redirect("cases:detail", public_id=public_id)
    return render(request, "cases/case_close.html", {"case": case, "form": form})


@login_required
@require_GET
def case_audit(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case = get_case_for_audit(request.user, public_id)
    record(
        Action.CASE_AUDIT_VIEWED,
        actor=request.user,
        subject=case,
        family_public_id=case.family.public_id,
    )
    events = (
        AuditEvent.objects.for_family(case.family.public_id)
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )
    page, base_query = paginate(request, events)
    return render(
        request,
        "cases/case_audit.html",
        {"case": case, "page_obj": page, "base_query": base_query},
    )


@login_required
@require_GET
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who saw and changed what, newest first, filtered by person, family or action."""
    if not request.user.is_administrator:
        raise Http404
    filters = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("actor").order_by("-occurred_at", "-id")
    if filters.is_valid():
        data = filters.cleaned_data
        if data["actor"]:
            events = events.filter(actor__email__iexact=data["actor"])
        if data["family"]:
            family = Family.objects.filter(pseudonym=data["family"].strip().upper()).first()
            events = events.filter(family_public_id=family.public_id) if family else events.none()
        if data["action"]:
            events = events.filter(action=data["action"])
    page, base_query = paginate(request, events)
    record(
        Action.AUDIT_LOG_VIEWED,
        actor=request.user,
        data={
            "filters": {k: v for k, v in request.GET.items() if k != "page"},
            "page": page.number,
        },
    )
    return render(
        request,
        "audit/audit_log.html",
        {"page_obj": page, "base_query": base_query, "filters": filters},
    )
