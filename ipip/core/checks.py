"""Deploy checks of our own, run by `manage.py check --deploy`."""

from collections.abc import Sequence

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_demo_off(
    app_configs: Sequence[AppConfig] | None, **kwargs: object
) -> list[checks.CheckMessage]:
    if settings.IPIP_DEMO:
        return [
            checks.Error(
                "IPIP_DEMO is on: demo users may sign in without a second factor.",
                hint="Unset IPIP_DEMO in production.",
                id="ipip.E001",
            )
        ]
    return []
