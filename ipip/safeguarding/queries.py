"""Reading safeguarding: whose alerts are open, and counts for the area dashboard."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from ipip.accounts.models import Role, User
from ipip.safeguarding.models import Alert, Concern, ConcernStatus, Escalation


def alerts_for(user: User) -> QuerySet[Alert]:
    """Every alert (open or acknowledged) this person may see, newest first.

    Centre manager: their area. National lead: all. Practitioner: alerts addressed to
    them (`for_user`) on cases still allocated to them. Everyone else: none.
    The case and its family are loaded in the same query.
    """
    qs = Alert.objects.select_related("case__family", "area").order_by("-raised_at", "-id")
    if not user.is_active:
        return qs.none()
    if user.role == Role.NATIONAL_LEAD:
        return qs
    if user.role == Role.CENTRE_MANAGER and user.area_id is not None:
        return qs.filter(area_id=user.area_id)
    if user.role == Role.PRACTITIONER:
        return qs.filter(for_user=user, case__allocated_to=user)
    return qs.none()


def open_alerts_for(user: User) -> QuerySet[Alert]:
    """Alerts not yet acknowledged that this person should see (see `alerts_for`)."""
    return alerts_for(user).filter(acknowledged_at__isnull=True)


def with_links(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    """What the links of listed alerts need, in the same query: the questionnaire a risk
    alert came from (`risk_flag`, the questionnaires app's one-to-one) and whether the case
    has a safeguarding record (`case_has_concern`)."""
    return alerts.select_related("risk_flag__administration").annotate(
        case_has_concern=Exists(Concern.objects.filter(case_id=OuterRef("case_id")))
    )


def open_escalations_for_area(area_id: int | None) -> QuerySet[Escalation]:
    """Escalations still awaiting an outcome, oldest first; `None` means every area."""
    qs = Escalation.objects.awaiting_outcome().select_related("concern__case__family")
    if area_id is not None:
        qs = qs.filter(concern__case__area_id=area_id)
    return qs.order_by("escalated_on", "id")


@dataclass(frozen=True)
class SafeguardingCounts:
    open_concerns: int
    escalations_awaiting_outcome: int
    open_alerts: int


def safeguarding_counts(area_id: int | None) -> SafeguardingCounts:
    """For the dashboard: concerns not yet escalated or closed, escalations awaiting an
    outcome, and alerts not yet acknowledged, in one area (`None`: every area).
    Three count queries, whatever the numbers."""
    concerns = Concern.objects.filter(status=ConcernStatus.OPEN)
    alerts = Alert.objects.open()
    if area_id is not None:
        concerns = concerns.filter(case__area_id=area_id)
        alerts = alerts.filter(area_id=area_id)
    return SafeguardingCounts(
        open_concerns=concerns.count(),
        escalations_awaiting_outcome=open_escalations_for_area(area_id).count(),
        open_alerts=alerts.count(),
    )
