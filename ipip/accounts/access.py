"""The only way pages load API tokens (one's own) and accounts (administrators), else Http404."""

from uuid import UUID

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, QuerySet
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


def access_user_management(admin: User) -> None:
    """Http404 unless `admin` is an active administrator: the only people who manage accounts."""
    if not (admin.is_active and admin.is_administrator):
        raise Http404


def users_for_admin(admin: User) -> QuerySet[User]:
    """Every account, with its area and `has_totp` (an authenticator app is enrolled),
    by last name; Http404 unless `admin` is an active administrator."""
    access_user_management(admin)
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return (
        User.objects.select_related("area")
        .annotate(has_totp=Exists(totp))
        .order_by("last_name", "first_name", "pk")
    )


def get_user_for_admin(admin: User, public_id: UUID) -> User:
    """One account to manage, or Http404 unless `admin` is an active administrator."""
    try:
        return users_for_admin(admin).get(public_id=public_id)
    except User.DoesNotExist:
        raise Http404 from None
