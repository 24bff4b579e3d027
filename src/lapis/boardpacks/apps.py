from django.apps import AppConfig


class BoardpacksConfig(AppConfig):
    name = "lapis.boardpacks"
    verbose_name = "Board packs"
