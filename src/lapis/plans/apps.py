from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "lapis.plans"
    verbose_name = "Improvement plans"
