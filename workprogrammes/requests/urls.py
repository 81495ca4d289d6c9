"""URLs of inclusion requests (/requests/...)."""

from django.urls import path

from . import queue_views, views

app_name = "requests"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_create, name="create"),
    path("queue/", queue_views.request_queue, name="queue"),
    path("queue/bulk/", queue_views.request_queue_bulk, name="queue_bulk"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<str:key>/", views.request_detail, name="detail"),
    path("<str:key>/edit/", views.request_edit, name="edit"),
    path("<str:key>/act/<slug:action>/", views.request_act, name="act"),
    path("<str:key>/reassign/", queue_views.request_reassign, name="reassign"),
    path("<str:key>/comments/", views.comment_create, name="comment"),
    path("<str:key>/attachments/", views.attachment_create, name="attach"),
]
