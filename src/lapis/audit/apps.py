from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lapis.audit"
    verbose_name = "History"
