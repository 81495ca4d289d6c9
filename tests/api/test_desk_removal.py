"""An officer taken off a desk loses that desk's requests at once, on the pages and in the API.

Nothing about who may see what is kept between requests: the very next request after the change is
refused, in a session as with a token.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def test_an_officer_removed_from_a_desk_is_refused_its_requests_on_the_next_request(
    officer, desk, make_request
) -> None:
    cache.clear()
    request = make_request("submitted")
    page = reverse("requests:detail", args=[request.reference])
    session = Client()
    session.force_login(officer)
    api = token_client(officer)

    # Before: the officer reads the request's page, finds it in the list page and in the API list.
    assert session.get(page).status_code == 200
    assert request.reference in session.get(reverse("requests:list")).content.decode()
    assert [row["reference"] for row in api.get("/api/v1/requests/").json()["results"]] == [request.reference]

    desk.members.remove(officer)

    # The very next requests: the page is refused, neither list names the request.
    assert session.get(page).status_code == 404
    assert request.reference not in session.get(reverse("requests:list")).content.decode()
    assert api.get("/api/v1/requests/").json()["results"] == []
    assert api.get(f"/api/v1/requests/{request.pk}/").status_code == 404
