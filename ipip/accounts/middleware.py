"""Staff must enrol a second factor before they can use ipip."""

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

# Paths a signed-in person without a second factor may still reach: enrolment itself,
# sign-out, static files, and the token-authenticated API (which has no session).
_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/api/")


class RequireMfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not settings.IPIP_DEMO
            and not request.path.startswith(_EXEMPT_PREFIXES)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
