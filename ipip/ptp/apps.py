from django.apps import AppConfig


class PtpConfig(AppConfig):
    """Pathways Triple P: the session plan, sessions, modules and homework."""

    name = "ipip.ptp"
    label = "ptp"
