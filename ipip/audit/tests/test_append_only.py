"""The audit trail cannot be changed or removed through the application or raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AppendOnlyError, AuditEvent
from ipip.audit.record import record

pytestmark = pytest.mark.django_db


def test_record_writes_who_what_when(rita: User) -> None:
    event = record(Action.FAMILY_VIEWED, actor=rita, data={"k": "v"})
    assert event.actor == rita
    assert event.actor_role == "referrer"
    assert event.occurred_at is not None
    assert event.data == {"k": "v"}


def test_model_refuses_update_and_delete(rita: User) -> None:
    event = record(Action.FAMILY_VIEWED, actor=rita)
    event.action = Action.CASE_CLOSED
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action=Action.CASE_CLOSED)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_database_refuses_raw_update(rita: User) -> None:
    event = record(Action.FAMILY_VIEWED, actor=rita)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET action = 'case.closed' WHERE id = %s", [event.pk]
        )
    assert AuditEvent.objects.get(pk=event.pk).action == Action.FAMILY_VIEWED


def test_raw_delete_refused_where_the_database_can(rita: User) -> None:
    """PostgreSQL refuses DELETE by trigger. SQLite leaves DELETE to the model (Django's test
    flush deletes rows there; see migration 0002), so there the model's refusal is the guard."""
    event = record(Action.FAMILY_VIEWED, actor=rita)
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    else:
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()
