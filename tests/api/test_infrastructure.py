"""Authentication, error bodies, languages, throttling and the schema, common to every endpoint."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from portal.accounts.models import User
from portal.api.authentication import PortalTokenAuthentication
from portal.api.models import ApiToken
from portal.api.services import api_token_create, api_token_revoke
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PARTNERS = "/api/v1/partners/"


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def test_anonymous_request_is_refused_with_401_and_the_error_body(anonymous_client: APIClient) -> None:
    response = anonymous_client.get(PARTNERS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert _error(response)["code"] == "not_authenticated"


def test_accept_language_french_gives_french_messages(anonymous_client: APIClient) -> None:
    response = anonymous_client.get(PARTNERS, HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Content-Language"] == "fr"
    assert _error(response)["message"] == "Informations d'authentification non fournies."


def test_personal_token_authenticates_its_user(viewer: User, api_client_for) -> None:
    assert api_client_for(viewer).get(PARTNERS).status_code == 200


def test_unknown_token_is_refused(anonymous_client: APIClient) -> None:
    anonymous_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 64)
    response = anonymous_client.get(PARTNERS)
    assert response.status_code == 401
    assert _error(response)["code"] == "authentication_failed"


def test_revoked_token_stops_working(viewer: User) -> None:
    token, text = api_token_create(user=viewer, name="script", expires_in_days=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    assert client.get(PARTNERS).status_code == 200
    assert api_token_revoke(user=viewer, digest=token.digest)
    assert client.get(PARTNERS).status_code == 401


def test_expired_token_stops_working(viewer: User) -> None:
    token, text = api_token_create(user=viewer, name="script", expires_in_days=30)
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    assert client.get(PARTNERS).status_code == 401
    # Kept, so that the tokens page shows its owner which token stopped and when.
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_a_token_and_its_users_roles_are_read_in_one_query_whatever_tokens_they_have(
    viewer: User,
) -> None:
    for number in range(5):
        api_token_create(user=viewer, name=f"old script {number}", expires_in_days=30)
    ApiToken.objects.filter(user=viewer).update(expiry=timezone.now() - datetime.timedelta(days=1))
    _token, text = api_token_create(user=viewer, name="script", expires_in_days=None)
    authentication = PortalTokenAuthentication()
    authentication.authenticate_credentials(text.encode())  # prepares the lookup on this connection
    with CaptureQueriesContext(connection) as queries:
        user, _auth = authentication.authenticate_credentials(text.encode())
        roles = user.roles  # read with the token
    assert user == viewer
    assert roles == frozenset({"viewer"})
    assert len(queries.captured_queries) == 1
    assert ApiToken.objects.filter(user=viewer).count() == 6


def test_token_of_a_deactivated_user_stops_working(viewer: User, api_client_for) -> None:
    client = api_client_for(viewer)
    viewer.is_active = False
    viewer.save(update_fields=["is_active"])
    response = client.get(PARTNERS)
    assert response.status_code == 401
    assert _error(response)["code"] == "authentication_failed"


def test_user_cannot_revoke_another_users_token(viewer: User, analyst: User) -> None:
    token, _text = api_token_create(user=viewer, name="script", expires_in_days=None)
    assert not api_token_revoke(user=analyst, digest=token.digest)
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_signed_in_user_without_a_role_is_forbidden(api_client_for) -> None:
    response = api_client_for(UserFactory(username="norole")).get(PARTNERS)
    assert response.status_code == 403
    assert _error(response)["code"] == "permission_denied"


def test_session_authentication_works_for_the_browser(viewer: User) -> None:
    client = APIClient()
    client.force_login(viewer)
    assert client.get(PARTNERS).status_code == 200


def test_unknown_object_gives_404_with_the_error_body(viewer: User, api_client_for) -> None:
    response = api_client_for(viewer).get(PARTNERS + "ZZ/")
    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


def test_invalid_query_parameter_gives_400_with_field_errors(viewer: User, api_client_for) -> None:
    response = api_client_for(viewer).get(PARTNERS, {"engagement_level": "enemy"})
    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["engagement_level"]


def test_requests_over_the_users_rate_are_throttled(viewer: User, api_client_for) -> None:
    client = api_client_for(viewer)
    with override_settings(API_THROTTLE_RATE="2/minute"):
        assert client.get(PARTNERS).status_code == 200
        assert client.get(PARTNERS).status_code == 200
        response = client.get(PARTNERS)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert _error(response)["code"] == "throttled"


def test_throttling_counts_each_user_apart(viewer: User, analyst: User, api_client_for) -> None:
    with override_settings(API_THROTTLE_RATE="1/minute"):
        assert api_client_for(viewer).get(PARTNERS).status_code == 200
        assert api_client_for(analyst).get(PARTNERS).status_code == 200


def test_schema_requires_a_signed_in_user(anonymous_client: APIClient, viewer: User) -> None:
    assert anonymous_client.get("/api/schema/").status_code == 401
    client = APIClient()
    client.force_login(viewer)
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/partners/" in response.json()["paths"]


@pytest.mark.parametrize("url_name", ["api-docs", "api-redoc"])
def test_documentation_pages_redirect_anonymous_visitors_to_login(url_name: str, viewer: User) -> None:
    url = reverse(url_name)
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client = Client()
    client.force_login(viewer)
    page = client.get(url)
    assert page.status_code == 200
    # The documentation's scripts come from the installed sidecar package, never from a CDN.
    assert b"cdn" not in page.content.lower()


def test_schema_validates_without_warnings() -> None:
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null", stdout=out, stderr=out)


def test_every_operation_documents_the_error_body() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code in ("400", "401", "403", "404", "429"):
                content = operation["responses"][code]["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/Error"}, (method, path, code)


def test_unknown_api_path_gives_the_json_404_body(viewer: User, api_client_for, anonymous_client) -> None:
    response = api_client_for(viewer).get("/api/v1/activities/-1/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert _error(response)["code"] == "not_found"
    assert anonymous_client.get("/api/v1/nothing/here/").status_code == 401
