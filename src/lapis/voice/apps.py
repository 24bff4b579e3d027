from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "lapis.voice"
    verbose_name = "The voice of children, young people and families"
