from django.urls import path

from lapis.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.timeliness_page, name="timeliness"),
    path("at-risk/", views.at_risk_page, name="at_risk"),
    path("quality/", views.quality_page, name="quality"),
    path("forecast/", views.forecast_page, name="forecast"),
]
