"""API routes of the work programmes and their activities (/api/v1/programmes/..., /api/v1/activities/...)."""

from django.urls import path

from . import builder_views, step_views, views

urlpatterns = [
    path("programmes/", views.ProgrammeListView.as_view(), name="programme-list"),
    path("programmes/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme-detail"),
    path(
        "programmes/<int:pk>/activities/",
        builder_views.ProgrammeActivityListView.as_view(),
        name="programme-activities",
    ),
    *(
        path(f"programmes/<int:pk>/{step}/", view.as_view(), name=f"programme-{step}")
        for step, view in step_views.PROGRAMME_STEP_VIEWS.items()
    ),
    path(
        "programmes/<int:pk>/amendments/",
        builder_views.ProgrammeAmendmentsView.as_view(),
        name="programme-amendments",
    ),
    path(
        "programmes/<int:pk>/coverage/",
        builder_views.ProgrammeCoverageView.as_view(),
        name="programme-coverage",
    ),
    path(
        "programmes/<int:pk>/timeline/",
        builder_views.ProgrammeTimelineView.as_view(),
        name="programme-timeline",
    ),
    path("activities/", views.ActivityListView.as_view(), name="activity-list"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity-detail"),
    *(
        path(f"activities/<int:pk>/{step}/", view.as_view(), name=f"activity-{step}")
        for step, view in step_views.ACTIVITY_STEP_VIEWS.items()
    ),
    path("activities/<int:pk>/outcome/", step_views.ActivityOutcomeView.as_view(), name="activity-outcome"),
]
