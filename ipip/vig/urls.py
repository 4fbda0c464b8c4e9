from django.urls import path  # noqa: F401

app_name = "vig"
urlpatterns: list = []  # type: ignore[type-arg]
