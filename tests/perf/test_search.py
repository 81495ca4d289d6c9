"""Full-text search in English and French: what it finds, and its query count at 1 and 50 matches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners.selectors import partner_directory
from portal.accounts.models import Role
from portal.api.services import api_token_create
from tests.factories import CatalogueItemFactory, PartnerFactory, UserFactory
from tests.workprogrammes.request_factories import InclusionRequestFactory
from workprogrammes.catalogue.selectors import catalogue_item_list
from workprogrammes.requests.selectors import inclusion_request_list

pytestmark = pytest.mark.django_db


def _names(q: str) -> list[str]:
    return [partner.name_en for partner in partner_directory(q=q)]


def test_partner_search_matches_words_by_their_start_in_both_languages(db: Any) -> None:
    PartnerFactory(iso_code="KR", name_en="Republic of Korea", name_fr="République de Corée")
    PartnerFactory(iso_code="NZ", name_en="New Zealand", name_fr="Nouvelle-Zélande")

    assert _names("korea") == ["Republic of Korea"]
    assert _names("corée") == ["Republic of Korea"]  # French stemming and accents
    assert _names("rep kor") == ["Republic of Korea"]  # every word, each as the start of a word
    assert _names("zél") == ["New Zealand"]
    assert _names("orea") == []  # not inside a word
    assert _names("nz") == ["New Zealand"]  # the ISO code


def test_request_search_reads_the_text_in_either_language_and_finds_references(db: Any) -> None:
    viewer = UserFactory(roles=[Role.VIEWER])
    maritime = InclusionRequestFactory(justification="Courses in maritime security for the navy.")
    french = InclusionRequestFactory(justification="Le partenaire participe aux exercices navals.")
    other = InclusionRequestFactory(justification="Staff talks on logistics.")

    def found(q: str) -> set[int]:
        return {r.pk for r in inclusion_request_list(user=viewer, q=q)}

    assert found("maritime") == {maritime.pk}
    assert found("courses securit") == {maritime.pk}  # English stemming, prefixes
    assert found("exercice") == {french.pk}  # French stemming
    assert found(other.reference.lower()) == {other.pk}
    assert found("& | ! :*") == set()  # no words: nothing, and no error


def test_catalogue_search_reads_titles_and_descriptions_and_code_prefixes(db: Any) -> None:
    viewer = UserFactory(roles=[Role.VIEWER])
    cyber = CatalogueItemFactory(
        code="ACT-396", title_en="Cyber defence course", title_fr="Cours de cyberdéfense", description_en=""
    )
    described = CatalogueItemFactory(
        code="NSO-1", title_en="Course", description_en="On maritime interdiction"
    )

    def found(q: str) -> set[int]:
        return {item.pk for item in catalogue_item_list(user=viewer, q=q)}

    assert found("cyber") == {cyber.pk}
    assert found("cyberdéfense") == {cyber.pk}
    assert found("interdiction") == {described.pk}
    assert found("act-3") == {cyber.pk}


# --- Query counts at 1 and 50 matches ----------------------------------------------------------------


def _count_queries(request: Callable[[], Any]) -> int:
    request()  # warm what is cached across requests
    with CaptureQueriesContext(connection) as queries:
        response = request()
    assert response.status_code == 200
    return len(queries.captured_queries)


def _add_requests(count: int) -> None:
    now = timezone.now()
    for _ in range(count):
        InclusionRequestFactory(
            justification="Maritime security training with the partner's navy.",
            status="submitted",
            submitted_at=now,
        )


@pytest.mark.parametrize(
    "path",
    ["/requests/queue/?q=maritime", "/api/v1/requests/?q=maritime", "/partners/?q=partner"],
)
def test_search_query_count_is_the_same_at_1_and_50_matches(
    path: str, django_assert_num_queries: Any
) -> None:
    reviewer = UserFactory(username="search-reviewer", roles=[Role.REVIEWER])
    if path.startswith("/api/"):
        _token, text = api_token_create(
            user=reviewer, name="search", expires_in_days=None, second_factor=True
        )
        client = Client(HTTP_AUTHORIZATION=f"Token {text}")
    else:
        client = Client()
        client.force_login(reviewer)

    def add(count: int) -> None:
        _add_requests(count)
        for number in range(count):
            PartnerFactory(name_en=f"Partner {number} {count}")

    add(1)
    at_one = _count_queries(lambda: client.get(path))
    add(49)
    with django_assert_num_queries(at_one):
        response = client.get(path)
    if path.startswith("/api/"):
        assert len(response.json()["results"]) == 50
    else:
        assert response.content.decode().count("<tr") > 25  # a full page of matches
