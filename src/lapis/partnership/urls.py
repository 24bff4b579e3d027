from django.urls import path

from lapis.partnership import views

app_name = "partnership"
urlpatterns = [
    path("", views.people, name="people"),
    path("logins/new/", views.login_new, name="login_new"),
    path("logins/<int:pk>/", views.login_edit, name="login_edit"),
]
