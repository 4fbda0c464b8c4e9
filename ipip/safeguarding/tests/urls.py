"""The project's URLs plus `alerts/`, until the lead mounts `alert_urls` in config/urls.py."""

from typing import cast

from django.urls import URLPattern, URLResolver, include, path

from config.urls import urlpatterns as project_urls

urlpatterns = cast(list[URLPattern | URLResolver], list(project_urls))
if not any(getattr(p, "namespace", None) == "alerts" for p in urlpatterns):
    urlpatterns.insert(0, path("alerts/", include("ipip.safeguarding.alert_urls")))
