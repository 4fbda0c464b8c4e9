import pytest

from ipip.accounts.actions import do_create_api_token, do_revoke_api_token
from ipip.accounts.models import ApiToken, User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_token_is_stored_hashed_and_audited(rita: User) -> None:
    token, raw = do_create_api_token(rita, name="Import")
    assert raw.startswith("ipip_")
    assert token.key_hash != raw
    assert raw not in str(AuditEvent.objects.get().data)
    assert ApiToken.find(raw) == token
    assert AuditEvent.objects.get().action == Action.API_TOKEN_CREATED


def test_revoked_token_no_longer_found(rita: User, adam: User) -> None:
    token, raw = do_create_api_token(rita, name="Import")
    do_revoke_api_token(token, acting_user=adam)
    assert ApiToken.find(raw) is None
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    assert event.action == Action.API_TOKEN_REVOKED
    assert event.actor == adam


def test_email_is_unique_whatever_its_case(rita: User) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(
            email=rita.email.upper(), password="x", role="referrer", agency_type="school"
        )
