from django.urls import path

from . import views

app_name = "operations"
urlpatterns = [
    path("", views.operation_list, name="list"),
    path("<slug:code>/", views.operation_detail, name="detail"),
]
