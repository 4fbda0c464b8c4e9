"""Home visits to a family: scheduled, then recorded with an outcome and who was present."""

from datetime import datetime
from typing import Final

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from ipip.cases.models import Carer, Case, Child
from ipip.core.errors import DomainError
from ipip.core.models import BaseModel
from ipip.visits.rules import OVERDUE_GRACE

PLANNED_MINUTES_MIN: Final = 15
PLANNED_MINUTES_MAX: Final = 240
ACTUAL_MINUTES_MAX: Final = 480


class VisitOutcome(models.TextChoices):
    TOOK_PLACE = "took_place", "Took place"
    NO_ONE_HOME = "no_one_home", "No one at home"
    CANCELLED_BY_FAMILY = "cancelled_by_family", "Cancelled by the family"
    CANCELLED_BY_SERVICE = "cancelled_by_service", "Cancelled by the service"


class Visit(BaseModel):
    """One home visit. Planned until its outcome is recorded, which happens once."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="visits")
    scheduled_at = models.DateTimeField()
    planned_minutes = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=24, choices=VisitOutcome.choices, blank=True)
    actual_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    present_carers = models.ManyToManyField(Carer, blank=True, related_name="visits_present")
    present_children = models.ManyToManyField(Child, blank=True, related_name="visits_present")
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits_recorded",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["case", "scheduled_at"], name="visit_case_scheduled_idx")]
        constraints = [
            models.CheckConstraint(
                name="visit_planned_minutes_range",
                condition=Q(planned_minutes__gte=PLANNED_MINUTES_MIN)
                & Q(planned_minutes__lte=PLANNED_MINUTES_MAX),
            ),
            models.CheckConstraint(
                name="visit_actual_minutes_only_when_took_place",
                condition=(Q(outcome="took_place") & Q(actual_minutes__gt=0))
                | (~Q(outcome="took_place") & Q(actual_minutes__isnull=True)),
            ),
            models.CheckConstraint(
                name="visit_recorded_has_when",
                condition=(Q(outcome="") & Q(recorded_at__isnull=True))
                | (~Q(outcome="") & Q(recorded_at__isnull=False)),
            ),
        ]

    @property
    def is_recorded(self) -> bool:
        return bool(self.outcome)

    def record(
        self,
        *,
        outcome: VisitOutcome,
        actual_minutes: int | None,
        has_people: bool,
        note: str,
        at: datetime,
    ) -> None:
        """Set the outcome (once). Validates, does not save; who was present is set by the
        action, which passes `has_people`."""
        if self.is_recorded:
            raise DomainError(
                "The outcome of this visit has already been recorded: it cannot be recorded again."
            )
        if outcome == VisitOutcome.TOOK_PLACE:
            if actual_minutes is None or not 1 <= actual_minutes <= ACTUAL_MINUTES_MAX:
                raise DomainError(
                    f"Enter how long the visit lasted, from 1 to {ACTUAL_MINUTES_MAX} minutes."
                )
            if not has_people:
                raise DomainError("Select who was present at the visit.")
        else:
            if actual_minutes is not None:
                raise DomainError("Only give the actual length of a visit that took place.")
            if has_people:
                raise DomainError("Only record who was present for a visit that took place.")
        self.outcome = outcome
        self.actual_minutes = actual_minutes
        self.note = note
        self.recorded_at = at
        self.version += 1


def caseload_annotations(now: datetime) -> dict[str, Subquery | Coalesce]:
    """Per case: the next planned visit, how many are overdue, the last that took place.

    Correlated subqueries (not joins), so a page of cases stays one query however many
    visits there are. The cut-off matches `rules.visit_state`.
    """
    cutoff = now - OVERDUE_GRACE
    of_case = Visit.objects.filter(case=OuterRef("pk")).order_by()
    planned = of_case.filter(outcome="", scheduled_at__gte=cutoff).order_by("scheduled_at")
    overdue = (
        of_case.filter(outcome="", scheduled_at__lt=cutoff)
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    took_place = of_case.filter(outcome=VisitOutcome.TOOK_PLACE).order_by(F("scheduled_at").desc())
    return {
        "next_visit_at": Subquery(planned.values("scheduled_at")[:1]),
        "overdue_visits": Coalesce(Subquery(overdue), Value(0)),
        "last_visit_at": Subquery(took_place.values("scheduled_at")[:1]),
    }
