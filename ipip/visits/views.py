"""Visit pages: a case's visits, scheduling one, recording its outcome."""

from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.access import get_case_for_user
from ipip.cases.models import Carer, Case, CaseStatus, Child
from ipip.core.errors import DomainError
from ipip.core.http import AuthenticatedHttpRequest
from ipip.visits import actions
from ipip.visits.forms import RecordVisitForm, ScheduleVisitForm
from ipip.visits.models import Visit, VisitOutcome
from ipip.visits.rules import OVERDUE, PLANNED, case_visit_summary, visit_state


@dataclass(frozen=True)
class VisitRow:
    visit: Visit
    state: str

    @property
    def is_overdue(self) -> bool:
        return self.state == OVERDUE


def _visits_case(request: AuthenticatedHttpRequest, case_id: UUID) -> Case:
    # These pages name the people present, so evaluators (who see no names) get a 404:
    # `for_write` leaves the allocated practitioner, managers of the area and the lead.
    return get_case_for_user(request.user, case_id, for_write=True)


@login_required
@require_GET
def visit_index(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    case = _visits_case(request, case_id)
    now = timezone.now()
    visits = list(
        Visit.objects.filter(case=case)
        .prefetch_related("present_carers", "present_children")
        .order_by("scheduled_at", "id")
    )
    rows = [VisitRow(v, visit_state(v.scheduled_at, v.outcome, now)) for v in visits]
    record(
        Action.VISITS_VIEWED,
        actor=request.user,
        subject=case,
        family_public_id=case.family.public_id,
        data={"visit_ids": [str(v.public_id) for v in visits]},
    )
    return render(
        request,
        "visits/visit_index.html",
        {
            "case": case,
            "summary": case_visit_summary(visits, now),
            "planned": [r for r in rows if r.state in (PLANNED, OVERDUE)],
            "past": [r for r in reversed(rows) if r.visit.is_recorded],
            "can_change": case.status != CaseStatus.CLOSED and case.allocated_to_id is not None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_schedule(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    case = _visits_case(request, case_id)
    form = ScheduleVisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_schedule_visit(
                case,
                scheduled_at=form.scheduled_at(),
                planned_minutes=form.cleaned_data["planned_minutes"],
                acting_user=request.user,
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, "Visit scheduled.")
            return redirect("visits:index", case_id=case_id)
    return render(request, "visits/visit_schedule.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def visit_record(request: AuthenticatedHttpRequest, case_id: UUID, visit_id: UUID) -> HttpResponse:
    case = _visits_case(request, case_id)
    try:
        visit = Visit.objects.get(case=case, public_id=visit_id)
    except Visit.DoesNotExist:
        raise Http404 from None
    form = RecordVisitForm(
        request.POST or None,
        initial={"version": visit.version},
        carers=Carer.objects.filter(family_id=case.family_id).order_by("id"),
        children=Child.objects.filter(family_id=case.family_id).order_by("date_of_birth", "id"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_record_visit(
                visit,
                outcome=VisitOutcome(data["outcome"]),
                actual_minutes=data["actual_minutes"],
                present_carers=list(data["present_carers"]),
                present_children=list(data["present_children"]),
                note=data["note"],
                acting_user=request.user,
                expected_version=data["version"],
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, "Visit recorded.")
            return redirect("visits:index", case_id=case_id)
    return render(
        request, "visits/visit_record.html", {"case": case, "visit": visit, "form": form}
    )
