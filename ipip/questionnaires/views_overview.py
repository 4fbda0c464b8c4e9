"""A case's questionnaires: each time point with its window and the status of each
questionnaire due at it, with a link to start, continue or view it; the questionnaires
started by hand; links to start another and to the results."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.models import Case, Child
from ipip.core.dates import long_date
from ipip.core.http import AuthenticatedHttpRequest
from ipip.questionnaires.access import get_questionnaire_case
from ipip.questionnaires.actions_settings import may_change_schedule
from ipip.questionnaires.instruments import REGISTRY
from ipip.questionnaires.instruments.base import Instrument, LicenceMode
from ipip.questionnaires.queries import load_plan, schedule_for_case
from ipip.questionnaires.schedule import (
    Done,
    Entry,
    Point,
    Status,
    TimePointSchedule,
    Window,
    Windows,
)

TAGS: Mapping[Status, str] = {
    Status.NOT_YET_DUE: "govuk-tag--grey",
    Status.DUE: "govuk-tag--blue",
    Status.OVERDUE: "govuk-tag--orange",
    Status.MISSED: "govuk-tag--red",
    Status.IN_PROGRESS: "govuk-tag--yellow",
    Status.COMPLETED: "govuk-tag--green",
}


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Row:
    name: str
    about: str  # the child's name, for a questionnaire about a child
    status: Status
    tag: str
    note: str  # "Completed 12 March 2026", "Overdue: due by ...", ...
    outside_window: bool
    action: Link | None
    time_point: str = ""  # for the questionnaires started by hand


@dataclass(frozen=True)
class Section:
    point: Point
    applies: bool
    dates: list[str]
    rows: list[Row]
    notes: tuple[str, ...]


def _name(child: Child | None) -> str:
    return f"{child.first_name} {child.last_name}" if child is not None else ""


def _url(name: str, case: Case, done: Done) -> str:
    return reverse(
        f"questionnaires:{name}",
        kwargs={"case_id": case.public_id, "administration_id": done.public_id},
    )


def _action(case: Case, instrument: Instrument | None, done: Done) -> Link | None:
    if done.is_completed or instrument is None:
        return Link("View", _url("detail", case, done))
    name = "answer" if instrument.licence == LicenceMode.ITEMS else "scores"
    return Link("Continue", _url(name, case, done))


def _start(case: Case, point: Point, entry: Entry, children: Mapping[int, Child]) -> Link:
    query = {"instrument": entry.instrument.code, "time_point": point.value}
    child = children.get(entry.child_id) if entry.child_id is not None else None
    if child is not None:
        query["child"] = str(child.public_id)
    start = reverse("questionnaires:start", kwargs={"case_id": case.public_id})
    return Link("Start", f"{start}?{urlencode(query)}")


def _note(entry: Entry, window: Window) -> str:
    if entry.done is not None and entry.done.completed_on is not None:
        return f"Completed {long_date(entry.done.completed_on)}"
    if entry.timing == Status.MISSED and window.closes_on is not None:
        return f"Window closed {long_date(window.closes_on)}"
    if entry.timing == Status.OVERDUE and window.due_on is not None:
        return f"Was due by {long_date(window.due_on)}"
    if entry.timing == Status.NOT_YET_DUE and window.opens_on is not None:
        return f"Opens {long_date(window.opens_on)}"
    return ""


def _row(
    case: Case, point: Point, entry: Entry, window: Window, children: Mapping[int, Child]
) -> Row:
    if entry.done is not None:
        action: Link | None = _action(case, entry.instrument, entry.done)
    elif entry.status == Status.NOT_YET_DUE:
        action = None
    else:
        action = _start(case, point, entry, children)
    return Row(
        name=entry.instrument.name,
        about=_name(children.get(entry.child_id)) if entry.child_id is not None else "",
        status=entry.status,
        tag=TAGS[entry.status],
        note=_note(entry, window),
        outside_window=entry.outside_window,
        action=action,
    )


def _dates(point: Point, window: Window, windows: Windows) -> list[str]:
    """The window in words, for the dates known and the rule for those not yet known."""
    lines = []
    if window.opens_on is not None:
        lines.append(f"Opens {long_date(window.opens_on)}")
    if window.due_on is not None:
        lines.append(f"Due by {long_date(window.due_on)}")
    elif point == Point.END:
        lines.append("Due by closure")
    if window.closes_on is not None:
        lines.append(f"Missed after {long_date(window.closes_on)}")
    elif point == Point.BASELINE:
        lines.append(
            f"Missed {windows.baseline_grace_days} days after the first intervention visit"
        )
    elif point == Point.END:
        lines.append(f"Missed {windows.end_window_after_days} days after closure")
    return lines


def _section(
    case: Case, tp: TimePointSchedule, windows: Windows, children: Mapping[int, Child]
) -> Section:
    if tp.window is None:
        return Section(tp.point, False, [], [], tp.notes)
    window = tp.window
    return Section(
        point=tp.point,
        applies=True,
        dates=_dates(tp.point, window, windows),
        rows=[_row(case, tp.point, e, window, children) for e in tp.entries],
        notes=tp.notes,
    )


def _other_row(case: Case, done: Done, children: Mapping[int, Child]) -> Row:
    instrument = REGISTRY.get(done.instrument_code)
    status = Status.COMPLETED if done.is_completed else Status.IN_PROGRESS
    return Row(
        name=instrument.name if instrument is not None else done.instrument_code,
        about=_name(children.get(done.child_id)) if done.child_id is not None else "",
        status=status,
        tag=TAGS[status],
        note=f"Completed {long_date(done.completed_on)}" if done.completed_on else "",
        outside_window=False,
        action=_action(case, instrument, done),
        time_point=Point(done.time_point).label if done.time_point in Point else "",
    )


@login_required
@require_GET
def questionnaire_index(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    case = get_questionnaire_case(request.user, case_id)
    today: date = timezone.localdate()
    plan = load_plan()
    schedule = schedule_for_case(case, today=today, plan=plan)
    children = {c.pk: c for c in Child.objects.filter(family_id=case.family_id)}
    done = [e.done for tp in schedule.time_points for e in tp.entries if e.done]
    record(
        Action.QUESTIONNAIRE_VIEWED,
        actor=request.user,
        subject=case,
        family_public_id=case.family.public_id,
        data={
            "page": "time_points",
            "administration_ids": [str(d.public_id) for d in [*done, *schedule.others]],
        },
    )
    return render(
        request,
        "questionnaires/overview.html",
        {
            "case": case,
            "sections": [
                _section(case, tp, plan.windows, children) for tp in schedule.time_points
            ],
            "others": [_other_row(case, d, children) for d in schedule.others],
            "counts": schedule.counts,
            "windows": plan.windows,
            "can_change_schedule": may_change_schedule(request.user),
        },
    )
