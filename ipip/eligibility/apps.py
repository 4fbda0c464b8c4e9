from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    """The pure eligibility rules (rules.py). Decisions are stored by `referrals`."""

    name = "ipip.eligibility"
    label = "eligibility"
