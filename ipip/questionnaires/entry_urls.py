"""Entering questionnaires: start, answer (items) or scores (scores only), complete, read
and correct. Mounted under cases/<case_id>/questionnaires/ by `urls.py`."""

from django.urls import URLPattern, path

from ipip.questionnaires import views_entry

urlpatterns: list[URLPattern] = [
    path("start/", views_entry.questionnaire_start, name="start"),
    path("<uuid:administration_id>/", views_entry.questionnaire_detail, name="detail"),
    path("<uuid:administration_id>/answer/", views_entry.questionnaire_answer, name="answer"),
    path("<uuid:administration_id>/scores/", views_entry.questionnaire_scores, name="scores"),
    path(
        "<uuid:administration_id>/complete/",
        views_entry.questionnaire_complete,
        name="complete",
    ),
    path("<uuid:administration_id>/correct/", views_entry.questionnaire_correct, name="correct"),
]
