"""The dashboard's overview is computed once per version of the data, and again as soon as it changes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Role
from tests.factories import PartnerFactory, UserFactory
from tests.workprogrammes.request_factories import InclusionRequestFactory

pytestmark = pytest.mark.django_db
HOME = reverse("home")


def _decided(html: str) -> str:
    match = re.search(r'data-figure="decided"><span class="portal-figure__value">([^<]*)</span>', html)
    assert match, "no 'requests decided' figure"
    return match.group(1)


def _get(client: Client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def _computes_the_overview(sqls: list[str]) -> bool:
    return any("PERCENTILE_CONT" in sql for sql in sqls)


@pytest.fixture
def analyst_client(db: Any) -> Client:
    cache.clear()
    client = Client()
    client.force_login(UserFactory(username="overview-analyst", roles=[Role.ANALYST]))
    return client


def test_overview_is_read_from_the_cache_while_nothing_changes(analyst_client: Client) -> None:
    now = timezone.now()
    InclusionRequestFactory(partner=PartnerFactory(), status="approved", submitted_at=now, decided_at=now)

    first, first_sqls = _get(analyst_client)
    second, second_sqls = _get(analyst_client)

    assert _computes_the_overview(first_sqls)
    assert not _computes_the_overview(second_sqls)
    assert _decided(second) == _decided(first) == "1"


def test_overview_is_computed_again_when_a_request_is_decided(analyst_client: Client) -> None:
    now = timezone.now()
    partner = PartnerFactory()
    InclusionRequestFactory(partner=partner, status="approved", submitted_at=now, decided_at=now)
    assert _decided(_get(analyst_client)[0]) == "1"

    InclusionRequestFactory(partner=partner, status="rejected", submitted_at=now, decided_at=now)
    html, sqls = _get(analyst_client)

    assert _computes_the_overview(sqls)
    assert _decided(html) == "2"


def test_overview_is_cached_per_language(analyst_client: Client) -> None:
    now = timezone.now()
    InclusionRequestFactory(partner=PartnerFactory(), status="approved", submitted_at=now, decided_at=now)
    _get(analyst_client)

    analyst_client.cookies["django_language"] = "fr"
    html, sqls = _get(analyst_client)

    assert _computes_the_overview(sqls)
    assert 'lang="fr"' in html and "Vue d" in html


def test_a_higher_clearance_gets_its_own_overview(analyst_client: Client) -> None:
    now = timezone.now()
    partner = PartnerFactory()
    InclusionRequestFactory(partner=partner, status="approved", submitted_at=now, decided_at=now)
    InclusionRequestFactory(partner=partner, status="approved", submitted_at=now, decided_at=now, marking=20)
    assert _decided(_get(analyst_client)[0]) == "1"

    cleared = Client()
    cleared.force_login(UserFactory(username="cleared-analyst", roles=[Role.ANALYST], clearance=20))
    html, sqls = _get(cleared)

    assert _computes_the_overview(sqls)
    assert _decided(html) == "2"
