from django.urls import path

from . import views

urlpatterns = [
    path("catalogue/", views.CatalogueItemListView.as_view(), name="catalogue-item-list"),
    path("catalogue/<int:pk>/", views.CatalogueItemDetailView.as_view(), name="catalogue-item-detail"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programme-list"),
    path("programmes/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme-detail"),
    path("activities/", views.ActivityListView.as_view(), name="activity-list"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity-detail"),
]
