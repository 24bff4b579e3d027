from django.urls import path

from lapis.boardpacks import views

app_name = "boardpacks"
urlpatterns = [
    path("", views.pack_list, name="list"),
    path("boards/<int:board_pk>/make/", views.pack_create, name="create"),
    path("boards/<int:board_pk>/governing/", views.make_governing, name="governing"),
    path("<int:pk>/", views.pack_detail, name="pack"),
    path("<int:pk>/compare/<int:other_pk>/", views.pack_compare, name="compare"),
    path("<int:pk>/pdf", views.pack_pdf, name="pdf"),
]
