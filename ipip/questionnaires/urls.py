"""Questionnaire pages under cases/<case_id>/questionnaires/: the overview of time points,
entering answers or scores, and the results."""

from ipip.questionnaires import entry_urls, overview_urls, results_urls

app_name = "questionnaires"
urlpatterns = overview_urls.urlpatterns + entry_urls.urlpatterns + results_urls.urlpatterns
