from django.urls import path

from . import views

urlpatterns = [
    path("delegations/", views.DelegationListView.as_view(), name="delegation-list"),
    path("delegations/<int:pk>/end/", views.DelegationEndView.as_view(), name="delegation-end"),
]
