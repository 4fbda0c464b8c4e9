"""Safeguarding pages: a case's concerns, raising one, escalating it, the outcome; and the
alerts list (mounted separately, see `alert_urls.py`)."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipip.accounts.models import Role
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.access import get_case_for_user, may_work_on_case
from ipip.cases.models import Case, Child
from ipip.core.errors import DomainError
from ipip.core.forms import VersionForm
from ipip.core.http import AuthenticatedHttpRequest
from ipip.core.pages import paginate
from ipip.safeguarding import actions
from ipip.safeguarding.forms import EscalateForm, OutcomeForm, RaiseConcernForm
from ipip.safeguarding.models import (
    Agency,
    Alert,
    Concern,
    ConcernStatus,
    Escalation,
    EscalationOutcome,
)
from ipip.safeguarding.queries import alerts_for, open_alerts_for, with_links


def _case(request: AuthenticatedHttpRequest, case_id: UUID) -> Case:
    """Safeguarding records name children and say what was seen: only staff on the case
    (the allocated practitioner, managers of the area, the lead). Others get a 404."""
    case = get_case_for_user(request.user, case_id, for_write=True)
    if not may_work_on_case(request.user, case):
        raise Http404
    return case


def _concern(case: Case, concern_id: UUID) -> Concern:
    try:
        return Concern.objects.select_related("raised_by").get(case=case, public_id=concern_id)
    except Concern.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def safeguarding_index(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id)
    concerns = list(
        Concern.objects.filter(case=case)
        .select_related("raised_by")
        .prefetch_related(
            "children",
            Prefetch("escalations", queryset=Escalation.objects.order_by("escalated_on", "id")),
        )
        .order_by("-raised_on", "-id")
    )
    record(
        Action.SAFEGUARDING_VIEWED,
        actor=request.user,
        subject=case,
        family_public_id=case.family.public_id,
        data={"concern_ids": [str(c.public_id) for c in concerns]},
    )
    return render(
        request,
        "safeguarding/safeguarding_index.html",
        {
            "case": case,
            "concerns": concerns,
            "open_count": sum(1 for c in concerns if c.status == ConcernStatus.OPEN),
            "awaiting_count": sum(
                1 for c in concerns for e in c.escalations.all() if e.is_awaiting
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_raise(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id)
    form = RaiseConcernForm(
        request.POST if request.method == "POST" else None,
        children=Child.objects.filter(family_id=case.family_id).order_by("date_of_birth", "id"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            concern = actions.do_raise_concern(
                case,
                raised_on=data["raised_on"],
                what_happened=data["what_happened"],
                children=list(data["children"]),
                acting_user=request.user,
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, "Concern recorded. The centre managers have been alerted.")
            return redirect("safeguarding:concern", case_id=case_id, concern_id=concern.public_id)
    return render(request, "safeguarding/concern_raise.html", {"case": case, "form": form})


def _concern_page(
    request: AuthenticatedHttpRequest,
    case: Case,
    concern: Concern,
    *,
    action_errors: list[str] | None = None,
) -> HttpResponse:
    escalations = list(concern.escalations.order_by("escalated_on", "id"))
    children = list(concern.children.order_by("date_of_birth", "id"))
    record(
        Action.SAFEGUARDING_VIEWED,
        actor=request.user,
        subject=concern,
        family_public_id=case.family.public_id,
        data={
            "concern_ids": [str(concern.public_id)],
            "escalation_ids": [str(e.public_id) for e in escalations],
        },
    )
    return render(
        request,
        "safeguarding/concern_detail.html",
        {
            "case": case,
            "concern": concern,
            "children": children,
            "escalations": escalations,
            "can_close": concern.status == ConcernStatus.OPEN,
            "version_form": VersionForm(initial={"version": concern.version}),
            "action_errors": action_errors or [],
        },
        status=409 if action_errors else 200,
    )


@login_required
@require_GET
def concern_detail(
    request: AuthenticatedHttpRequest, case_id: UUID, concern_id: UUID
) -> HttpResponse:
    case = _case(request, case_id)
    return _concern_page(request, case, _concern(case, concern_id))


@login_required
@require_POST
def concern_close(
    request: AuthenticatedHttpRequest, case_id: UUID, concern_id: UUID
) -> HttpResponse:
    case = _case(request, case_id)
    concern = _concern(case, concern_id)
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("The page was out of date: reload it and try again.")
        actions.do_close_concern(
            concern, acting_user=request.user, expected_version=form.cleaned_data["version"]
        )
    except DomainError as err:
        return _concern_page(request, case, _concern(case, concern_id), action_errors=[str(err)])
    messages.success(request, "Concern closed with no further action.")
    return redirect("safeguarding:concern", case_id=case_id, concern_id=concern_id)


@login_required
@require_http_methods(["GET", "POST"])
def concern_escalate(
    request: AuthenticatedHttpRequest, case_id: UUID, concern_id: UUID
) -> HttpResponse:
    case = _case(request, case_id)
    concern = _concern(case, concern_id)
    form = EscalateForm(
        request.POST if request.method == "POST" else None,
        raised_on=concern.raised_on,
        initial={"version": concern.version, "agency": Agency.CHILDRENS_SOCIAL_CARE},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_escalate_concern(
                concern,
                escalated_on=data["escalated_on"],
                reason=data["reason"],
                agency=Agency(data["agency"]),
                agency_name=data["agency_name"],
                acting_user=request.user,
                expected_version=data["version"],
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, "Escalation recorded. Record the outcome when you know it.")
            return redirect("safeguarding:concern", case_id=case_id, concern_id=concern_id)
    return render(
        request,
        "safeguarding/concern_escalate.html",
        {"case": case, "concern": concern, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalation_outcome(
    request: AuthenticatedHttpRequest, case_id: UUID, escalation_id: UUID
) -> HttpResponse:
    case = _case(request, case_id)
    try:
        escalation = Escalation.objects.select_related("concern").get(
            concern__case=case, public_id=escalation_id
        )
    except Escalation.DoesNotExist:
        raise Http404 from None
    initial: dict[str, object] = {"version": escalation.version}
    if not escalation.is_awaiting:
        initial |= {"outcome": escalation.outcome, "outcome_on": escalation.outcome_on}
    form = OutcomeForm(
        request.POST if request.method == "POST" else None,
        escalated_on=escalation.escalated_on,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        was_closed = case.is_closed
        try:
            escalation = actions.do_record_escalation_outcome(
                escalation,
                outcome=EscalationOutcome(data["outcome"]),
                outcome_on=data["outcome_on"],
                acting_user=request.user,
                expected_version=data["version"],
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            closed_now = not was_closed and Case.objects.get(pk=case.pk).is_closed
            messages.success(
                request,
                "Outcome recorded. The family is no longer eligible: the case is closed and "
                "the centre managers have been alerted."
                if closed_now
                else "Outcome recorded.",
            )
            return redirect(
                "safeguarding:concern", case_id=case_id, concern_id=escalation.concern.public_id
            )
    return render(
        request,
        "safeguarding/escalation_outcome.html",
        {"case": case, "escalation": escalation, "form": form},
    )


# -- alerts (mounted at alerts/ by alert_urls.py) --------------------------------------

ALERT_ROLES = frozenset({Role.PRACTITIONER, Role.CENTRE_MANAGER, Role.NATIONAL_LEAD})


@login_required
@require_GET
def alert_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open alerts for this person: their area's (managers), all (the lead), or the ones
    addressed to them (practitioners). Others have no alerts: 404."""
    if request.user.role not in ALERT_ROLES:
        raise Http404
    page, base_query = paginate(request, with_links(open_alerts_for(request.user)))
    record(
        Action.ALERTS_VIEWED,
        actor=request.user,
        data={
            "page": page.number,
            "alert_ids": [str(a.public_id) for a in page.object_list],
        },
    )
    return render(
        request,
        "safeguarding/alert_list.html",
        {"page_obj": page, "base_query": base_query},
    )


@login_required
@require_POST
def alert_acknowledge(request: AuthenticatedHttpRequest, alert_id: UUID) -> HttpResponse:
    try:
        alert = alerts_for(request.user).get(public_id=alert_id)
    except Alert.DoesNotExist:
        raise Http404 from None
    try:
        actions.do_acknowledge_alert(alert, acting_user=request.user)
    except DomainError as err:
        messages.info(request, str(err))
    else:
        messages.success(request, "Alert acknowledged.")
    return redirect("alerts:list")
