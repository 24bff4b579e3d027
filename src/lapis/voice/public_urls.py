from django.urls import path

from lapis.voice import views

app_name = "voice_public"
urlpatterns = [
    path("", views.public, name="you_said_we_did"),
]
