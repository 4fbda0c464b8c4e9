"""The national lead's time points page, under settings/questionnaires/."""

from django.urls import path

from ipip.questionnaires import views_settings

app_name = "questionnaire_settings"
urlpatterns = [
    path("", views_settings.schedule_settings, name="edit"),
]
