from django.urls import path

from lapis.sef import views

app_name = "sef"
urlpatterns = [
    path("", views.index, name="index"),
    path("check/", views.check, name="check"),
    path("areas/<int:pk>/", views.area_detail, name="area"),
    path("areas/<int:pk>/edit/", views.area_edit, name="edit"),
    path("areas/<int:pk>/evidence/new/", views.add_evidence, name="add_evidence"),
    path("areas/<int:pk>/priorities/new/", views.add_priority, name="add_priority"),
]
