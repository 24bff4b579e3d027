from django.urls import path

from lapis.risks import views

app_name = "risks"
urlpatterns = [
    path("", views.risk_list, name="list"),
    path("new/", views.risk_create, name="create"),
    path("<int:pk>/", views.risk_detail, name="detail"),
    path("<int:pk>/edit/", views.risk_edit, name="edit"),
]
