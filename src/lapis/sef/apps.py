from django.apps import AppConfig


class SefConfig(AppConfig):
    name = "lapis.sef"
    verbose_name = "Self-evaluation"
