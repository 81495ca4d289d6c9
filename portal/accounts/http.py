"""Requests whose user is known to be signed in.

Every page is behind Django's `LoginRequiredMiddleware` and every API view behind an authenticated
permission class, so the views and the services they call take a `User`, never `Any` or an anonymous
user. A view annotates its request with one of these types; nothing is checked or converted at run time.
"""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework.request import Request

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A page request made by a signed-in user."""

    user: User


class AuthenticatedRequest(Request):
    """An API request made by an authenticated user (session or token)."""

    user: User
