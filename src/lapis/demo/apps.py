from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lapis.demo"
    verbose_name = "Demo partnership"
