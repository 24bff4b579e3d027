from django.urls import path

from lapis.inclusion import views

app_name = "inclusion"
urlpatterns = [
    path("", views.scorecard_page, name="scorecard"),
    path("schools/<int:pk>/", views.school_page, name="school"),
    path("load/", views.load_page, name="load"),
]
