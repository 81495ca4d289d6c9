"""The main navigation offers only the sections the user may open."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts.models import User


def _nav_has_reports(client: Client) -> bool:
    html = client.get(reverse("partners:directory")).content.decode()
    return f'href="{reverse("reports:index")}"' in html


@pytest.mark.django_db
def test_viewer_is_not_offered_the_reports_section(viewer_client: Client) -> None:
    assert not _nav_has_reports(viewer_client)


@pytest.mark.django_db
def test_analyst_is_offered_the_reports_section(analyst: User) -> None:
    client = Client()
    client.force_login(analyst)
    assert _nav_has_reports(client)
