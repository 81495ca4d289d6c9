"""The routing table: each workflow event reaches the right people, in their language, and nobody else.

These run the tasks in-process (the test settings' eager Celery); test_worker.py runs them through a
real worker on Redis.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from portal.accounts.models import Role
from portal.core.models import Marking
from portal.notifications.models import Delivery, Event, Notification
from portal.notifications.outbox import event_record
from portal.notifications.registry import ROUTES
from tests.factories import UserFactory
from workprogrammes.requests.discussion_models import Comment
from workprogrammes.requests.models import InclusionRequest, StatusChange

pytestmark = pytest.mark.django_db


def _emit(capture: Any, *, kind: str, target: Any, actor: Any, data: dict | None = None) -> Event:
    with capture(execute=True), transaction.atomic():
        return event_record(kind=kind, target=target, actor=actor, data=data)


def _told(event: Event) -> set[str]:
    return set(Notification.objects.filter(event=event).values_list("recipient__username", flat=True))


# (kind, actor, who receives it); the request has reviewer `desk_reviewer` and watcher `watcher`.
WORKFLOW_CASES: list[tuple[str, str | None, set[str]]] = [
    ("request.submitted", "officer", {"desk_reviewer"}),
    ("request.review_started", "desk_reviewer", {"officer"}),
    ("request.returned", "desk_reviewer", {"officer"}),
    ("request.recommended", "desk_reviewer", {"secretary"}),
    ("request.not_recommended", "desk_reviewer", {"secretary"}),
    ("request.sent_to_council", "desk_reviewer", {"secretary"}),
    ("request.closed_exempt", "desk_reviewer", {"officer", "watcher"}),
    ("request.approved", "secretary", {"officer", "desk_reviewer", "watcher"}),
    ("request.rejected", "secretary", {"officer", "desk_reviewer", "watcher"}),
    ("request.deferred", "secretary", {"officer", "desk_reviewer", "watcher"}),
    ("request.withdrawn", "officer", {"desk_reviewer"}),
    # The new reviewer (the previous one too: tests/workprogrammes/requests/test_reassignment_and_bulk.py).
    ("request.reassigned", "officer", {"desk_reviewer"}),
    ("request.silence_started", "secretary", {"officer", "watcher"}),
    ("request.silence_broken", None, {"secretary", "officer"}),
]
# Kinds with their own tests below (special audiences) or in test_reminders.py.
OTHER_TESTED = {"request.resubmitted", "request.commented"} | {k for k in ROUTES if k.startswith("reminder.")}


def test_every_request_and_reminder_kind_in_the_routing_table_is_tested() -> None:
    ours = {kind for kind in ROUTES if kind.startswith(("request.", "reminder."))}
    assert {case[0] for case in WORKFLOW_CASES} | OTHER_TESTED == ours


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_route_has_a_label_and_a_sentence_that_formats(language: str) -> None:
    from portal.notifications.fan_out import _Params

    params = _Params(actor="Olivia Officer", target="IR-2026-0001")
    with translation.override(language):
        for kind, route in ROUTES.items():
            assert str(route.label), kind
            sentence = str(route.text) % params
            assert "IR-2026-0001" in sentence or "%(target)s" not in str(route.text), kind
            assert route.to, kind


@pytest.mark.parametrize(("kind", "actor", "expected"), WORKFLOW_CASES, ids=[c[0] for c in WORKFLOW_CASES])
def test_workflow_event_reaches_exactly_its_audience(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
    kind: str,
    actor: str | None,
    expected: set[str],
) -> None:
    request = make_request(reviewer=world.desk_reviewer)
    request.watchers.add(world.watcher)
    event = _emit(
        django_capture_on_commit_callbacks,
        kind=kind,
        target=request,
        actor=getattr(world, actor) if actor else None,
    )
    assert _told(event) == expected
    # Everyone told gets one e-mail (the default preference), with the reference in the subject.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"{name}@hq.nato.example" for name in expected)
    assert all(f"[{request.reference}]" in m.subject for m in mail.outbox)
    event.refresh_from_db()
    assert event.published_at is not None and event.processed_at is not None


def test_submitted_goes_to_all_reviewers_when_the_desk_has_none(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    world.desk.members.remove(world.desk_reviewer)
    event = _emit(
        django_capture_on_commit_callbacks,
        kind="request.submitted",
        target=make_request(),
        actor=world.officer,
    )
    assert _told(event) == {"desk_reviewer", "other_reviewer"}


def test_resubmitted_goes_to_the_desk_reviewers_and_the_assigned_reviewer(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = make_request(reviewer=world.other_reviewer)
    event = _emit(
        django_capture_on_commit_callbacks, kind="request.resubmitted", target=request, actor=world.officer
    )
    assert _told(event) == {"desk_reviewer", "other_reviewer"}


def test_withdrawal_after_reaching_the_council_also_tells_the_secretaries(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = make_request(status=InclusionRequest.Status.AWAITING_COUNCIL, reviewer=world.desk_reviewer)
    StatusChange.objects.create(
        request=request,
        from_status="recommended",
        to_status="awaiting_council",
        actor=world.desk_reviewer,
        revision=1,
    )
    event = _emit(
        django_capture_on_commit_callbacks, kind="request.withdrawn", target=request, actor=world.officer
    )
    assert _told(event) == {"desk_reviewer", "secretary"}


def test_shared_comment_reaches_the_participants_except_its_author(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = make_request(reviewer=world.desk_reviewer)
    request.watchers.add(world.watcher)
    Comment.objects.create(request=request, author=world.secretary, body="Earlier remark.")
    comment = Comment.objects.create(request=request, author=world.desk_reviewer, body="Please add dates.")
    event = _emit(
        django_capture_on_commit_callbacks,
        kind="request.commented",
        target=comment,
        actor=world.desk_reviewer,
    )
    assert _told(event) == {"officer", "watcher", "secretary"}


def test_internal_comment_is_not_told_to_the_requesting_officer(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = make_request(reviewer=world.desk_reviewer)
    request.watchers.add(world.watcher)
    Comment.objects.create(request=request, author=world.secretary, body="Earlier remark.")
    comment = Comment.objects.create(
        request=request,
        author=world.desk_reviewer,
        body="Between us.",
        visibility=Comment.Visibility.INTERNAL,
    )
    event = _emit(
        django_capture_on_commit_callbacks,
        kind="request.commented",
        target=comment,
        actor=world.desk_reviewer,
    )
    assert _told(event) == {"secretary"}


def test_nobody_is_told_about_a_request_above_their_clearance(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    cleared = UserFactory(username="cleared", roles=[Role.REVIEWER], clearance=Marking.NATO_SECRET)
    world.desk.members.add(cleared)
    request = make_request(marking=Marking.NATO_CONFIDENTIAL)
    event = _emit(
        django_capture_on_commit_callbacks, kind="request.submitted", target=request, actor=world.officer
    )
    assert _told(event) == {"cleared"}


def test_inactive_users_are_not_told(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    world.officer.is_active = False
    world.officer.save(update_fields=["is_active"])
    event = _emit(
        django_capture_on_commit_callbacks,
        kind="request.returned",
        target=make_request(),
        actor=world.desk_reviewer,
    )
    assert _told(event) == set()
    assert mail.outbox == []


def test_french_speaking_recipient_gets_french_text_and_email(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    world.officer.preferred_language = "fr"
    world.officer.save(update_fields=["preferred_language"])
    request = make_request(reviewer=world.desk_reviewer)
    request.watchers.add(world.watcher)
    _emit(django_capture_on_commit_callbacks, kind="request.approved", target=request, actor=world.secretary)

    french = Notification.objects.get(recipient=world.officer)
    english = Notification.objects.get(recipient=world.watcher)
    assert french.text == f"Le Conseil de l'Atlantique Nord a approuvé {request.reference}."
    assert english.text == f"The North Atlantic Council approved {request.reference}."

    (message,) = [m for m in mail.outbox if m.to == [world.officer.email]]
    assert message.subject == f"[{request.reference}] {french.text}"
    assert message.body.startswith("Bonjour Olivia Officer,")
    assert f"Référence\u00a0: {request.reference}" in message.body
    assert "Statut\u00a0: " in message.body
    html = message.alternatives[0][0]
    assert '<html lang="fr">' in html
    assert "Choisir les courriels que vous recevez" in html
    # The rest of the process keeps its own language.
    assert translation.get_language() == "en"


def test_email_links_to_the_object_and_shows_the_status_in_the_portals_colour(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from portal.core.status import status_style

    settings.SITE_URL = "https://portal.example.nato.int"
    monkeypatch.setattr(
        InclusionRequest, "get_absolute_url", lambda self: f"/requests/{self.pk}/", raising=False
    )
    request = make_request(status=InclusionRequest.Status.RETURNED)
    _emit(
        django_capture_on_commit_callbacks, kind="request.returned", target=request, actor=world.desk_reviewer
    )
    (message,) = mail.outbox
    link = f"https://portal.example.nato.int/requests/{request.pk}/"
    assert link in message.body
    html = message.alternatives[0][0]
    assert f'href="{link}"' in html
    assert status_style("returned").inline_css in html
    assert "Maritime security course" in html  # the title, since the request is NATO UNCLASSIFIED
    assert Notification.objects.get(recipient=world.officer).url == f"/requests/{request.pk}/"


def test_email_leaves_out_the_title_of_a_restricted_request(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    world.officer.clearance = Marking.NATO_SECRET
    world.officer.save(update_fields=["clearance"])
    request = make_request(marking=Marking.NATO_RESTRICTED)
    _emit(
        django_capture_on_commit_callbacks, kind="request.returned", target=request, actor=world.desk_reviewer
    )
    (message,) = mail.outbox
    assert request.reference in message.subject
    assert "Maritime security course" not in message.body
    assert "Maritime security course" not in message.alternatives[0][0]


def test_a_test_only_route_works_for_any_target(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal.notifications.registry import route

    monkeypatch.setitem(
        ROUTES,
        "partner.updated",
        route("Partner updated", "%(target)s was updated.", lambda ctx: [world.watcher]),
    )
    event = _emit(
        django_capture_on_commit_callbacks, kind="partner.updated", target=world.partner, actor=None
    )
    assert Notification.objects.get(event=event).text == "Republic of Korea was updated."
    assert Delivery.objects.get(event=event).status == Delivery.Status.SENT
