from django.urls import path

from lapis.partnership import views

app_name = "partnership"
urlpatterns = [
    path("", views.people, name="people"),
    path("logins/new/", views.login_new, name="login_new"),
    path("logins/<int:pk>/", views.login_edit, name="login_edit"),
    path("sign-ins/", views.sign_ins, name="sign_ins"),
    path("downloads/", views.downloads, name="downloads"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/setting/", views.two_factor_setting, name="two_factor_setting"),
]
