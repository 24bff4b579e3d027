from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "lapis.governance"
    verbose_name = "Boards and meetings"
