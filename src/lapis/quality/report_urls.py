app_name = "qa_reports"
urlpatterns = []
