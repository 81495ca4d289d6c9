"""The main navigation offers only the sections the user may open."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts.models import Role, User
from tests.factories import UserFactory
from tests.security.otp import force_login_password_only


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


# --- Every role's menus lead only to pages it may open --------------------------------------------

NAV_LINK = re.compile(r'<a href="([^"]+)" class="(?:usa-nav-link|portal-user__link)[^"]*"')
ROLE_FIXTURES = ["viewer", "officer", "reviewer", "secretary", "analyst", "administrator"]


def _menu_links(client: Client) -> list[str]:
    return NAV_LINK.findall(client.get(reverse("home")).content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("role_fixture", ROLE_FIXTURES)
def test_every_menu_link_of_every_role_opens(role_fixture: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(role_fixture)
    client = Client()
    client.force_login(user)
    links = _menu_links(client)
    assert reverse("partners:directory") in links
    refused = {link: client.get(link).status_code for link in links}
    assert all(status == 200 for status in refused.values()), refused


@pytest.mark.django_db
def test_the_viewer_is_offered_neither_the_council_nor_my_requests(viewer_client: Client) -> None:
    links = _menu_links(viewer_client)
    assert reverse("council:meetings") not in links
    assert reverse("requests:list") not in links
    assert reverse("requests:queue") not in links


@pytest.mark.django_db
def test_my_requests_is_offered_to_an_officer_with_a_desk_only(officer: User, other_officer: User) -> None:
    client = Client()
    client.force_login(officer)
    assert reverse("requests:list") in _menu_links(client)
    deskless = UserFactory(username="deskless", roles=[Role.OFFICER])
    client.force_login(deskless)
    assert reverse("requests:list") not in _menu_links(client)


@pytest.mark.django_db
def test_the_calendar_feed_and_the_review_queue_are_in_the_reviewers_menus(reviewer: User) -> None:
    client = Client()
    client.force_login(reviewer)
    links = _menu_links(client)
    assert reverse("reports:calendar") in links
    assert reverse("requests:queue") in links
    assert reverse("council:meetings") not in links


@pytest.mark.django_db
def test_the_council_is_in_the_secretarys_menu(secretary: User) -> None:
    client = Client()
    client.force_login(secretary)
    assert reverse("council:meetings") in _menu_links(client)


@pytest.mark.django_db
def test_no_menu_roles_or_unread_count_before_the_second_factor(reviewer: User) -> None:
    client = Client()
    force_login_password_only(client, reviewer)
    response = client.get(reverse("security:otp-verify"), follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "usa-nav__primary-item" not in html
    assert 'id="notification-bell"' not in html
    assert "portal-user__roles" not in html
    assert _menu_links(client) == []
