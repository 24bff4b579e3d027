from django.urls import path

from lapis.timeline import views

app_name = "timeline"
urlpatterns = [
    path("", views.timeline_page, name="timeline"),
    path("milestones/new/", views.milestone_new, name="milestone_new"),
    path("milestones/<int:pk>/", views.milestone_detail, name="milestone"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
]
