from django.urls import path

from lapis.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.register, name="register"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("drift/", views.drift_page, name="drift"),
]
