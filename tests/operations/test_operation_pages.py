"""Operation list and detail pages: contributing partners and their contributions over time."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ContributionFactory, OperationFactory, PartnerFactory, UserFactory

LIST_URL = reverse("operations:list")


@pytest.fixture
def isaf(db):
    operation = OperationFactory(
        code="isaf",
        acronym_en="ISAF",
        name_en="International Security Assistance Force",
        theatre_en="Afghanistan",
        start_date=datetime.date(2001, 12, 20),
        end_date=datetime.date(2014, 12, 31),
        description_en="NATO-led security mission in Afghanistan.",
    )
    australia = PartnerFactory(iso_code="AU", name_en="Australia")
    new_zealand = PartnerFactory(iso_code="NZ", name_en="New Zealand")
    ContributionFactory(partner=australia, operation=operation, personnel=500)
    ContributionFactory(
        partner=australia, operation=operation, personnel=1550, period_start=datetime.date(2011, 3, 1)
    )
    ContributionFactory(partner=new_zealand, operation=operation, personnel=236)
    return operation


def test_list_shows_each_operation_with_its_number_of_contributing_partners(
    viewer_client: Client, isaf
) -> None:
    OperationFactory(
        code="kfor", acronym_en="KFOR", theatre_en="Kosovo", start_date=datetime.date(1999, 6, 12)
    )

    response = viewer_client.get(LIST_URL)

    assert response.status_code == 200
    html = response.content.decode()
    isaf_row = re.search(r'<a href="/operations/isaf/">ISAF</a>.*?</tr>', html, re.S).group(0)
    assert "International Security Assistance Force" in isaf_row
    assert "Afghanistan" in isaf_row
    assert '<td class="portal-num">2</td>' in isaf_row
    kfor_row = re.search(r'<a href="/operations/kfor/">KFOR</a>.*?</tr>', html, re.S).group(0)
    assert '<td class="portal-num">0</td>' in kfor_row
    assert "ongoing" in kfor_row


def test_list_empty_state_says_what_to_do(viewer_client: Client, db) -> None:
    assert "No operation is recorded yet." in viewer_client.get(LIST_URL).content.decode()


def test_detail_shows_each_contributing_partner_over_time(viewer_client: Client, isaf) -> None:
    response = viewer_client.get(reverse("operations:detail", args=["isaf"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "NATO-led security mission in Afghanistan." in html
    assert '<h3 id="partner-AU"><a href="/partners/AU/">Australia</a></h3>' in html
    assert '<h3 id="partner-NZ"><a href="/partners/NZ/">New Zealand</a></h3>' in html
    australia = html[html.index('id="partner-AU"') : html.index('id="partner-NZ"')]
    assert australia.index(">500<") < australia.index(">1,550<")
    assert ">236<" in html[html.index('id="partner-NZ"') :]


def test_unknown_or_retired_operation_is_not_found(viewer_client: Client, isaf) -> None:
    assert viewer_client.get(reverse("operations:detail", args=["nothing"])).status_code == 404
    isaf.retire()
    assert viewer_client.get(reverse("operations:detail", args=["isaf"])).status_code == 404


def test_user_without_a_role_is_denied(isaf) -> None:
    client = Client()
    client.force_login(UserFactory(username="nobody"))

    assert client.get(LIST_URL).status_code == 403
    assert client.get(reverse("operations:detail", args=["isaf"])).status_code == 403


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_list_query_count_does_not_grow_with_operations(
    viewer_client: Client, db, django_assert_num_queries
) -> None:
    ContributionFactory()
    viewer_client.get(LIST_URL)
    one_row = _queries(viewer_client, LIST_URL)

    for _ in range(49):
        ContributionFactory()

    with django_assert_num_queries(one_row):
        viewer_client.get(LIST_URL)


def test_detail_query_count_does_not_grow_with_contributions(
    viewer_client: Client, db, django_assert_num_queries
) -> None:
    small, large = OperationFactory(code="small"), OperationFactory(code="large")
    ContributionFactory(operation=small)
    partners = [PartnerFactory() for _ in range(10)]
    for number in range(50):
        ContributionFactory(operation=large, partner=partners[number % 10])
    url = reverse("operations:detail", args=["small"])
    viewer_client.get(url)
    one_row = _queries(viewer_client, url)

    with django_assert_num_queries(one_row):
        response = viewer_client.get(reverse("operations:detail", args=["large"]))
    assert response.content.decode().count("<tr>") >= 50
