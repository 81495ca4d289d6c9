"""/api/v1/ is the API's root: a link to each resource, the schema and the docs; HTML for a browser."""

import pytest
from django.test import Client

from portal.accounts.models import User

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_api_root_links_each_resource_the_schema_and_the_docs(viewer: User) -> None:
    response = _client(viewer).get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["resources"]["partner"] == "http://testserver/api/v1/partners/"
    assert "inclusion-request" in " ".join(body["resources"]) or len(body["resources"]) > 5
    assert body["schema"].endswith("/api/schema/")
    assert body["docs"].endswith("/api/docs/")
    for url in body["resources"].values():
        assert _client(viewer).get(url, HTTP_ACCEPT="application/json").status_code in (200, 403), url


def test_the_browsable_api_renders_for_a_signed_in_browser(viewer: User) -> None:
    response = _client(viewer).get("/api/v1/partners/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Contact Country Cooperation Portal" in response.content.decode()


def test_programs_still_get_json_by_default(viewer: User) -> None:
    response = _client(viewer).get("/api/v1/partners/")
    assert response["Content-Type"].startswith("application/json")


def test_the_api_root_refuses_anonymous_callers() -> None:
    assert Client().get("/api/v1/", HTTP_ACCEPT="application/json").status_code == 401


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/", "/api/v1/partners/"])
def test_the_api_pages_carry_the_portals_name_and_marking(viewer: User, path: str) -> None:
    html = _client(viewer).get(path, HTTP_ACCEPT="text/html").content.decode()
    assert "Contact Country Cooperation Portal" in html
    assert html.count('class="portal-marking') == 2


def test_the_admin_carries_the_portals_name_and_marking(administrator: User) -> None:
    html = _client(administrator).get("/admin/").content.decode()
    assert "Contact Country Cooperation Portal – administration" in html
    assert html.count('class="portal-marking') == 2
