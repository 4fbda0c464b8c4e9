from django.urls import path

from ipip.goals import views

app_name = "goals"
urlpatterns = [
    path("", views.goal_index, name="index"),
    path("new/", views.goal_new, name="new"),
    path("rate/", views.goal_rate, name="rate"),
    path("<uuid:goal_id>/status/", views.goal_status, name="status"),
]
