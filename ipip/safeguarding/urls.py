from django.urls import path  # noqa: F401

app_name = "safeguarding"
urlpatterns: list = []  # type: ignore[type-arg]
