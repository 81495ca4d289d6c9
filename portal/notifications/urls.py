"""Notification pages, under /notifications/: the list, the bell, preferences and delegation."""

from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("bell/", views.notification_bell, name="bell"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("read-all/", views.notification_read_all, name="read-all"),
    path("preferences/", views.preferences, name="preferences"),
    path("delegation/", views.delegation, name="delegation"),
    path("delegation/<int:pk>/end/", views.delegation_end_view, name="delegation-end"),
]
