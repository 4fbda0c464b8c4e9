from django.urls import path

from ipip.safeguarding import views

app_name = "safeguarding"
urlpatterns = [
    path("", views.safeguarding_index, name="index"),
    path("raise/", views.concern_raise, name="raise"),
    path("<uuid:concern_id>/", views.concern_detail, name="concern"),
    path("<uuid:concern_id>/escalate/", views.concern_escalate, name="escalate"),
    path("<uuid:concern_id>/close/", views.concern_close, name="close"),
    path("escalations/<uuid:escalation_id>/outcome/", views.escalation_outcome, name="outcome"),
]
