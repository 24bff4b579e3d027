from django.urls import path

from lapis.plans import views, work_views

app_name = "plans"
urlpatterns = [
    path("", views.register, name="register"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/update/", work_views.progress_new, name="progress"),
    path("actions/<int:pk>/change/", work_views.change_new, name="change_new"),
    path("actions/<int:pk>/edit/", work_views.action_edit, name="edit"),
    path("changes/", work_views.change_register, name="changes"),
    path("changes/<int:pk>/", work_views.change_detail, name="change"),
    path("drift/", views.drift_page, name="drift"),
    path("rollup/", work_views.rollup_page, name="rollup"),
]
