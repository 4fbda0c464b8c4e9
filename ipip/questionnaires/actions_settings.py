"""Changing the service's time points: the windows, and which instruments are due when."""

from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ipip.accounts.models import Role, User
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.actions import check_version
from ipip.core.errors import DomainError
from ipip.questionnaires.instruments import REGISTRY
from ipip.questionnaires.models import ScheduledInstrument, ScheduleSettings
from ipip.questionnaires.schedule import Point, Windows

# The shortest month: a follow-up window must open after the case closes.
_SHORTEST_MONTH_DAYS = 28


@dataclass(frozen=True)
class ScheduleChange:
    settings: ScheduleSettings
    windows: dict[str, list[int]] = field(default_factory=dict)  # name -> [before, after]
    added: dict[str, list[str]] = field(default_factory=dict)  # time point -> codes
    removed: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.windows or self.added or self.removed)


def may_change_schedule(user: User) -> bool:
    """Only the national lead sets the time points: they are the service's, not an area's."""
    return user.is_active and user.role == Role.NATIONAL_LEAD


def _check(
    windows: Windows,
    instruments: Mapping[Point, Collection[str]],
    current: Mapping[Point, set[str]],
) -> None:
    if windows.follow_up_window_days >= windows.follow_up_months * _SHORTEST_MONTH_DAYS:
        raise DomainError(
            "The follow-up window must open after the case closes: make the days either "
            "side of follow-up fewer than the months to follow-up allow."
        )
    for point, codes in instruments.items():
        # A code already scheduled may stay even if the library no longer has it.
        if set(codes) - REGISTRY.keys() - current.get(point, set()):
            raise DomainError("Choose only questionnaires from the list.")


def _apply_instruments(
    instruments: Mapping[Point, Collection[str]],
    current: Mapping[Point, set[str]],
    acting_user: User,
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    added: dict[str, list[str]] = {}
    removed: dict[str, list[str]] = {}
    for point in Point:
        if point not in instruments:
            continue
        wanted, have = set(instruments[point]), current.get(point, set())
        if gone := sorted(have - wanted):
            ScheduledInstrument.objects.filter(time_point=point, instrument_code__in=gone).delete()
            removed[point.value] = gone
        if new := sorted(wanted - have):
            ScheduledInstrument.objects.bulk_create(
                ScheduledInstrument(
                    time_point=point,
                    instrument_code=code,
                    created_by=acting_user,
                    modified_by=acting_user,
                )
                for code in new
            )
            added[point.value] = new
    return added, removed


@transaction.atomic(durable=True)
def do_change_schedule(
    *,
    windows: Windows,
    instruments: Mapping[Point, Collection[str]],
    expected_version: int | None,
    acting_user: User,
) -> ScheduleChange:
    """Set the windows and, for each time point given, the instruments due at it.

    National lead only (others: PermissionDenied). Refused when someone else changed the
    time points meanwhile (`expected_version`), when the follow-up window would open before
    closure, or for a code the library does not have. Applies to every case at once: the
    schedule is computed, never stored per case. Writes QUESTIONNAIRE_SCHEDULE_CHANGED with
    the numbers before and after and the codes added and removed, when anything changed.
    """
    if not may_change_schedule(acting_user):
        raise PermissionDenied
    row = ScheduleSettings.objects.select_for_update().order_by("id").first()
    if row is None:
        row = ScheduleSettings.objects.create(created_by=acting_user, modified_by=acting_user)
    check_version(row.version, expected_version, what="schedule")
    current: dict[Point, set[str]] = {point: set() for point in Point}
    for time_point, code in ScheduledInstrument.objects.values_list(
        "time_point", "instrument_code"
    ):
        if time_point in Point:
            current[Point(time_point)].add(code)
    _check(windows, instruments, current)
    changed_windows = {
        name: [getattr(row, name), value]
        for name, value in asdict(windows).items()
        if getattr(row, name) != value
    }
    added, removed = _apply_instruments(instruments, current, acting_user)
    change = ScheduleChange(row, changed_windows, added, removed)
    if not change.changed:
        return change
    for name, (_before, after) in changed_windows.items():
        setattr(row, name, after)
    row.version += 1
    row.modified_by = acting_user
    row.save(update_fields=[*changed_windows, "version", "modified_by", "modified_at"])
    record(
        Action.QUESTIONNAIRE_SCHEDULE_CHANGED,
        actor=acting_user,
        subject=row,
        data={
            "version": row.version,
            "windows": changed_windows,
            "added": added,
            "removed": removed,
        },
    )
    return change
