from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ipip.api"
    label = "api"
