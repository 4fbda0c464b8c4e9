from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "ipip.cases"
    label = "cases"
