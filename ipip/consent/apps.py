from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "ipip.consent"
    label = "consent"
