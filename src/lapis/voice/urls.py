from django.urls import path

from lapis.voice import views

app_name = "voice"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/results.<str:fmt>", views.survey_export, name="survey_export"),
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("compliments/", views.compliment_list, name="compliment_list"),
    path("engagement/", views.engagement_list, name="engagement_list"),
    path("you-said/", views.you_said_list, name="you_said_list"),
    path("standards/", views.settings_edit, name="settings"),
    path("export/<str:what>.<str:fmt>", views.export, name="export"),
]
for prefix, kind in (("complaints", "complaint"), ("compliments", "compliment"),
                     ("engagement", "engagement"), ("you-said", "you_said")):
    urlpatterns += [
        path(f"{prefix}/new/", views.record_create, {"kind": kind}, name=f"{kind}_new"),
        path(f"{prefix}/<int:pk>/", views.record_detail, {"kind": kind},
             name=f"{kind}_detail"),
        path(f"{prefix}/<int:pk>/edit/", views.record_edit, {"kind": kind},
             name=f"{kind}_edit"),
    ]
