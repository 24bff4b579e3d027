from django.urls import path

from lapis.governance import views

app_name = "governance"
urlpatterns = [
    path("", views.board_list, name="boards"),
    path("<int:pk>/", views.board_detail, name="board"),
    path("<int:pk>/edit/", views.board_edit, name="board_edit"),
    path("<int:pk>/due/", views.due_page, name="due"),
    path("<int:pk>/meetings/add/", views.meeting_form, name="meeting_add"),
    path("<int:pk>/meetings/<int:meeting_pk>/edit/", views.meeting_form, name="meeting_edit"),
]
