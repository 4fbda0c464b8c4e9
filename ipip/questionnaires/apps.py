from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    """Outcome questionnaires: the instrument library, time points, scoring and risk alerts."""

    name = "ipip.questionnaires"
    label = "questionnaires"
