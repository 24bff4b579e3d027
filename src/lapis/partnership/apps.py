from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "lapis.partnership"
    verbose_name = "Partnership"
