from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lapis.cases"
    verbose_name = "EHC cases"
