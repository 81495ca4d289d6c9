"""API routes of the Council: meetings, agendas, decision sheets, silence, and a request's decision or
rescheduling (/api/v1/council/..., /api/v1/requests/<id>/decision/ and /reschedule/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("requests/<int:pk>/decision/", views.DecisionView.as_view(), name="request-decision"),
    path("requests/<int:pk>/reschedule/", views.RescheduleView.as_view(), name="request-reschedule"),
    path("council/meetings/", views.MeetingListView.as_view(), name="council-meeting-list"),
    path("council/meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="council-meeting-detail"),
    path("council/meetings/<int:pk>/agenda/", views.AgendaView.as_view(), name="council-agenda"),
    path("council/meetings/<int:pk>/sheet/", views.DecisionSheetView.as_view(), name="council-sheet"),
    path("council/meetings/<int:pk>/silence/", views.SilenceView.as_view(), name="council-silence"),
    path(
        "council/agenda-items/<int:pk>/break-silence/",
        views.SilenceBreakView.as_view(),
        name="council-break-silence",
    ),
    path(
        "council/agenda-candidates/",
        views.AgendaCandidatesView.as_view(),
        name="council-agenda-candidates",
    ),
]
