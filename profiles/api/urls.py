from django.urls import path

from . import record_views, views

urlpatterns = [
    path("partners/", views.PartnerListView.as_view(), name="partner-list"),
    path("partners/<str:iso_code>/", views.PartnerDetailView.as_view(), name="partner-detail"),
    path(
        "partners/<str:iso_code>/history/", record_views.PartnerHistoryView.as_view(), name="partner-history"
    ),
    path(
        "partners/<str:iso_code>/cooperation/",
        record_views.CooperationView.as_view(),
        name="partner-cooperation",
    ),
    *(
        route
        for kind, (create, detail) in record_views.RECORD_VIEWS.items()
        for route in (
            path(f"partners/<str:iso_code>/{kind}/", create.as_view(), name=f"partner-{kind}"),
            path(
                f"partners/<str:iso_code>/{kind}/<int:pk>/", detail.as_view(), name=f"partner-{kind}-detail"
            ),
        )
    ),
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("regions/<slug:code>/", views.RegionDetailView.as_view(), name="region-detail"),
    path("areas/", views.CooperationAreaListView.as_view(), name="area-list"),
    path("areas/<slug:code>/", views.CooperationAreaDetailView.as_view(), name="area-detail"),
    path("frameworks/", views.FrameworkListView.as_view(), name="framework-list"),
    path("frameworks/<slug:code>/", views.FrameworkDetailView.as_view(), name="framework-detail"),
]
