from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    """Safeguarding concerns, escalation to children's social care, and alerts."""

    name = "ipip.safeguarding"
    label = "safeguarding"
