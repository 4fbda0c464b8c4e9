"""The client IP address of the request being served, for audit rows.

Actions take no HTTP objects, so the middleware puts the address in a context
variable and `audit.record` reads it.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
# How many audit events the request being served has written (None outside a request).
events_written: ContextVar[list[int] | None] = ContextVar("events_written", default=None)


def ip_of(request: HttpRequest) -> str | None:
    if settings.IPIP_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return str(forwarded).split(",")[0].strip()
    addr = request.META.get("REMOTE_ADDR")
    return str(addr) if addr else None


class ClientIpMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = client_ip.set(ip_of(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)
