from django.apps import AppConfig


class InclusionConfig(AppConfig):
    name = "lapis.inclusion"
    verbose_name = "Inclusion scorecard"
