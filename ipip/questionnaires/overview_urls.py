"""A case's questionnaires by time point: cases/<case_id>/questionnaires/."""

from django.urls import URLPattern, path

from ipip.questionnaires import views_overview

urlpatterns: list[URLPattern] = [
    path("", views_overview.questionnaire_index, name="index"),
]
