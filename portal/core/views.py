"""Cross-cutting pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def home(request: HttpRequest) -> HttpResponse:
    """The landing page: the partner directory until dashboards exist."""
    return redirect("partners:directory")
