from django.apps import AppConfig


class VigConfig(AppConfig):
    """Video Interaction Guidance cycles: helping question, filming, clips, shared review."""

    name = "ipip.vig"
    label = "vig"
