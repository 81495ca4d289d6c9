"""API routes of the activity catalogue (/api/v1/catalogue/...)."""

from django.urls import path

from . import views

urlpatterns = [
    path("catalogue/", views.CatalogueItemListView.as_view(), name="catalogue-item-list"),
    path("catalogue/<int:pk>/", views.CatalogueItemDetailView.as_view(), name="catalogue-item-detail"),
    path("catalogue/imports/", views.CatalogueImportListView.as_view(), name="catalogue-imports"),
    path(
        "catalogue/imports/<int:pk>/",
        views.CatalogueImportDetailView.as_view(),
        name="catalogue-import-detail",
    ),
    path(
        "catalogue/imports/<int:pk>/confirm/",
        views.CatalogueImportConfirmView.as_view(),
        name="catalogue-import-confirm",
    ),
    path(
        "catalogue/imports/<int:pk>/discard/",
        views.CatalogueImportDiscardView.as_view(),
        name="catalogue-import-discard",
    ),
]
