from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "lapis.timeline"
    verbose_name = "Milestones and timeline"
