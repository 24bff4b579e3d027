from django.urls import path

from lapis.quality import report_views

app_name = "qa_reports"
urlpatterns = [
    path("", report_views.report_page, name="report"),
    path("<str:quarter>.<str:fmt>", report_views.report_file, name="file"),
]
