from django.urls import path, re_path

from ..catalogue import views as catalogue_views
from . import builder_views, lifecycle_views, views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    # Building programmes (builder_views.py) and running them (lifecycle_views.py)
    path("new/", builder_views.programme_start, name="start"),
    path("<int:pk>/edit/", builder_views.programme_edit, name="edit"),
    path("<int:pk>/catalogue/", builder_views.catalogue_menu, name="catalogue_menu"),
    path("<int:pk>/catalogue/<int:item_pk>/add/", builder_views.activity_add, name="activity_add"),
    re_path(
        r"^(?P<pk>\d+)/(?P<step>propose|agree|activate|close)/$",
        lifecycle_views.programme_step,
        name="step",
    ),
    path("activities/<int:pk>/", lifecycle_views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", builder_views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/remove/", builder_views.activity_remove, name="activity_remove"),
    re_path(
        r"^activities/(?P<pk>\d+)/(?P<step>confirm|hold|cancel|outcome)/$",
        lifecycle_views.activity_step,
        name="activity_step",
    ),
    # The catalogue import pages (catalogue/views.py), under /programmes/ as before
    path("catalogue/import/", catalogue_views.catalogue_import_upload, name="catalogue_import"),
    path(
        "catalogue/import/<int:pk>/",
        catalogue_views.catalogue_import_preview,
        name="catalogue_import_preview",
    ),
]
