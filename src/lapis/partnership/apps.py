from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "lapis.partnership"
    verbose_name = "Partnership"

    def ready(self):
        from lapis.partnership import signals  # noqa: F401 - connects the sign-in log
