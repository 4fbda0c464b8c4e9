from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ipip.audit"
    label = "audit"
