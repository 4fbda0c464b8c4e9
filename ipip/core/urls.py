from django.urls import path

from ipip.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
]
