from django.apps import AppConfig


class ScorecardConfig(AppConfig):
    name = "lapis.scorecard"
    verbose_name = "Scorecard"
