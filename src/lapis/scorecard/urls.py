from django.urls import path

from lapis.scorecard import views

app_name = "scorecard"
urlpatterns = [
    path("", views.scorecard_page, name="scorecard"),
    path("indicators/<slug:key>/", views.indicator_page, name="indicator"),
    path("benefits/", views.benefits_page, name="benefits"),
    path("sets/new/", views.set_edit, name="set_new"),
    path("sets/<int:pk>/edit/", views.set_edit, name="set_edit"),
]
