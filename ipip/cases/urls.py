from django.urls import path

from ipip.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("<uuid:public_id>/", views.case_detail, name="detail"),
    path("<uuid:public_id>/allocate/", views.case_allocate, name="allocate"),
    path("<uuid:public_id>/activate/", views.case_activate, name="activate"),
    path("<uuid:public_id>/close/", views.case_close, name="close"),
    path("<uuid:public_id>/audit/", views.case_audit, name="audit"),
]
