from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ipip.core"
    label = "core"

    def ready(self) -> None:
        from ipip.core import checks  # noqa: F401  (registers the deploy checks)
