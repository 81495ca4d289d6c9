"""The notification pages: list with filters, marking read, the bell, preferences, delegation."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Delegation, User
from portal.notifications.models import Event, Notification, NotificationMode, NotificationPreference
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _notify(
    user: User, count: int = 1, *, kind: str = "request.returned", read: bool = False, **extra: Any
) -> None:
    partner = PartnerFactory()
    for n in range(count):
        event = Event.objects.create(
            kind=kind, target_type=ContentType.objects.get_for_model(partner), target_id=partner.pk
        )
        Notification.objects.create(
            recipient=user,
            event=event,
            kind=kind,
            text=f"{kind} number {n}",
            url=f"/partners/{partner.pk}/",
            read_at=timezone.now() if read else None,
            **extra,
        )


@pytest.fixture
def user() -> User:
    return UserFactory(username="reader")


@pytest.fixture
def reader(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Every signed-in page: the session and the user, read with their roles, desks and delegations in one
# query (portal/accounts/backends.py; the session is written at most once a minute, and signing in has
# just written it).
SIGNED_IN_PAGE = 2
# The notifications page: the count for pagination, the rows, the unread count, the bell's count.
NOTIFICATION_LIST = 4


@pytest.mark.parametrize("rows", [1, 50])
def test_list_shows_the_users_notifications_in_constant_queries(
    reader: Client, user: User, rows: int, django_assert_num_queries: Any
) -> None:
    _notify(user, rows, on_behalf_of=UserFactory(username="principal"))
    _notify(UserFactory(), 3)  # someone else's
    with django_assert_num_queries(SIGNED_IN_PAGE + NOTIFICATION_LIST):
        response = reader.get(reverse("notifications:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("data-notification=") == rows
    assert "on behalf of" in page
    assert f'data-unread="{rows}"' in page  # the bell in the header


def test_list_filters_by_read_state_and_kind(reader: Client, user: User) -> None:
    _notify(user, 2, kind="request.returned")
    _notify(user, 1, kind="request.approved", read=True)
    page = reader.get(reverse("notifications:list"), {"state": "unread"}).content.decode()
    assert page.count("data-notification=") == 2
    page = reader.get(reverse("notifications:list"), {"kind": "request.approved"}).content.decode()
    assert page.count("data-notification=") == 1
    page = reader.get(
        reverse("notifications:list"), {"state": "read", "kind": "request.returned"}
    ).content.decode()
    assert page.count("data-notification=") == 0
    assert "No notification matches these filters." in page


def test_unknown_filter_values_are_ignored_not_an_error(reader: Client, user: User) -> None:
    _notify(user, 2)
    response = reader.get(reverse("notifications:list"), {"state": "sideways", "kind": "nope"})
    assert response.status_code == 200


def test_each_notification_links_to_its_object(reader: Client, user: User) -> None:
    _notify(user)
    notification = Notification.objects.get()
    assert f'href="{notification.url}"' in reader.get(reverse("notifications:list")).content.decode()


def test_mark_one_read_and_mark_all_read(reader: Client, user: User) -> None:
    _notify(user, 3)
    first = Notification.objects.filter(recipient=user).first()
    assert first is not None
    response = reader.post(
        reverse("notifications:read", args=[first.pk]), {"next": "/notifications/?state=unread"}
    )
    assert response.status_code == 302 and response.url == "/notifications/?state=unread"
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 2
    reader.post(reverse("notifications:read-all"))
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()


def test_marking_read_is_a_post_and_only_for_ones_own(reader: Client, user: User) -> None:
    other = UserFactory()
    _notify(other)
    theirs = Notification.objects.get()
    assert reader.get(reverse("notifications:read", args=[theirs.pk])).status_code == 405
    reader.post(reverse("notifications:read", args=[theirs.pk]))
    reader.post(reverse("notifications:read-all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_does_not_redirect_off_site(reader: Client, user: User) -> None:
    _notify(user)
    response = reader.post(reverse("notifications:read-all"), {"next": "https://evil.example/"})
    assert response.url == reverse("notifications:list")


def test_every_page_has_the_bell_which_works_without_javascript(reader: Client, user: User) -> None:
    _notify(user, 2)
    page = reader.get(reverse("notifications:preferences")).content.decode()
    bell = page[page.index('id="notification-bell"') :]
    bell = bell[: bell.index("</div>")]
    assert f'href="{reverse("notifications:list")}"' in bell
    assert 'data-unread="2"' in bell


def test_bell_shows_the_unread_count_and_links_to_the_list(reader: Client, user: User) -> None:
    _notify(user, 4)
    _notify(user, 2, read=True)
    bell = reader.get(reverse("notifications:bell")).content.decode()
    assert 'data-unread="4"' in bell
    assert f'href="{reverse("notifications:list")}"' in bell
    assert 'hx-trigger="every 60s"' in bell


def test_preferences_page_saves_a_mode_per_kind(reader: Client, user: User) -> None:
    page = reader.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    assert 'name="request.approved"' in page.content.decode()
    response = reader.post(
        reverse("notifications:preferences"),
        {"request.approved": NotificationMode.OFF, "request.returned": NotificationMode.DIGEST},
    )
    assert response.status_code == 302
    saved = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "mode"))
    assert saved == {"request.approved": NotificationMode.OFF, "request.returned": NotificationMode.DIGEST}
    # Back to immediately: the row goes.
    reader.post(reverse("notifications:preferences"), {"request.approved": NotificationMode.IMMEDIATELY})
    assert not NotificationPreference.objects.filter(user=user, kind="request.approved").exists()


def test_preferences_with_an_unknown_mode_are_refused_with_a_message(reader: Client, user: User) -> None:
    response = reader.post(reverse("notifications:preferences"), {"request.approved": "hourly"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_delegation_page_names_a_delegate_and_ends_it_early(reader: Client, user: User) -> None:
    colleague = UserFactory(username="colleague", first_name="Carla", last_name="Colleague")
    today = timezone.localdate()
    response = reader.post(
        reverse("notifications:delegation"),
        {
            "delegate": colleague.pk,
            "start_date": today.isoformat(),
            "end_date": (today + datetime.timedelta(days=5)).isoformat(),
            "reason": "Leave",
        },
    )
    assert response.status_code == 302
    delegation = Delegation.objects.get(principal=user, delegate=colleague)
    page = reader.get(reverse("notifications:delegation")).content.decode()
    assert "Carla Colleague" in page and "Active" in page
    reader.post(reverse("notifications:delegation-end", args=[delegation.pk]))
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None


def test_delegation_form_errors_keep_what_was_typed(reader: Client, user: User) -> None:
    colleague = UserFactory(username="colleague")
    today = timezone.localdate()
    response = reader.post(
        reverse("notifications:delegation"),
        {
            "delegate": colleague.pk,
            "start_date": (today + datetime.timedelta(days=5)).isoformat(),
            "end_date": today.isoformat(),
            "reason": "Conference in Brussels",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The end date must be on or after the start date." in page
    assert 'value="Conference in Brussels"' in page
    assert not Delegation.objects.exists()


def test_nobody_can_end_someone_elses_delegation(reader: Client, world: SimpleNamespace) -> None:
    today = timezone.localdate()
    theirs = Delegation.objects.create(
        principal=world.officer, delegate=world.watcher, start_date=today, end_date=today
    )
    assert reader.post(reverse("notifications:delegation-end", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
