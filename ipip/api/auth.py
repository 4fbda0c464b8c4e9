"""Bearer-token authentication for the API: `Authorization: Bearer ipip_...`."""

from datetime import timedelta
from typing import Final

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from ipip.accounts.models import ApiToken, User

# Recording every use would be a write per request; once a minute is enough to tell
# which tokens are still in use before one is revoked.
TOUCH_EVERY: Final = timedelta(minutes=1)


class ApiTokenAuth(HttpBearer):
    """Finds the active token by its hash and returns its user, or None (a 401).

    A revoked token, or one whose user is no longer active, is not found at all.
    """

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token.startswith("ipip_"):
            return None
        found = ApiToken.find(token)
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= TOUCH_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found.user


def api_user(request: HttpRequest) -> User:
    """The user `ApiTokenAuth` authenticated for this request."""
    user = getattr(request, "auth", None)
    assert isinstance(user, User), "the operation must require ApiTokenAuth"
    return user
