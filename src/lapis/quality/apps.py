from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "lapis.quality"
    verbose_name = "Quality assurance of EHC plans"
