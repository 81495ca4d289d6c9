"""Input no route can take answers 400 with a reason, never 500: a NUL character in the address (every
route of the URLconf, walked), a justification over a megabyte, JSON nested thousands deep. The text
limits are stated in the form (maxlength, hint) and in the API schema (maxLength)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from portal.accounts.models import User
from portal.api.parsers import MAX_JSON_DEPTH
from tests.api.conftest import token_client
from tests.factories import CatalogueItemFactory, CooperationAreaFactory, UserFactory
from tests.test_url_walk import ROUTES, Route
from workprogrammes.catalogue.models import CATALOGUE_DESCRIPTION_MAX_LENGTH
from workprogrammes.catalogue.services import catalogue_import_preview
from workprogrammes.requests import services
from workprogrammes.requests.models import CASE_TEXT_MAX_LENGTH, CASE_TEXT_MIN_LENGTH, InclusionRequest

pytestmark = pytest.mark.django_db

NUL = "%00"


def _with_nul_arguments(route: Route) -> list[str]:
    """The route's sample path with each of its arguments in turn replaced by a NUL character."""
    match = re.fullmatch(route.regex, route.sample.removeprefix("/"))
    assert match is not None, route
    paths = []
    for index in range(1, (match.re.groups or 0) + 1):
        start, end = match.span(index)
        if start < 0:
            continue
        sample = route.sample.removeprefix("/")
        paths.append("/" + sample[:start] + NUL + sample[end:])
    return paths


ROUTES_WITH_ARGUMENTS = [(route, path) for route in ROUTES for path in _with_nul_arguments(route)]


@pytest.fixture
def superuser_client() -> Client:
    """A signed-in superuser (every role, past the second factor): the views get as far as they can."""
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def _assert_refused_with_a_reason(response, where: str) -> None:
    assert response.status_code == 400, f"{where} answered {response.status_code}"
    if where.startswith("/api/"):
        assert response.json()["error"]["code"] == "bad_request", where
        assert "NUL" in response.json()["error"]["message"], where
    else:
        assert "NUL character" in response.content.decode(), where


def test_the_walk_finds_routes_with_arguments_and_the_reported_ones() -> None:
    paths = {path for _route, path in ROUTES_WITH_ARGUMENTS}
    assert "/api/v1/partners/%00/" in paths
    assert len(ROUTES_WITH_ARGUMENTS) > 40


@pytest.mark.parametrize(
    ("route", "path"),
    ROUTES_WITH_ARGUMENTS,
    ids=[f"{route.name} {path}" for route, path in ROUTES_WITH_ARGUMENTS],
)
def test_a_nul_character_in_any_route_argument_is_a_400(
    superuser_client: Client, route: Route, path: str
) -> None:
    _assert_refused_with_a_reason(superuser_client.get(path), path)


# The load balancer's probes are answered before any other middleware, and read no argument.
PROBES = {"healthz", "readyz"}


@pytest.mark.parametrize("route", ROUTES, ids=[f"{route.name} {route.sample}" for route in ROUTES])
def test_a_nul_character_in_the_query_of_any_route_is_a_400(superuser_client: Client, route: Route) -> None:
    if route.name in PROBES:
        assert superuser_client.get(f"{route.sample}?q={NUL}").status_code == 200
        return
    _assert_refused_with_a_reason(superuser_client.get(f"{route.sample}?q={NUL}&page=1{NUL}"), route.sample)


def test_a_nul_character_reaches_the_api_with_a_token_too(officer: User) -> None:
    client = token_client(officer)
    for path in ("/api/v1/partners/%00/", "/api/v1/requests/?q=%00", "/api/v1/requests/?partner=J%00P"):
        _assert_refused_with_a_reason(client.get(path), path)
    assert client.get("/api/v1/requests/?q=ordinary").status_code == 200


def test_a_nul_character_in_a_posted_form_field_is_a_form_error(officer: User, partner) -> None:
    client = Client()
    client.force_login(officer)
    item = CatalogueItemFactory()
    response = client.post(
        reverse("requests:create"),
        {
            "partner": partner.pk,
            "catalogue_item": item.pk,
            "start_date": "2027-03-01",
            "end_date": "2027-03-05",
            "justification": "Builds interoperability\x00 with a partner that contributes.",
            "mutual_benefit": "The partner shares lessons; Allies offer training places.",
            "marking": 10,
        },
    )
    assert response.status_code == 400
    assert not InclusionRequest.objects.exists()


# --- Texts over a megabyte ------------------------------------------------------------------------

MEGABYTE_AND_A_BIT = "interoperability " * 70_000  # about 1.2 MB: more than the search index's 1 MB


def _request_body(partner, item, **overrides: object) -> dict[str, object]:
    return {
        "partner": partner.iso_code,
        "catalogue_item": item.pk,
        "start_date": "2027-03-01",
        "end_date": "2027-03-05",
        "justification": "Builds interoperability with a partner that contributes to operations.",
        "mutual_benefit": "The partner shares lessons from its deployments; Allies offer places.",
        **overrides,
    }


@pytest.mark.parametrize("field", ["justification", "mutual_benefit"])
def test_a_text_over_a_megabyte_is_a_400_through_the_api(officer: User, partner, field: str) -> None:
    item = CatalogueItemFactory()
    response = token_client(officer).post(
        "/api/v1/requests/", _request_body(partner, item, **{field: MEGABYTE_AND_A_BIT}), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not InclusionRequest.objects.exists()


def test_a_text_over_a_megabyte_is_a_form_error_and_the_text_is_kept(officer: User, partner) -> None:
    client = Client()
    client.force_login(officer)
    item = CatalogueItemFactory()
    response = client.post(
        reverse("requests:create"),
        {
            **_request_body(partner, item, justification=MEGABYTE_AND_A_BIT[:20_000]),
            "partner": partner.pk,
            "marking": 10,
        },
    )
    assert response.status_code == 400
    assert 'href="#id_justification"' in response.content.decode()
    assert "partner shares lessons from its deployments" in response.content.decode()


def test_the_service_refuses_a_text_over_the_limit(officer: User, partner) -> None:
    with pytest.raises(ValidationError) as error:
        services.inclusion_request_create(
            actor=officer,
            partner=partner,
            catalogue_item=CatalogueItemFactory(),
            start_date=None,
            end_date=None,
            justification=MEGABYTE_AND_A_BIT,
            mutual_benefit="The partner shares lessons from its deployments; Allies offer places.",
        )
    assert "justification" in error.value.message_dict


def test_the_limits_are_stated_in_the_api_schema(officer: User) -> None:
    client = APIClient()
    client.force_login(officer)
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    fields = schema["components"]["schemas"]["InclusionRequestCreateRequest"]["properties"]
    for name in ("justification", "mutual_benefit"):
        assert fields[name]["maxLength"] == CASE_TEXT_MAX_LENGTH
        assert fields[name]["minLength"] == CASE_TEXT_MIN_LENGTH


def test_the_limits_are_stated_in_the_form(officer: User) -> None:
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("requests:create")).content.decode()
    for name in ("justification", "mutual_benefit"):
        textarea = re.search(rf'<textarea[^>]*name="{name}"[^>]*>', page)
        assert textarea is not None
        assert f'maxlength="{CASE_TEXT_MAX_LENGTH}"' in textarea.group(0)
        assert f'minlength="{CASE_TEXT_MIN_LENGTH}"' in textarea.group(0)
    assert "20 to 4" in page  # the hint says it in words: "20 to 4 000 characters"


# --- Deeply nested JSON ---------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
def test_deeply_nested_json_is_a_400(officer: User, depth: int) -> None:
    body = "[" * depth + "]" * depth
    for client in (token_client(officer), _session_api_client(officer)):
        response = client.post("/api/v1/requests/", body, content_type="application/json")
        assert response.status_code == 400
        assert "levels deep" in response.json()["error"]["message"]


def test_json_nested_within_the_limit_still_reaches_the_serializer(officer: User) -> None:
    body = {"partner": {"a": [[["x"]]]}}
    response = token_client(officer).post("/api/v1/requests/", body, format="json")
    assert response.status_code == 400
    assert "partner" in response.json()["error"]["fields"]


def _session_api_client(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


# --- The catalogue's searched description: the same overflow, refused on every surface -------------

# Many distinct words: a search vector of more than a megabyte (one repeated word makes a small one).
MANY_WORDS = " ".join(f"w{number}x" for number in range(200_000))


def test_a_catalogue_description_over_the_limit_is_a_400_through_the_api(administrator: User) -> None:
    item = CatalogueItemFactory()
    client = token_client(administrator)
    for field in ("description_en", "description_fr"):
        response = client.patch(f"/api/v1/catalogue/{item.pk}/", {field: MANY_WORDS}, format="json")
        assert response.status_code == 400, response.content[:500]
        assert field in response.json()["error"]["fields"]
    longest = "w" * CATALOGUE_DESCRIPTION_MAX_LENGTH
    at_the_limit = client.patch(f"/api/v1/catalogue/{item.pk}/", {"description_en": longest}, format="json")
    assert at_the_limit.status_code == 200
    schema = json.loads(client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content)
    fields = schema["components"]["schemas"]["PatchedCatalogueItemWriteRequest"]["properties"]
    assert fields["description_en"]["maxLength"] == CATALOGUE_DESCRIPTION_MAX_LENGTH


def test_a_catalogue_description_over_the_limit_is_a_form_error_in_the_admin(administrator: User) -> None:
    item = CatalogueItemFactory()
    client = Client()
    client.force_login(administrator)
    url = reverse("admin:workprogrammes_catalogueitem_change", args=[item.pk])
    form = client.get(url).content.decode()
    textarea = re.search(r'<textarea[^>]*name="description_en"[^>]*>', form)
    assert textarea is not None and f'maxlength="{CATALOGUE_DESCRIPTION_MAX_LENGTH}"' in textarea.group(0)
    response = client.post(
        url,
        {
            "code": item.code,
            "title_en": item.title_en,
            "title_fr": item.title_fr or "",
            "description_en": MANY_WORDS,
            "kind": item.kind,
            "area": item.area_id,
            "needs_council_decision": "on",
            "marking": item.marking,
        },
    )
    assert response.status_code == 200
    assert "description_en" in response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.description_en != MANY_WORDS


def test_a_catalogue_description_over_the_limit_is_an_invalid_row_of_an_import(administrator: User) -> None:
    CooperationAreaFactory(code="education")
    header = "code,title_en,title_fr,kind,area,needs_council_decision,description_en\n"
    row = f"ACT-1,Course,Cours,education,education,yes,{MANY_WORDS[:12_000]}\n"
    upload = SimpleUploadedFile("catalogue.csv", (header + row).encode(), content_type="text/csv")
    preview = catalogue_import_preview(actor=administrator, uploaded_file=upload)
    [invalid] = preview.summary["invalid"]
    assert any("description_en" in reason for reason in invalid["reasons"])
