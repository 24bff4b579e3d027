from django.urls import path

from lapis.quality import views

app_name = "quality"
urlpatterns = [
    path("", views.home, name="home"),
    path("frameworks/", views.framework_list, name="frameworks"),
    path("frameworks/<int:pk>/", views.framework_detail, name="framework"),
    path("samples/", views.sample_list, name="samples"),
    path("samples/new/", views.sample_new, name="sample_new"),
    path("samples/<int:pk>/", views.sample_detail, name="sample"),
    path("audits/", views.audit_list, name="audits"),
    path("audits/new/", views.audit_new, name="audit_new"),
    path("audits/<int:pk>/", views.audit_detail, name="audit"),
    path("audits/<int:pk>/edit/", views.audit_edit, name="audit_edit"),
    path("audits/<int:pk>/moderate/", views.audit_moderate, name="moderate"),
    path("audits/<int:pk>/findings/new/", views.finding_new, name="finding_new"),
    path("audits/<int:pk>/follow-ups/new/", views.follow_up_new, name="follow_up_new"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("themes/", views.theme_list, name="themes"),
    path("themes/<int:pk>/raise/", views.theme_raise, name="theme_raise"),
]
