"""The append-only audit trail.

Rows are written only by `ipip.audit.record`. The model refuses updates and deletes,
and the database refuses them too (triggers in migration 0002), so there is no path
in the application that edits or removes an event.
"""

from typing import Any, NoReturn
from uuid import UUID

from django.conf import settings
from django.db import models

from ipip.audit.events import Action


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def for_family(self, family_public_id: UUID) -> "AuditEventQuerySet":
        return self.filter(family_public_id=family_public_id)


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor_role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=40, choices=Action.choices)
    subject_type = models.CharField(max_length=40, blank=True)
    subject_public_id = models.UUIDField(null=True, blank=True)
    # Every record about a family (referral, child, case) carries the family's id, so
    # a case's trail is one indexed query.
    family_public_id = models.UUIDField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Codes and ids only, never free text about a child.
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["family_public_id", "occurred_at"], name="audit_family_idx"),
            models.Index(fields=["subject_public_id"], name="audit_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"AuditEvent {self.pk} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")
