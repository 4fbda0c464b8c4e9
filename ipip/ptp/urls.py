from django.urls import path

from ipip.ptp import views

app_name = "ptp"
urlpatterns = [
    path("", views.ptp_index, name="index"),
    path("plan/", views.ptp_plan, name="plan"),
    path("sessions/new/", views.session_record, name="record"),
    path("sessions/<uuid:session_id>/", views.session_detail, name="session"),
    path("sessions/<uuid:session_id>/edit/", views.session_edit, name="edit"),
]
