"""The API covers the rest of the records with the admin's permissions and audit: partner core fields,
operations, single catalogue items and the reference data (regions, areas, frameworks). Users, desks
and roles have no API (the admin only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from rest_framework.test import APIClient

from operations.models import Operation
from partners.models import CooperationArea, Partner, PartnershipFramework, Region
from portal.accounts.models import Role, User
from portal.core.models import Marking
from tests.api.conftest import token_client
from tests.factories import (
    CatalogueItemFactory,
    CooperationAreaFactory,
    FrameworkFactory,
    OperationFactory,
    RegionFactory,
    UserFactory,
)
from workprogrammes.catalogue.models import CatalogueItem

pytestmark = pytest.mark.django_db


def _session_api(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


API_CLIENTS: dict[str, Callable[[User], APIClient]] = {"token": token_client, "session": _session_api}


def _last_event_actor(model: str) -> Any:
    event = apps.get_model(*model.split(".")).objects.select_related("pgh_context").latest("pgh_id")
    return event.pgh_context.metadata.get("user")


@pytest.mark.parametrize("surface", sorted(API_CLIENTS))
def test_an_administrator_changes_a_partners_core_fields_and_the_history_names_them(
    surface: str, administrator: User, partner: Partner
) -> None:
    region = RegionFactory(code="indo-pacific")
    client = API_CLIENTS[surface](administrator)
    response = client.patch(
        f"/api/v1/partners/{partner.iso_code}/",
        {"name_fr": "Le Japon", "region": "indo-pacific", "dialogue_since": 1990},
        format="json",
    )
    assert response.status_code == 200, response.content
    partner.refresh_from_db()
    assert (partner.name_fr, partner.region, partner.dialogue_since) == ("Le Japon", region, 1990)
    assert _last_event_actor("partners.PartnerEvent") == administrator.pk


@pytest.mark.parametrize("surface", sorted(API_CLIENTS))
def test_officers_and_viewers_may_not_change_core_fields_or_reference_data(
    surface: str, officer: User, viewer: User, partner: Partner
) -> None:
    CooperationAreaFactory(code="training")
    for user in (officer, viewer):
        client = API_CLIENTS[surface](user)
        assert (
            client.patch(f"/api/v1/partners/{partner.iso_code}/", {"name_en": "X"}, format="json").status_code
            == 403
        )
        assert (
            client.post("/api/v1/regions/", {"code": "x", "name_en": "X"}, format="json").status_code == 403
        )
        assert client.patch("/api/v1/areas/training/", {"name_en": "X"}, format="json").status_code == 403
        assert client.post("/api/v1/operations/", {"code": "x"}, format="json").status_code == 403
    partner.refresh_from_db()
    assert partner.name_en == "Japan"
    assert not Region.objects.filter(code="x").exists()


def test_an_administrator_adds_and_changes_an_operation_and_bad_dates_are_a_400(administrator: User) -> None:
    client = token_client(administrator)
    body = {
        "code": "kfor",
        "acronym_en": "KFOR",
        "acronym_fr": "KFOR",
        "name_en": "Kosovo Force",
        "name_fr": "Force pour le Kosovo",
        "theatre_en": "Kosovo",
        "theatre_fr": "Kosovo",
        "start_date": "1999-06-12",
    }
    created = client.post("/api/v1/operations/", body, format="json")
    assert created.status_code == 201, created.content
    assert _last_event_actor("operations.OperationEvent") == administrator.pk
    wrong = client.patch("/api/v1/operations/kfor/", {"end_date": "1990-01-01"}, format="json")
    assert wrong.status_code == 400
    assert Operation.objects.get(code="kfor").end_date is None
    changed = client.patch("/api/v1/operations/kfor/", {"end_date": "2030-01-01"}, format="json")
    assert changed.status_code == 200
    assert client.get("/api/v1/operations/kfor/").status_code == 200


def test_an_administrator_adds_and_changes_one_catalogue_item(administrator: User) -> None:
    CooperationAreaFactory(code="education")
    client = token_client(administrator)
    created = client.post(
        "/api/v1/catalogue/",
        {
            "code": "ACT-396",
            "title_en": "Operational planning course",
            "title_fr": "Cours de planification opérationnelle",
            "kind": CatalogueItem.Kind.EDUCATION_TRAINING,
            "area": "education",
            "needs_council_decision": True,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    changed = client.patch(f"/api/v1/catalogue/{pk}/", {"fee_eur": "150.00"}, format="json")
    assert changed.status_code == 200, changed.content
    assert str(CatalogueItem.objects.get(pk=pk).fee_eur) == "150.00"
    assert _last_event_actor("workprogrammes.CatalogueItemEvent") == administrator.pk
    assert client.get(f"/api/v1/catalogue/{pk}/").status_code == 200


@pytest.mark.parametrize(
    ("path", "body", "model"),
    [
        (
            "regions",
            {"code": "south-america", "name_en": "South America", "name_fr": "Amérique du Sud"},
            Region,
        ),
        ("areas", {"code": "cyber", "name_en": "Cyber defence", "name_fr": "Cyberdéfense"}, CooperationArea),
        (
            "frameworks",
            {
                "code": "icip",
                "acronym_en": "ICI",
                "acronym_fr": "ICI",
                "name_en": "Istanbul Cooperation Initiative",
                "name_fr": "Initiative de coopération d'Istanbul",
                "kind": "formal",
            },
            PartnershipFramework,
        ),
    ],
)
def test_reference_data_is_listed_read_added_and_changed_by_an_administrator(
    path: str, body: dict[str, Any], model: Any, administrator: User, viewer: User
) -> None:
    RegionFactory()
    CooperationAreaFactory()
    FrameworkFactory()
    client = token_client(administrator)
    created = client.post(f"/api/v1/{path}/", body, format="json")
    assert created.status_code == 201, created.content
    duplicate = client.post(f"/api/v1/{path}/", body, format="json")
    assert duplicate.status_code == 400
    reader = token_client(viewer)
    assert reader.get(f"/api/v1/{path}/").status_code == 200
    assert reader.get(f"/api/v1/{path}/{body['code']}/").json()["name_en"] == body["name_en"]
    changed = client.patch(f"/api/v1/{path}/{body['code']}/", {"name_fr": "Nouveau nom"}, format="json")
    assert changed.status_code == 200, changed.content
    assert model.objects.get(code=body["code"]).name_fr == "Nouveau nom"
    assert reader.get(f"/api/v1/{path}/no-such-code/").status_code == 404


def test_users_desks_and_roles_have_no_api(administrator: User) -> None:
    client = token_client(administrator)
    for path in ("users", "desks", "roles", "groups"):
        assert client.get(f"/api/v1/{path}/").status_code == 404


def test_operations_list_and_detail_still_read_for_everyone(viewer: User) -> None:
    OperationFactory(code="isaf")
    client = token_client(viewer)
    assert client.get("/api/v1/operations/isaf/").status_code == 200


def test_the_admin_and_the_api_agree_on_who_changes_a_region_and_both_name_them_in_the_history(
    administrator: User,
) -> None:
    """The same permission on both surfaces (a staff analyst reads the admin but changes nothing; an
    administrator changes the record on both) and the same audit: the history names who changed it."""
    RegionFactory(code="asia", name_en="Asia", name_fr="Asie")
    analyst = UserFactory(username="staff_analyst", roles=[Role.ANALYST], is_staff=True)
    admin_page = "/admin/partners/region/{}/change/".format(Region.objects.get(code="asia").pk)
    form = {"code": "asia", "name_en": "Asia-Pacific", "name_fr": "Asie-Pacifique"}
    for user, page_status, api_status in ((analyst, 403, 403), (administrator, 302, 200)):
        page = Client()
        page.force_login(user)
        assert page.post(admin_page, form).status_code == page_status
        if page_status == 302:
            assert _last_event_actor("partners.RegionEvent") == user.pk
        response = token_client(user).patch("/api/v1/regions/asia/", {"name_fr": "Asie"}, format="json")
        assert response.status_code == api_status
        if api_status == 200:
            assert _last_event_actor("partners.RegionEvent") == user.pk
    region = Region.objects.get(code="asia")
    assert (region.name_en, region.name_fr) == ("Asia-Pacific", "Asie")


def test_a_catalogue_item_above_the_clearance_is_not_found_to_change_either(administrator: User) -> None:
    """Reading and changing one item ask the same selector: an item one may not read is a 404 to change."""
    item = CatalogueItemFactory(marking=Marking.NATO_SECRET)
    client = token_client(administrator)
    assert client.get(f"/api/v1/catalogue/{item.pk}/").status_code == 404
    response = client.patch(f"/api/v1/catalogue/{item.pk}/", {"fee_eur": "1.00"}, format="json")
    assert response.status_code == 404
    assert "title_en" not in response.content.decode()
    item.refresh_from_db()
    assert item.fee_eur != 1
