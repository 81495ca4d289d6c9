"""The outbox: an event is written with the state change and published only once that commits."""

import datetime

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from portal.notifications.models import Event
from portal.notifications.services import event_record, outbox_sweep
from tests.factories import PartnerFactory


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("flushable_db")
def test_event_is_written_in_the_callers_transaction_and_rolled_back_with_it() -> None:
    partner = PartnerFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        event_record(kind="request.submitted", target=partner, actor=None)
        raise RuntimeError("the state change failed")
    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("flushable_db")
def test_event_is_published_after_commit() -> None:
    partner = PartnerFactory()
    with transaction.atomic():
        event = event_record(kind="request.submitted", target=partner, actor=None, data={"note": "x"})
        assert Event.objects.get(pk=event.pk).published_at is None
    event.refresh_from_db()
    assert event.published_at is not None
    assert event.target == partner
    assert event.data == {"note": "x"}


@pytest.mark.django_db
def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown event kind"):
        event_record(kind="request.teleported", target=PartnerFactory(), actor=None)


@pytest.mark.django_db
def test_sweep_publishes_events_left_unpublished_but_not_ones_just_committed() -> None:
    partner = PartnerFactory()
    kwargs = {"kind": "request.submitted", "target_type": ContentType.objects.get_for_model(partner)}
    left = Event.objects.create(target_id=partner.pk, **kwargs)
    just_now = Event.objects.create(target_id=partner.pk, **kwargs)
    Event.objects.filter(pk=left.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=3))

    assert outbox_sweep() == 1
    left.refresh_from_db()
    just_now.refresh_from_db()
    assert left.published_at is not None and left.processed_at is not None
    assert just_now.published_at is None  # its own commit's fast path is still on its way
    assert outbox_sweep() == 0


@pytest.mark.django_db
def test_sweep_republishes_an_event_the_broker_lost() -> None:
    partner = PartnerFactory()
    lost = Event.objects.create(
        kind="request.submitted",
        target_type=ContentType.objects.get_for_model(partner),
        target_id=partner.pk,
        published_at=timezone.now(),
    )
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    # Not while the broker could still hand the message out again.
    assert outbox_sweep(now=timezone.now() + datetime.timedelta(seconds=visibility)) == 0
    assert outbox_sweep(now=timezone.now() + datetime.timedelta(seconds=visibility + 20 * 60)) == 1
    lost.refresh_from_db()
    assert lost.processed_at is not None
