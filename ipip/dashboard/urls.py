from django.urls import path

from ipip.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="index"),
    path("fidelity-rules/", views.fidelity_rules, name="fidelity-rules"),
]
