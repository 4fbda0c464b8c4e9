from django.urls import path  # noqa: F401

app_name = "goals"
urlpatterns: list = []  # type: ignore[type-arg]
