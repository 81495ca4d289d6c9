"""URLs of the council secretaries' pages (/council/...)."""

from django.urls import path

from . import views

app_name = "council"

urlpatterns = [
    path("", views.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/agenda/", views.agenda_builder, name="agenda"),
    path("meetings/<int:pk>/sheet/", views.decision_sheet, name="sheet"),
    path("meetings/<int:pk>/silence/", views.silence_procedure, name="silence"),
    path("items/<int:item_pk>/break-silence/", views.silence_break, name="silence_break"),
    path("meetings/<int:pk>/print/", views.meeting_print, name="print"),
    path("items/<int:item_pk>/move/", views.agenda_item_move_view, name="item_move"),
    path("items/<int:item_pk>/remove/", views.agenda_item_remove_view, name="item_remove"),
]
