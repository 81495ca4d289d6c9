"""The catalogue import through the API: upload, preview, confirm all or nothing; administrators only."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.accounts.models import User
from tests.factories import CatalogueItemFactory, CooperationAreaFactory
from tests.workprogrammes.programmes.test_catalogue_import import BAD, GOOD_CHANGED, GOOD_NEW, HEADER
from workprogrammes.catalogue.models import CatalogueImport, CatalogueItem

pytestmark = pytest.mark.django_db
URL = "/api/v1/catalogue/imports/"


@pytest.fixture
def areas(db: None) -> dict[str, Any]:
    """The areas the import page's test files name."""
    return {code: CooperationAreaFactory(code=code) for code in ("education", "exercises")}


def _file(*lines: str, name: str = "catalogue.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + "".join(lines)).encode("utf-8"), content_type="text/csv")


def _error(response: Any) -> dict[str, Any]:
    return response.json()["error"]


def test_upload_previews_then_confirm_writes_everything(administrator: User, areas, api_client_for) -> None:
    CatalogueItemFactory(code="EX-0001", title_en="Steadfast", kind="exercise", area=areas["exercises"])
    client = api_client_for(administrator)
    uploaded = client.post(URL, {"file": _file(GOOD_NEW, GOOD_CHANGED)}, format="multipart")
    assert uploaded.status_code == 201, uploaded.json()
    preview = uploaded.json()
    assert [row["code"] for row in preview["summary"]["new"]] == ["ACT-396"]
    assert preview["summary"]["changed"][0]["code"] == "EX-0001"
    assert preview["can_apply"] is True
    assert not CatalogueItem.objects.filter(code="ACT-396").exists()

    confirmed = client.post(f"{URL}{preview['id']}/confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == CatalogueImport.Status.APPLIED
    assert CatalogueItem.objects.get(code="ACT-396").title_fr == "Cours de gestion de crise"
    assert CatalogueItem.objects.get(code="EX-0001").title_en == "Steadfast Jazz"
    again = client.post(f"{URL}{preview['id']}/confirm/")
    assert again.status_code == 400


def test_a_file_with_an_invalid_row_is_not_imported_at_all(
    administrator: User, areas, api_client_for
) -> None:
    client = api_client_for(administrator)
    preview = client.post(URL, {"file": _file(GOOD_NEW, BAD)}, format="multipart").json()
    assert preview["can_apply"] is False and preview["summary"]["invalid"][0]["code"] == "BAD-1"
    refused = client.post(f"{URL}{preview['id']}/confirm/")
    assert refused.status_code == 400
    assert not CatalogueItem.objects.filter(code="ACT-396").exists()
    discarded = client.post(f"{URL}{preview['id']}/discard/")
    assert discarded.json()["status"] == CatalogueImport.Status.DISCARDED


def test_an_unreadable_file_is_an_error_on_the_file(administrator: User, areas, api_client_for) -> None:
    response = api_client_for(administrator).post(
        URL, {"file": SimpleUploadedFile("menu.pdf", b"%PDF-1.4 not a catalogue")}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in _error(response)["fields"]


@pytest.mark.parametrize("role", ["viewer", "officer", "analyst"])
def test_only_administrators_import(role: str, request: pytest.FixtureRequest, areas, api_client_for) -> None:
    user: User = request.getfixturevalue(role)
    response = api_client_for(user).post(URL, {"file": _file(GOOD_NEW)}, format="multipart")
    assert response.status_code == 403
    assert not CatalogueImport.objects.exists()
