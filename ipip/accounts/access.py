"""The only way pages load a person's API tokens: one's own, else Http404."""

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from ipip.accounts.models import ApiToken, User


def api_tokens_for_user(user: User) -> QuerySet[ApiToken]:
    """A person's own tokens, newest first. Nobody sees another person's tokens."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def get_api_token_for_user(user: User, public_id: UUID) -> ApiToken:
    """One of the person's own tokens, or Http404."""
    try:
        return api_tokens_for_user(user).get(public_id=public_id)
    except ApiToken.DoesNotExist:
        raise Http404 from None
