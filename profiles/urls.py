"""The partner pages under /partners/, in the "partners" namespace where they have always been named."""

from django.urls import include, path, re_path

from . import views

app_name = "partners"
urlpatterns = [
    path("", views.partner_directory, name="directory"),
    # ISO 3166 codes are stored in capitals; /partners/jp/ works as well as /partners/JP/.
    re_path(r"^(?P<iso_code>[A-Za-z]{2})/$", views.partner_profile, name="profile"),
    re_path(r"^(?P<iso_code>[A-Za-z]{2})/outcomes/$", views.partner_outcomes, name="outcomes"),
    re_path(r"^(?P<iso_code>[A-Za-z]{2})/", include("profiles.record_urls")),
]
