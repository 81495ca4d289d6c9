from django.urls import path

from . import views

urlpatterns = [
    path("operations/", views.OperationListView.as_view(), name="operation-list"),
    path("operations/<str:code>/", views.OperationDetailView.as_view(), name="operation-detail"),
    path("contributions/", views.ContributionListView.as_view(), name="contribution-list"),
]
