from django.urls import URLPattern, path

from ipip.questionnaires import views_results

urlpatterns: list[URLPattern] = [
    path("results/", views_results.questionnaire_results, name="results"),
]
