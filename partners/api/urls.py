from django.urls import path

from . import views

urlpatterns = [
    path("partners/", views.PartnerListView.as_view(), name="partner-list"),
    path("partners/<str:iso_code>/", views.PartnerDetailView.as_view(), name="partner-detail"),
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("areas/", views.CooperationAreaListView.as_view(), name="area-list"),
]
