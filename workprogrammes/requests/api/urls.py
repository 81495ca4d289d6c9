"""API routes of inclusion requests and their workflow (/api/v1/requests/..., /api/v1/attachments/...)."""

from django.urls import path

from . import views, workflow_views

urlpatterns = [
    path("requests/", views.RequestListView.as_view(), name="request-list"),
    path("requests/bulk/", workflow_views.BulkActionView.as_view(), name="request-bulk"),
    path("requests/<int:pk>/reassign/", workflow_views.ReassignView.as_view(), name="request-reassign"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="request-detail"),
    *(
        path(
            f"requests/<int:pk>/{views.action_path(action)}/",
            view.as_view(),
            name=f"request-{views.action_path(action)}",
        )
        for action, view in workflow_views.TRANSITION_VIEWS.items()
    ),
    path("requests/<int:pk>/revisions/", views.RevisionsView.as_view(), name="request-revisions"),
    path("requests/<int:pk>/comments/", views.CommentListView.as_view(), name="request-comments"),
    path(
        "requests/<int:pk>/attachments/",
        views.AttachmentListView.as_view(),
        name="request-attachments",
    ),
    path(
        "attachments/<int:pk>/download/",
        views.AttachmentDownloadView.as_view(),
        name="attachment-download",
    ),
]
