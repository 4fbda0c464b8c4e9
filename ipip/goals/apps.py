from django.apps import AppConfig


class GoalsConfig(AppConfig):
    """The parent's own goals and their 1-10 ratings over time."""

    name = "ipip.goals"
    label = "goals"
