from django.urls import path

from . import catalogue_import_views, council_views, programme_views, request_views, views

urlpatterns = [
    path("catalogue/", views.CatalogueItemListView.as_view(), name="catalogue-item-list"),
    path("catalogue/<int:pk>/", views.CatalogueItemDetailView.as_view(), name="catalogue-item-detail"),
    path(
        "catalogue/imports/",
        catalogue_import_views.CatalogueImportListView.as_view(),
        name="catalogue-imports",
    ),
    path(
        "catalogue/imports/<int:pk>/",
        catalogue_import_views.CatalogueImportDetailView.as_view(),
        name="catalogue-import-detail",
    ),
    path(
        "catalogue/imports/<int:pk>/confirm/",
        catalogue_import_views.CatalogueImportConfirmView.as_view(),
        name="catalogue-import-confirm",
    ),
    path(
        "catalogue/imports/<int:pk>/discard/",
        catalogue_import_views.CatalogueImportDiscardView.as_view(),
        name="catalogue-import-discard",
    ),
    path("programmes/", views.ProgrammeListView.as_view(), name="programme-list"),
    path("programmes/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme-detail"),
    path(
        "programmes/<int:pk>/activities/",
        programme_views.ProgrammeActivityListView.as_view(),
        name="programme-activities",
    ),
    *(
        path(f"programmes/<int:pk>/{step}/", view.as_view(), name=f"programme-{step}")
        for step, view in programme_views.PROGRAMME_STEP_VIEWS.items()
    ),
    path(
        "programmes/<int:pk>/amendments/",
        programme_views.ProgrammeAmendmentsView.as_view(),
        name="programme-amendments",
    ),
    path(
        "programmes/<int:pk>/coverage/",
        programme_views.ProgrammeCoverageView.as_view(),
        name="programme-coverage",
    ),
    path(
        "programmes/<int:pk>/timeline/",
        programme_views.ProgrammeTimelineView.as_view(),
        name="programme-timeline",
    ),
    path("activities/", views.ActivityListView.as_view(), name="activity-list"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity-detail"),
    *(
        path(f"activities/<int:pk>/{step}/", view.as_view(), name=f"activity-{step}")
        for step, view in programme_views.ACTIVITY_STEP_VIEWS.items()
    ),
    path(
        "activities/<int:pk>/outcome/", programme_views.ActivityOutcomeView.as_view(), name="activity-outcome"
    ),
    # Inclusion requests and their workflow.
    path("requests/", request_views.RequestListView.as_view(), name="request-list"),
    path("requests/bulk/", request_views.BulkActionView.as_view(), name="request-bulk"),
    path("requests/<int:pk>/reassign/", request_views.ReassignView.as_view(), name="request-reassign"),
    path("requests/<int:pk>/", request_views.RequestDetailView.as_view(), name="request-detail"),
    *(
        path(
            f"requests/<int:pk>/{request_views.action_path(action)}/",
            view.as_view(),
            name=f"request-{request_views.action_path(action)}",
        )
        for action, view in request_views.TRANSITION_VIEWS.items()
    ),
    path("requests/<int:pk>/decision/", request_views.DecisionView.as_view(), name="request-decision"),
    path("requests/<int:pk>/reschedule/", request_views.RescheduleView.as_view(), name="request-reschedule"),
    path("requests/<int:pk>/revisions/", request_views.RevisionsView.as_view(), name="request-revisions"),
    path("requests/<int:pk>/comments/", request_views.CommentListView.as_view(), name="request-comments"),
    path(
        "requests/<int:pk>/attachments/",
        request_views.AttachmentListView.as_view(),
        name="request-attachments",
    ),
    path(
        "attachments/<int:pk>/download/",
        request_views.AttachmentDownloadView.as_view(),
        name="attachment-download",
    ),
    # The North Atlantic Council.
    path("council/meetings/", council_views.MeetingListView.as_view(), name="council-meeting-list"),
    path(
        "council/meetings/<int:pk>/", council_views.MeetingDetailView.as_view(), name="council-meeting-detail"
    ),
    path("council/meetings/<int:pk>/agenda/", council_views.AgendaView.as_view(), name="council-agenda"),
    path("council/meetings/<int:pk>/sheet/", council_views.DecisionSheetView.as_view(), name="council-sheet"),
    path("council/meetings/<int:pk>/silence/", council_views.SilenceView.as_view(), name="council-silence"),
    path(
        "council/agenda-items/<int:pk>/break-silence/",
        council_views.SilenceBreakView.as_view(),
        name="council-break-silence",
    ),
    path(
        "council/agenda-candidates/",
        council_views.AgendaCandidatesView.as_view(),
        name="council-agenda-candidates",
    ),
]
