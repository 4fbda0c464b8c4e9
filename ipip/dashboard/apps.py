from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The manager's area dashboard and the fidelity rules it reports against."""

    name = "ipip.dashboard"
    label = "dashboard"
