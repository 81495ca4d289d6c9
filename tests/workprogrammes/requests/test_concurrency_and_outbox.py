"""On the real PostgreSQL: parallel decisions on one request, and notifications only after a commit."""

import threading
from unittest import mock

import pytest
from django.db import connection, connections, transaction

from portal.accounts.models import Role
from portal.notifications.models import Event
from tests.factories import CatalogueItemFactory, DeskFactory, PartnerFactory, UserFactory
from tests.workprogrammes.request_factories import InclusionRequestFactory
from workprogrammes.council import decision_services as services
from workprogrammes.council.models import CouncilDecision
from workprogrammes.requests.models import InclusionRequest, StatusChange
from workprogrammes.requests.workflow import TransitionNotAllowed

ATTEMPTS = 20


# A decision outside a Council meeting says why.
WRITTEN_PROCEDURE = "Agreed by written procedure before the next meeting."


def _awaiting_council() -> InclusionRequest:
    partner = PartnerFactory()
    requester = UserFactory(roles=[Role.OFFICER])
    return InclusionRequestFactory(
        status="awaiting_council",
        partner=partner,
        desk=DeskFactory(partners=[partner], members=[requester]),
        requested_by=requester,
        catalogue_item=CatalogueItemFactory(),
    )


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_decisions_record_exactly_one() -> None:
    request = _awaiting_council()
    secretaries = [UserFactory(roles=[Role.COUNCIL_SECRETARY]) for _ in range(ATTEMPTS)]
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def decide(secretary) -> None:
        try:
            barrier.wait(timeout=30)
            services.council_decision_record(
                actor=secretary,
                request=request,
                outcome="approved",
                reference="PO(2027)0100",
                reason=WRITTEN_PROCEDURE,
            )
            result = "decided"
        except TransitionNotAllowed:
            result = "refused"
        except Exception as error:  # anything else is a bug the assertion below reports
            result = f"error: {error!r}"
        finally:
            connections.close_all()  # each thread had its own connection
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=decide, args=(s,)) for s in secretaries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["decided"] + ["refused"] * (ATTEMPTS - 1)
    assert CouncilDecision.objects.filter(request=request, is_final=True).count() == 1
    assert StatusChange.objects.filter(request=request, to_status="approved").count() == 1
    assert Event.objects.filter(kind="request.approved", target_id=request.pk).count() == 1
    assert InclusionRequest.objects.get(pk=request.pk).status == "approved"


@pytest.mark.django_db(transaction=True)
def test_failure_after_the_change_queues_no_notification() -> None:
    request = _awaiting_council()
    secretary = UserFactory(roles=[Role.COUNCIL_SECRETARY])
    with mock.patch("portal.notifications.outbox.event_publish") as publish:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.council_decision_record(
                actor=secretary,
                request=request,
                outcome="approved",
                reference="PO(2027)0101",
                reason=WRITTEN_PROCEDURE,
            )
            # Whatever the caller does next fails: the decision and its event must go together.
            raise RuntimeError("the surrounding transaction failed")
        publish.assert_not_called()
    assert not Event.objects.exists()
    assert not CouncilDecision.objects.exists()
    assert not StatusChange.objects.exists()
    assert InclusionRequest.objects.get(pk=request.pk).status == "awaiting_council"


@pytest.mark.django_db(transaction=True)
def test_committed_change_publishes_its_event_once() -> None:
    request = _awaiting_council()
    secretary = UserFactory(roles=[Role.COUNCIL_SECRETARY])
    with mock.patch("portal.notifications.outbox.event_publish") as publish:
        services.council_decision_record(
            actor=secretary,
            request=request,
            outcome="rejected",
            reference="PO(2027)0102",
            reason=WRITTEN_PROCEDURE,
        )
    event = Event.objects.get()
    assert (event.kind, event.target, event.actor) == ("request.rejected", request, secretary)
    assert event.data["reference"] == request.reference
    assert event.data["decision_reference"] == "PO(2027)0102"
    publish.assert_called_once_with(event_id=event.pk)
    assert not connection.in_atomic_block
