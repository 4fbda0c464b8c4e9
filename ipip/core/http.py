"""Request types for views that require login."""

from django.http import HttpRequest

from ipip.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User  # type: ignore[assignment]  # narrowed: login_required guarantees a User
