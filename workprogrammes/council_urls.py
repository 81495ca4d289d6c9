"""URLs of the council secretaries' pages (/council/...)."""

from django.urls import path

from . import council_views as views

app_name = "council"

urlpatterns = [
    path("", views.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/agenda/", views.agenda_builder, name="agenda"),
    path("meetings/<int:pk>/sheet/", views.decision_sheet, name="sheet"),
    path("meetings/<int:pk>/silence/", views.silence_procedure, name="silence"),
    path("items/<int:item_pk>/break-silence/", views.silence_break, name="silence_break"),
]
