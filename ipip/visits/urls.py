from django.urls import path

from ipip.visits import views

app_name = "visits"
urlpatterns = [
    path("", views.visit_index, name="index"),
    path("new/", views.visit_schedule, name="schedule"),
    path("<uuid:visit_id>/record/", views.visit_record, name="record"),
]
