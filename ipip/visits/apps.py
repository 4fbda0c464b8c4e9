from django.apps import AppConfig


class VisitsConfig(AppConfig):
    """Home visits (style.md's `sessions`, renamed to avoid Django's own label)."""

    name = "ipip.visits"
    label = "visits"
