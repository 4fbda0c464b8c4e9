"""The time points page: the national lead sets the windows and which questionnaires are
due at each time point. Everyone else gets a 404."""

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ipip.core.errors import DomainError
from ipip.core.http import AuthenticatedHttpRequest
from ipip.questionnaires.actions_settings import do_change_schedule, may_change_schedule
from ipip.questionnaires.forms_settings import WINDOW_FIELDS, ScheduleForm
from ipip.questionnaires.queries import current_settings, scheduled_codes, windows_of
from ipip.questionnaires.schedule import Point


@login_required
@require_http_methods(["GET", "POST"])
def schedule_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_change_schedule(request.user):
        raise Http404
    row = current_settings()
    stored = scheduled_codes()
    form = ScheduleForm(
        request.POST or None,
        stored=stored,
        initial={"version": row.version}
        | asdict(windows_of(row))
        | {point.value: stored[point] for point in Point},
    )
    if request.method == "POST" and form.is_valid():
        try:
            change = do_change_schedule(
                windows=form.windows(),
                instruments=form.instruments(),
                expected_version=form.cleaned_data["version"],
                acting_user=request.user,
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            if change.changed:
                messages.success(request, "Time points saved. They apply to every case now.")
            else:
                messages.info(request, "Nothing was changed.")
            return redirect("questionnaire_settings:edit")
    window_fields = [form[name] for name, *_rest in WINDOW_FIELDS]
    point_fields = [form[point.value] for point in Point]
    return render(
        request,
        "questionnaires/settings.html",
        {"form": form, "row": row, "window_fields": window_fields, "point_fields": point_fields},
    )
