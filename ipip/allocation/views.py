"""Allocation pages for an area: capacity, the waiting list, trial mode.

Centre managers see their own area; the national lead chooses one with the area filter.
Allocating a case is the case's own page (`cases:allocate`).
"""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from ipip.accounts.models import Area, User
from ipip.allocation import actions
from ipip.allocation.access import get_area_for_user, get_practitioner_for_user
from ipip.allocation.forms import AreaFilterForm, CapacityForm, TrialModeForm
from ipip.allocation.keys import key_is_ready
from ipip.allocation.models import Capacity, TrialAssignment, TrialSetting
from ipip.allocation.queries import practitioner_caseloads, waiting_list
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.core.errors import DomainError
from ipip.core.http import AuthenticatedHttpRequest


def _area(request: AuthenticatedHttpRequest) -> Area | None:
    return get_area_for_user(request.user, request.GET.get("area") or None)


def _area_url(name: str, user: User, area: Area | None) -> str:
    """An allocation page's address, keeping the national lead's choice of area."""
    url = reverse(name)
    return f"{url}?area={area.public_id}" if area is not None and user.is_national_lead else url


def _page_context(request: AuthenticatedHttpRequest, area: Area | None) -> dict[str, object]:
    user = request.user
    return {
        "area": area,
        "filters": AreaFilterForm(initial={"area": area}) if user.is_national_lead else None,
        "waiting_list_url": _area_url("allocation:waiting-list", user, area),
        "capacity_url": _area_url("allocation:capacity", user, area),
        "trial_url": _area_url("allocation:trial", user, area),
    }


@login_required
@require_GET
def waiting_list_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    area = _area(request)
    rows = waiting_list(area.pk) if area is not None else []
    trial = area is not None and TrialSetting.objects.filter(area=area, is_enabled=True).exists()
    if area is not None:
        record(
            Action.WAITING_LIST_VIEWED,
            actor=request.user,
            data={
                "area_id": str(area.public_id),
                "case_ids": [str(row.case_public_id) for row in rows],
            },
        )
    context = _page_context(request, area) | {"rows": rows, "trial": trial}
    return render(request, "allocation/waiting_list.html", context)


@login_required
@require_GET
def capacity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    area = _area(request)
    rows = practitioner_caseloads(area.pk) if area is not None else []
    context = _page_context(request, area) | {"rows": rows}
    return render(request, "allocation/capacity_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def capacity_edit(request: AuthenticatedHttpRequest, practitioner_id: UUID) -> HttpResponse:
    practitioner = get_practitioner_for_user(request.user, practitioner_id)
    capacity = Capacity.objects.filter(practitioner=practitioner).first()
    form = CapacityForm(
        request.POST or None,
        initial={
            "version": capacity.version if capacity is not None else None,
            "max_open_cases": capacity.max_open_cases if capacity is not None else None,
        },
    )
    back = _area_url("allocation:capacity", request.user, practitioner.area)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_capacity(
                practitioner,
                max_open_cases=form.cleaned_data["max_open_cases"],
                acting_user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, f"Capacity set for {practitioner.display_name}.")
            return redirect(back)
    return render(
        request,
        "allocation/capacity_edit.html",
        {"practitioner": practitioner, "form": form, "back": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def trial_mode(request: AuthenticatedHttpRequest) -> HttpResponse:
    area = _area(request)
    if area is None:
        if request.method == "POST":
            raise Http404
        return render(request, "allocation/trial_mode.html", _page_context(request, area))
    setting = TrialSetting.objects.filter(area=area).select_related("changed_by").first()
    is_on = setting is not None and setting.is_enabled
    form = TrialModeForm(
        request.POST or None,
        initial={
            "version": setting.version if setting else 1,
            "enabled": "yes" if is_on else "no",
        },
    )
    if request.method == "POST" and form.is_valid():
        enabled = form.cleaned_data["enabled"] == "yes"
        try:
            actions.do_set_trial_mode(
                area,
                is_enabled=enabled,
                acting_user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, f"Trial mode is now {'on' if enabled else 'off'} in {area}.")
            return redirect(_area_url("allocation:trial", request.user, area))
    context = _page_context(request, area) | {
        "form": form,
        "setting": setting,
        "is_on": is_on,
        "randomised": TrialAssignment.objects.filter(area=area).count(),
        "key_ready": key_is_ready(),
    }
    return render(request, "allocation/trial_mode.html", context)
