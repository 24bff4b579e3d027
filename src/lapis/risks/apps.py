from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "lapis.risks"
    verbose_name = "Risk register"
