"""Two-factor pages, under /account/two-factor/."""

from django.urls import path

from . import views

app_name = "security"
urlpatterns = [
    path("setup/", views.otp_setup, name="otp-setup"),
    path("verify/", views.otp_verify, name="otp-verify"),
]
