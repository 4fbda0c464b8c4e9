"""VIG pages: a case's cycles, one cycle, and recording each step of a cycle."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.access import get_case_for_user
from ipip.cases.models import Approach, Carer, Case, CaseStatus, Child
from ipip.consent.models import Purpose
from ipip.consent.queries import consent_state
from ipip.consent.rules import State
from ipip.core.errors import DomainError
from ipip.core.forms import VersionForm
from ipip.core.http import AuthenticatedHttpRequest
from ipip.goals.forms import GoalRatingsForm
from ipip.goals.models import Goal, GoalStatus
from ipip.vig import actions
from ipip.vig.forms import ClipForm, EditCycleForm, FilmingForm, ReviewForm, StartCycleForm
from ipip.vig.models import Clip, Filming, SharedReview, VigCycle
from ipip.vig.queries import clip_consent_withdrawn, cycle_rows, filming_rows


def _vig_case(request: AuthenticatedHttpRequest, case_id: UUID) -> Case:
    # These pages show names and the family's own words, so evaluators (who see no names)
    # get a 404: `for_write` leaves the allocated practitioner, area managers and the lead.
    return get_case_for_user(request.user, case_id, for_write=True)


def _cycle(case: Case, cycle_id: UUID) -> VigCycle:
    try:
        return VigCycle.objects.get(case=case, public_id=cycle_id)
    except VigCycle.DoesNotExist:
        raise Http404 from None


def _can_record(case: Case) -> bool:
    """Whether the case takes new VIG records (the actions enforce it; pages hide buttons)."""
    return case.approach == Approach.VIG and case.status in (
        CaseStatus.ALLOCATED,
        CaseStatus.ACTIVE,
    )


def _active_goals(case: Case) -> QuerySet[Goal]:
    return Goal.objects.filter(case=case, status=GoalStatus.ACTIVE).order_by("set_on", "id")


@login_required
@require_GET
def vig_index(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    case = _vig_case(request, case_id)
    rows = cycle_rows(case)
    state = consent_state(case)
    withdrawn = clip_consent_withdrawn(state)
    last = rows[-1].cycle if rows else None
    record(
        Action.VIG_VIEWED,
        actor=request.user,
        subject=case,
        family_public_id=case.family.public_id,
        data={"cycle_ids": [str(row.cycle.public_id) for row in rows]},
    )
    return render(
        request,
        "vig/vig_index.html",
        {
            "case": case,
            "rows": rows,
            "can_record": _can_record(case),
            "can_start": _can_record(case) and (last is None or last.is_complete),
            "next_number": 1 if last is None else last.number + 1,
            "has_filming_consent": state[Purpose.FILMING] == State.GIVEN,
            "clips_to_delete": sum(row.clip_count for row in rows) if withdrawn else 0,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def vig_start(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    case = _vig_case(request, case_id)
    form = StartCycleForm(request.POST or None, goals=_active_goals(case))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = actions.do_start_cycle(
                case,
                helping_question=data["helping_question"],
                started_on=data["started_on"],
                goals=list(data["goals"]),
                acting_user=request.user,
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, f"Cycle {cycle.number} started.")
            return redirect("vig:cycle", case_id=case_id, cycle_id=cycle.public_id)
    return render(request, "vig/vig_start.html", {"case": case, "form": form})


@login_required
@require_GET
def vig_cycle(request: AuthenticatedHttpRequest, case_id: UUID, cycle_id: UUID) -> HttpResponse:
    case = _vig_case(request, case_id)
    try:
        cycle = (
            VigCycle.objects.select_related("review")
            .prefetch_related(
                Prefetch("goals", queryset=Goal.objects.order_by("set_on", "id")),
            )
            .get(case=case, public_id=cycle_id)
        )
    except VigCycle.DoesNotExist:
        raise Http404 from None
    filmings = filming_rows(cycle)
    review: SharedReview | None = getattr(cycle, "review", None)
    record(
        Action.VIG_VIEWED,
        actor=request.user,
        subject=cycle,
        family_public_id=case.family.public_id,
        data={
            "cycle_id": str(cycle.public_id),
            "filming_ids": [str(row.filming.public_id) for row in filmings],
            "clip_ids": [str(c.public_id) for row in filmings for c in row.clips],
        },
    )
    can_record = _can_record(case)
    return render(
        request,
        "vig/vig_cycle.html",
        {
            "case": case,
            "cycle": cycle,
            "filmings": filmings,
            "review": review,
            "can_record": can_record,
            "can_film": can_record and not cycle.is_complete,
            # Removing stays possible on a closed case: consent may be withdrawn after closure.
            "can_remove": case.approach == Approach.VIG and case.status != CaseStatus.ACCEPTED,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def vig_edit(request: AuthenticatedHttpRequest, case_id: UUID, cycle_id: UUID) -> HttpResponse:
    case = _vig_case(request, case_id)
    cycle = _cycle(case, cycle_id)
    chosen = list(cycle.goals.all())
    goals = (
        Goal.objects.filter(case=case)
        .filter(Q(status=GoalStatus.ACTIVE) | Q(pk__in=[g.pk for g in chosen]))
        .order_by("set_on", "id")
    )
    initial: dict[str, Any] = {
        "helping_question": cycle.helping_question,
        "goals": chosen,
        "version": cycle.version,
    }
    form = EditCycleForm(request.POST or None, goals=goals, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_change_cycle(
                cycle,
                helping_question=data["helping_question"],
                goals=list(data["goals"]),
                acting_user=request.user,
                expected_version=data["version"],
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, f"Cycle {cycle.number} changed.")
            return redirect("vig:cycle", case_id=case_id, cycle_id=cycle_id)
    return render(request, "vig/vig_edit.html", {"case": case, "cycle": cycle, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def vig_filming(request: AuthenticatedHttpRequest, case_id: UUID, cycle_id: UUID) -> HttpResponse:
    case = _vig_case(request, case_id)
    cycle = _cycle(case, cycle_id)
    form = FilmingForm(
        request.POST or None,
        carers=Carer.objects.filter(family_id=case.family_id).order_by("id"),
        children=Child.objects.filter(family_id=case.family_id).order_by("date_of_birth", "id"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_record_filming(
                cycle,
                filmed_on=data["filmed_on"],
                activity=data["activity"],
                length_seconds=int(data["length"]),
                filmed_carers=list(data["filmed_carers"]),
                filmed_children=list(data["filmed_children"]),
                note=data["note"],
                acting_user=request.user,
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, "Filming recorded.")
            return redirect("vig:cycle", case_id=case_id, cycle_id=cycle_id)
    has_consent = consent_state(case)[Purpose.FILMING] == State.GIVEN
    return render(
        request,
        "vig/vig_filming.html",
        {"case": case, "cycle": cycle, "form": form, "has_filming_consent": has_consent},
    )


@login_required
@require_http_methods(["GET", "POST"])
def vig_clip(request: AuthenticatedHttpRequest, case_id: UUID, filming_id: UUID) -> HttpResponse:
    case = _vig_case(request, case_id)
    try:
        filming = Filming.objects.select_related("cycle").get(
            cycle__case=case, public_id=filming_id
        )
    except Filming.DoesNotExist:
        raise Http404 from None
    form = ClipForm(request.POST or None, film_length=filming.length_seconds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_add_clip(
                filming,
                start_seconds=data["start"],
                end_seconds=data["end"],
                principles=data["principles"],
                elements=form.elements(),
                note=data["note"],
                acting_user=request.user,
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, "Clip added.")
            return redirect("vig:cycle", case_id=case_id, cycle_id=filming.cycle.public_id)
    return render(
        request,
        "vig/vig_clip.html",
        {"case": case, "cycle": filming.cycle, "filming": filming, "form": form},
    )


@login_required
@require_POST
def vig_remove_clip(
    request: AuthenticatedHttpRequest, case_id: UUID, clip_id: UUID
) -> HttpResponse:
    case = _vig_case(request, case_id)
    try:
        clip = Clip.objects.select_related("filming__cycle").get(
            filming__cycle__case=case, public_id=clip_id
        )
    except Clip.DoesNotExist:
        raise Http404 from None
    cycle = clip.filming.cycle
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The clip was not removed: reload the page and try again.")
    else:
        try:
            actions.do_remove_clip(
                clip, acting_user=request.user, expected_version=form.cleaned_data["version"]
            )
        except DomainError as err:
            messages.error(request, str(err))
        else:
            messages.success(request, f"Clip {clip.time_range} removed.")
    return redirect("vig:cycle", case_id=case_id, cycle_id=cycle.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def vig_review(request: AuthenticatedHttpRequest, case_id: UUID, cycle_id: UUID) -> HttpResponse:
    case = _vig_case(request, case_id)
    cycle = _cycle(case, cycle_id)
    if cycle.is_complete:
        messages.info(request, f"The shared review of cycle {cycle.number} is already recorded.")
        return redirect("vig:cycle", case_id=case_id, cycle_id=cycle_id)
    data = request.POST or None
    form = ReviewForm(data, initial={"version": cycle.version})
    goal_form = GoalRatingsForm(data, goals=_active_goals(case), prefix="goals")
    # Both forms are checked (not short-circuited) so every error shows at once.
    if request.method == "POST" and all([form.is_valid(), goal_form.is_valid()]):
        cleaned = form.cleaned_data
        try:
            actions.do_record_review(
                cycle,
                reviewed_on=cleaned["reviewed_on"],
                parent_reflections=cleaned["parent_reflections"],
                celebrated=cleaned["celebrated"],
                next_goals=cleaned["next_goals"],
                ratings=goal_form.ratings(),
                acting_user=request.user,
                expected_version=cleaned["version"],
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, f"Shared review recorded: cycle {cycle.number} is complete.")
            return redirect("vig:cycle", case_id=case_id, cycle_id=cycle_id)
    return render(
        request,
        "vig/vig_review.html",
        {
            "case": case,
            "cycle": cycle,
            "form": form,
            "goal_form": goal_form,
            "form_list": [form, goal_form],
        },
    )
