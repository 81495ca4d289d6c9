"""A request someone may not see is named to them nowhere: the walk of every place that names requests.

The rule is the request page's (workprogrammes.requests.selectors.inclusion_request_visible_to, and
permissions.request_is_visible for one object): a record above one's clearance, or another desk's for an
officer, does not exist for them. Two people who may not see some requests walk every GET route of the
portal (tests/security/routes.py: pages, the API with a session and with a token, exports, the calendar
feed), the admin's request records, and read the notifications and e-mails the workflow sent meanwhile;
the references and titles of the requests hidden from them appear in none of it. A cleared secretary
walking the same places does see them, so the walk looks where the requests are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Role, User
from portal.core.models import Marking
from portal.notifications.models import Notification
from portal.reports.models import CalendarFeed
from tests.api.conftest import token_client
from tests.factories import UserFactory
from tests.security.routes import URLS
from tests.security.world import World, build_world
from tests.workprogrammes.request_factories import (
    AgendaItemFactory,
    CouncilMeetingFactory,
    InclusionRequestFactory,
)
from workprogrammes.council import decision_services, silence_services
from workprogrammes.requests import services
from workprogrammes.requests.models import InclusionRequest
from workprogrammes.workflow_steps import RequestStep, request_step

pytestmark = pytest.mark.django_db

RESTRICTED = Marking.NATO_RESTRICTED


@dataclass
class Scene:
    world: World
    restricted: list[InclusionRequest]  # the partner JP's, marked NATO RESTRICTED
    desk_only: list[InclusionRequest]  # the partner JP's, unclassified
    low_secretary: User  # every desk, cleared to NATO UNCLASSIFIED
    other_officer: User  # the other desk (CL), cleared to NATO SECRET
    low_superuser: User  # the admin site, cleared to NATO UNCLASSIFIED
    cleared_secretary: User
    cleared_watcher: User

    def hidden_from(self, user: User) -> list[InclusionRequest]:
        if user == self.other_officer:
            return [*self.restricted, *self.desk_only]
        return self.restricted


def _words(request: InclusionRequest) -> list[str]:
    """What would give a request away: its reference and its own title."""
    return [request.reference, *([request.title] if request.title else [])]


@pytest.fixture
def scene(django_capture_on_commit_callbacks: Any) -> Scene:
    world = build_world()
    partner, desk, officer = world.partner, world.request.desk, world.users["officer"]
    other_officer = world.users["other_officer"]
    other_officer.clearance = Marking.NATO_SECRET
    other_officer.save(update_fields=["clearance"])
    cleared_secretary = UserFactory(
        username="cleared_secretary", roles=[Role.COUNCIL_SECRETARY], clearance=Marking.NATO_SECRET
    )
    cleared_reviewer = UserFactory(
        username="cleared_reviewer", roles=[Role.REVIEWER], clearance=Marking.NATO_SECRET
    )
    cleared_watcher = UserFactory(
        username="cleared_watcher", roles=[Role.VIEWER], clearance=Marking.NATO_SECRET
    )
    low_secretary = UserFactory(username="low_secretary", roles=[Role.COUNCIL_SECRETARY])
    low_superuser = UserFactory(username="low_superuser", is_superuser=True, is_staff=True)

    def restricted(number: int, status: str, **fields: Any) -> InclusionRequest:
        fields.setdefault("title", f"Hidden Lantern {number}")
        return InclusionRequestFactory(
            reference=f"IR-2026-99{number:02d}",
            partner=partner,
            desk=desk,
            requested_by=officer,
            submitted_by=officer,
            status=status,
            marking=RESTRICTED,
            **fields,
        )

    today = timezone.localdate()
    meeting = CouncilMeetingFactory(date=today, reference="C-M(2026)0901")
    on_agenda = restricted(1, "awaiting_council")
    AgendaItemFactory(meeting=meeting, request=on_agenda, position=1)
    to_silence = restricted(2, "awaiting_council")
    silence_item = AgendaItemFactory(meeting=meeting, request=to_silence, position=2)
    to_decide = restricted(3, "awaiting_council")
    AgendaItemFactory(meeting=meeting, request=to_decide, position=3)
    recommended = restricted(4, "recommended")
    in_review = restricted(5, "submitted")
    on_activity = restricted(
        6,
        "submitted",
        programme_activity=world.activity,
        catalogue_item=None,
        title="",
        needs_council_decision=True,
    )
    # Unclassified, of the partner JP: the other desk's officer may not see them (activity page included).
    desk_activity = InclusionRequestFactory(
        reference="IR-2026-9950",
        partner=partner,
        desk=desk,
        requested_by=officer,
        status="submitted",
        programme_activity=world.activity,
        catalogue_item=None,
        title="",
        needs_council_decision=True,
    )
    desk_titled = InclusionRequestFactory(
        reference="IR-2026-9951", partner=partner, desk=desk, requested_by=officer, title="Desk Lantern"
    )
    scene_requests = [on_agenda, to_silence, to_decide, recommended, in_review, on_activity]
    for request in [*scene_requests, desk_activity]:
        # Watching a request is no way to see it.
        request.watchers.add(low_secretary, other_officer, cleared_watcher)

    # The workflow runs meanwhile: events to role audiences (secretaries, desk reviewers) and to watchers.
    with django_capture_on_commit_callbacks(execute=True):
        request_step(request=recommended, step=RequestStep(actor=cleared_secretary, action="send_to_council"))
        request_step(request=in_review, step=RequestStep(actor=cleared_reviewer, action="start_review"))
        services.comment_add(actor=cleared_reviewer, request=in_review, body="Checked with the school.")
        silence_services.silence_start(
            actor=cleared_secretary,
            items=[silence_item],
            deadline=timezone.now() + datetime.timedelta(days=2),
        )
        decision_services.council_decision_record(
            actor=cleared_secretary,
            request=to_decide,
            outcome="approved",
            reference="PO(2026)0901",
            meeting=meeting,
        )
        request_step(request=desk_activity, step=RequestStep(actor=cleared_reviewer, action="start_review"))
    return Scene(
        world=world,
        restricted=scene_requests,
        desk_only=[world.request, world.agenda_item.request, desk_activity, desk_titled],
        low_secretary=low_secretary,
        other_officer=other_officer,
        low_superuser=low_superuser,
        cleared_secretary=cleared_secretary,
        cleared_watcher=cleared_watcher,
    )


# Routes whose response is not text to read (files of other kinds), and logout (it ends the session).
SKIPPED = {
    "logout",
    "reports:partner-pdf",
    "reports:programme-pdf",
    "api:attachment-download",
    "requests:attachment",
}


@dataclass
class Answer:
    url: str
    status: int
    body: str

    def names(self, word: str) -> bool:
        """Whether the answer gives the word away. An address that itself names a request (a detail page
        asked for by reference) must be refused, and its 404 page may repeat the address it was asked."""
        if word in self.url:
            return self.status not in (302, 403, 404, 405)
        return word in self.body


def _answer(client: Client, url: str) -> Answer:
    with transaction.atomic():
        response = client.get(url, follow=False)
        streamed = hasattr(response, "streaming_content")
        content = b"".join(response.streaming_content) if streamed else response.content
        transaction.set_rollback(True)
    assert response.status_code < 500, f"{url} answered {response.status_code}"
    return Answer(url=url, status=response.status_code, body=content.decode("utf-8", errors="replace"))


def _body(client: Client, url: str) -> str:
    return _answer(client, url).body


def _places(scene: Scene, user: User) -> dict[str, Answer]:
    """Every GET route with the user's session, the API ones with a token too, the admin's request records,
    the user's calendar feed: what each answered."""
    session = Client()
    session.force_login(user)
    token = token_client(user)
    bodies: dict[str, Answer] = {}
    for name, url_for in URLS.items():
        if name in SKIPPED:
            continue
        url = url_for(scene.world)
        bodies[f"{name} (session)"] = _answer(session, url)
        if name.startswith("api:"):
            bodies[f"{name} (token)"] = _answer(token, url)
    feed = CalendarFeed.objects.create(user=user)
    bodies["calendar feed"] = _answer(Client(), reverse("calendar-feed", kwargs={"token": feed.token}))
    for model in ("inclusionrequest", "agendaitem", "councildecision", "statuschange", "comment"):
        bodies[f"admin {model}"] = _answer(session, reverse(f"admin:workprogrammes_{model}_changelist"))
    for item_url in (
        reverse("council:meeting", args=[_meeting(scene).pk]),
        reverse("council:agenda", args=[_meeting(scene).pk]),
        reverse("council:sheet", args=[_meeting(scene).pk]),
        reverse("council:silence", args=[_meeting(scene).pk]),
        f"/api/v1/council/meetings/{_meeting(scene).pk}/",
        "/api/v1/council/agenda-candidates/",
        "/api/v1/requests/?q=Lantern",
        reverse("requests:list") + "?q=Lantern",
        reverse("requests:queue") + "?status=submitted&status=under_review&status=awaiting_council",
    ):
        bodies[f"{item_url} (session)"] = _answer(session, item_url)
        if item_url.startswith("/api/"):
            bodies[f"{item_url} (token)"] = _answer(token, item_url)
    return bodies


def _meeting(scene: Scene) -> Any:
    return scene.restricted[0].agenda_items.get().meeting


@pytest.mark.parametrize("looker", ["low_secretary", "other_officer", "low_superuser"])
def test_no_page_api_export_or_feed_names_a_request_the_user_may_not_see(scene: Scene, looker: str) -> None:
    user: User = getattr(scene, looker)
    hidden = [word for request in scene.hidden_from(user) for word in _words(request)]
    leaks = [
        f"{place}: {word}"
        for place, answer in _places(scene, user).items()
        for word in hidden
        if answer.names(word)
    ]
    assert not leaks, "\n".join(leaks)


def test_a_cleared_secretary_finds_them_where_the_walk_looks(scene: Scene) -> None:
    """The walk is not blind: the same places show the requests to someone who may see them."""
    bodies = _places(scene, scene.cleared_secretary)
    on_agenda, on_activity = scene.restricted[0], scene.restricted[5]
    meeting_places = [place for place, answer in bodies.items() if on_agenda.reference in answer.body]
    assert any(place.startswith("/council/meetings/") for place in meeting_places), meeting_places
    assert any(place.startswith("/api/v1/council/meetings/") for place in meeting_places), meeting_places
    assert on_activity.reference in bodies["programmes:activity_detail (session)"].body
    cleared_superuser = Client()
    cleared_superuser.force_login(
        UserFactory(username="cleared_root", is_superuser=True, is_staff=True, clearance=Marking.NATO_SECRET)
    )
    admin_list = _body(cleared_superuser, reverse("admin:workprogrammes_inclusionrequest_changelist"))
    assert on_activity.reference in admin_list


def test_the_other_desks_officer_sees_no_request_of_the_activity_the_desk_sees_its_own(scene: Scene) -> None:
    """Item 4: the activity page lists only the requests the reader may open (pages and API alike)."""
    activity_url = reverse("programmes:activity_detail", args=[scene.world.activity.pk])
    desk_activity = scene.desk_only[2]
    outsider, insider = Client(), Client()
    outsider.force_login(scene.other_officer)
    insider.force_login(scene.world.users["officer"])
    assert desk_activity.reference not in _body(outsider, activity_url)
    assert outsider.get(reverse("requests:detail", args=[desk_activity.reference])).status_code == 404
    assert desk_activity.reference in _body(insider, activity_url)


def test_no_notification_or_email_names_a_request_the_recipient_may_not_see(scene: Scene) -> None:
    for user in (scene.low_secretary, scene.other_officer):
        hidden = [word for request in scene.hidden_from(user) for word in _words(request)]
        texts = [f"{n.text} {n.url}" for n in Notification.objects.filter(recipient=user)]
        emails = [
            " ".join(
                [message.subject, message.body, *(str(a[0]) for a in getattr(message, "alternatives", []))]
            )
            for message in mail.outbox
            if user.email in message.to
        ]
        leaks = [word for text in [*texts, *emails] for word in hidden if word in text]
        assert not leaks, (user.username, leaks)
    # The workflow did tell those who may see: the watcher cleared for them, by notification and e-mail.
    told = " ".join(
        Notification.objects.filter(recipient=scene.cleared_watcher).values_list("text", flat=True)
    )
    assert scene.restricted[2].reference in told  # the decision
    assert scene.restricted[1].reference in told  # the silence procedure
    assert any(scene.cleared_watcher.email in message.to for message in mail.outbox)
