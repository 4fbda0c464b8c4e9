"""Goal pages: the parent's goals with their ratings over time, setting a goal, a review of
the goals on its own, and marking a goal achieved or no longer a goal."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import Truncator
from django.views.decorators.http import require_GET, require_http_methods

from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.access import get_case_for_user
from ipip.cases.models import Case, CaseStatus
from ipip.core.errors import DomainError
from ipip.core.http import AuthenticatedHttpRequest
from ipip.goals import actions
from ipip.goals.actions import Rating
from ipip.goals.charts import goal_chart_svg
from ipip.goals.forms import GoalRatingsForm, GoalStatusForm, ReviewDateForm, SetGoalForm
from ipip.goals.models import Goal, GoalStatus
from ipip.goals.queries import GoalView, case_goals

STATUS_MESSAGES = {
    GoalStatus.ACHIEVED: "Goal marked as achieved.",
    GoalStatus.DROPPED: "Goal marked as no longer a goal.",
    GoalStatus.ACTIVE: "Goal marked as being worked on again.",
}


def _goals_case(request: AuthenticatedHttpRequest, case_id: UUID) -> Case:
    # Goals are in the parent's own words, so evaluators (who see no names or free text)
    # get a 404: `for_write` leaves the allocated practitioner, managers and the lead.
    return get_case_for_user(request.user, case_id, for_write=True)


def _chart_title(view: GoalView) -> str:
    return f"Ratings over time, {view.name}: {Truncator(view.goal.text).chars(80)}"


@login_required
@require_GET
def goal_index(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    case = _goals_case(request, case_id)
    goals = case_goals(case)
    record(
        Action.GOALS_VIEWED,
        actor=request.user,
        subject=case,
        family_public_id=case.family.public_id,
        data={"goal_ids": [str(v.goal.public_id) for v in goals]},
    )
    rows = [
        (v, goal_chart_svg(v.points, chart_id=f"chart-{v.goal.public_id}", title=_chart_title(v)))
        for v in goals
    ]
    return render(
        request,
        "goals/goal_index.html",
        {
            "case": case,
            "active": [(v, chart) for v, chart in rows if v.is_active],
            "past": [(v, chart) for v, chart in rows if not v.is_active],
            "has_goals": bool(goals),
            "can_change": case.status != CaseStatus.CLOSED,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    case = _goals_case(request, case_id)
    form = SetGoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_set_goal(
                case,
                text=data["text"],
                set_on=data["set_on"],
                rating=Rating(now=data["now"], hoped=data["hoped"]),
                acting_user=request.user,
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, "Goal set.")
            return redirect("goals:index", case_id=case_id)
    return render(request, "goals/goal_new.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def goal_rate(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    case = _goals_case(request, case_id)
    data = request.POST or None
    date_form = ReviewDateForm(data)
    goal_form = GoalRatingsForm(
        data,
        goals=Goal.objects.filter(case=case, status=GoalStatus.ACTIVE).order_by("set_on", "id"),
        require_one=True,
    )
    # Both forms are checked, so every error shows at once.
    if request.method == "POST" and all([date_form.is_valid(), goal_form.is_valid()]):
        try:
            actions.do_rate_goals(
                case,
                goal_form.ratings(),
                rated_on=date_form.cleaned_data["rated_on"],
                acting_user=request.user,
            )
        except DomainError as err:
            date_form.add_error(None, str(err))
        else:
            messages.success(request, "Ratings saved.")
            return redirect("goals:index", case_id=case_id)
    return render(
        request,
        "goals/goal_rate.html",
        {
            "case": case,
            "date_form": date_form,
            "goal_form": goal_form,
            "forms": [date_form, goal_form],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_status(request: AuthenticatedHttpRequest, case_id: UUID, goal_id: UUID) -> HttpResponse:
    case = _goals_case(request, case_id)
    try:
        goal = Goal.objects.get(case=case, public_id=goal_id)
    except Goal.DoesNotExist:
        raise Http404 from None
    # A link from the goals page may say which status to offer first (?to=achieved).
    offered = request.GET.get("to", "")
    initial: dict[str, object] = {"version": goal.version}
    if offered in GoalStatus.values and offered != goal.status:
        initial["status"] = offered
    form = GoalStatusForm(request.POST or None, initial=initial, current=GoalStatus(goal.status))
    if request.method == "POST" and form.is_valid():
        status = GoalStatus(form.cleaned_data["status"])
        try:
            actions.do_change_goal_status(
                goal,
                status=status,
                acting_user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, STATUS_MESSAGES[status])
            return redirect("goals:index", case_id=case_id)
    return render(request, "goals/goal_status.html", {"case": case, "goal": goal, "form": form})
