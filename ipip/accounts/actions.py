"""Writes to accounts: API tokens."""

from django.db import transaction
from django.utils import timezone

from ipip.accounts.models import ApiToken, User
from ipip.audit.events import Action
from ipip.audit.record import record

# The first characters identify a token in lists and audit rows without revealing it.
PREFIX_LENGTH = 8


@transaction.atomic(durable=True)
def do_create_api_token(user: User, *, name: str) -> tuple[ApiToken, str]:
    """Create a bearer token for `user`; returns the row and the raw token, shown only once.

    Only the token's hash is stored. Writes API_TOKEN_CREATED with the token's prefix.
    """
    raw = ApiToken.new_raw_token()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:PREFIX_LENGTH], key_hash=ApiToken.hash(raw)
    )
    record(
        Action.API_TOKEN_CREATED, actor=user, subject=token, data={"token_prefix": token.prefix}
    )
    return token, raw


@transaction.atomic(durable=True)
def do_revoke_api_token(token: ApiToken, *, acting_user: User) -> ApiToken:
    """Revoke a token: it stops working at once. Writes API_TOKEN_REVOKED."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "modified_at"])
        record(
            Action.API_TOKEN_REVOKED,
            actor=acting_user,
            subject=token,
            data={"token_prefix": token.prefix},
        )
    return token
