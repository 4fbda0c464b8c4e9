"""Request types for views that require login."""

from django.http import HttpRequest

from ipip.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User  # narrowed: login_required guarantees a User
