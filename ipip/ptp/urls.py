from django.urls import path  # noqa: F401

app_name = "ptp"
urlpatterns: list = []  # type: ignore[type-arg]
