"""`record`: the one way to write an audit event."""

from collections.abc import Mapping
from uuid import UUID

from django.utils import timezone

from ipip.accounts.models import User
from ipip.audit.context import client_ip, events_written
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.core.models import BaseModel


def record(
    action: Action,
    *,
    actor: User | None,
    subject: BaseModel | User | None = None,
    family_public_id: UUID | None = None,
    data: Mapping[str, object] | None = None,
) -> AuditEvent:
    """Append one audit event, in the caller's transaction.

    `data` holds codes and ids only: never names or free text about a child.
    """
    written = events_written.get()
    if written is not None:
        written[0] += 1
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor=actor,
        actor_role=actor.role if actor is not None else "",
        action=action,
        subject_type=type(subject).__name__ if subject is not None else "",
        subject_public_id=subject.public_id if subject is not None else None,
        family_public_id=family_public_id,
        ip_address=client_ip.get(),
        data=dict(data or {}),
    )
