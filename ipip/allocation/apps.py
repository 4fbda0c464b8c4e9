from django.apps import AppConfig


class AllocationConfig(AppConfig):
    """Capacity, the waiting list, reallocation history and trial randomisation."""

    name = "ipip.allocation"
    label = "allocation"

    def ready(self) -> None:
        from ipip.allocation import checks  # noqa: F401  (registers the deploy checks)
