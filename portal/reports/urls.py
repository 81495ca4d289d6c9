"""Reports, exports and the calendar page, under /reports/. The home dashboard and the public calendar
feed are routed in portal/urls.py."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("pdf/partner/", views.partner_profile_pdf, name="partner-pdf"),
    path("pdf/programme/", views.programme_pdf_find, name="programme-pdf-find"),
    path("pdf/programme/<int:pk>/", views.programme_pdf, name="programme-pdf"),
    path("exports/<int:pk>/", views.job_detail, name="job"),
    path("exports/<int:pk>/progress/", views.job_progress, name="job-progress"),
    path("exports/<int:pk>/download/", views.job_download, name="job-download"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/regenerate/", views.calendar_regenerate, name="calendar-regenerate"),
    path("<slug:slug>/", views.report_detail, name="report"),
    path("<slug:slug>/export/", views.report_export, name="export"),
]
