"""The alerts list, not under a case: the lead mounts this at `alerts/`."""

from django.urls import path

from ipip.safeguarding import views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_list, name="list"),
    path("<uuid:alert_id>/acknowledge/", views.alert_acknowledge, name="acknowledge"),
]
