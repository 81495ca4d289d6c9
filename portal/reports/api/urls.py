from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.ReportListView.as_view(), name="report-list"),
    path("reports/<slug:slug>/", views.ReportRowsView.as_view(), name="report-rows"),
    path("reports/<slug:slug>/exports/", views.ReportExportView.as_view(), name="report-export"),
    path("exports/", views.ExportJobListView.as_view(), name="export-list"),
    path("exports/<int:pk>/", views.ExportJobDetailView.as_view(), name="export-detail"),
    path("exports/<int:pk>/download/", views.ExportJobDownloadView.as_view(), name="export-download"),
    path("me/calendar/", views.CalendarFeedView.as_view(), name="calendar-feed-url"),
    path(
        "me/calendar/regenerate/", views.CalendarFeedRegenerateView.as_view(), name="calendar-feed-regenerate"
    ),
]
