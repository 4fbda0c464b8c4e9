from django.urls import path

from ipip.allocation import views

app_name = "allocation"
urlpatterns = [
    path("waiting-list/", views.waiting_list_page, name="waiting-list"),
    path("capacity/", views.capacity_list, name="capacity"),
    path("capacity/<uuid:practitioner_id>/", views.capacity_edit, name="capacity-edit"),
    path("trial/", views.trial_mode, name="trial"),
]
