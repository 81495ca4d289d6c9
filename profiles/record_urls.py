"""Pages that keep a partner's record current (included by profiles/urls.py under /partners/<ISO>/)."""

from django.urls import path

from . import record_views

urlpatterns = [
    path("cooperation/", record_views.cooperation_edit, name="cooperation_edit"),
    path("history/", record_views.partner_history, name="history"),
    path("<slug:kind>/new/", record_views.record_create, name="record_create"),
    path("<slug:kind>/<int:pk>/edit/", record_views.record_edit, name="record_edit"),
]
