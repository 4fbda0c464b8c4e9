from django.urls import path

from ipip.consent import views

app_name = "consent"
urlpatterns = [
    path("", views.consent_index, name="index"),
    path("record/", views.consent_record, name="record"),
]
