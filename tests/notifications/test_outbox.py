"""The outbox: an event is written with the state change and published only once that commits."""

import pytest
from django.db import transaction

from portal.notifications.models import Event
from portal.notifications.services import event_record
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
