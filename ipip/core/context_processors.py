from django.conf import settings
from django.http import HttpRequest


def ipip(request: HttpRequest) -> dict[str, object]:
    return {"IPIP_DEMO": settings.IPIP_DEMO}
