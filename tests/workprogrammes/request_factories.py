"""Factories for inclusion requests and the council records of the approval workflow."""

import datetime

import factory
from django.utils import timezone

from tests.factories import CatalogueItemFactory, DeskFactory, PartnerFactory, UserFactory
from workprogrammes.council.models import AgendaItem, CouncilMeeting
from workprogrammes.requests.discussion_models import Comment
from workprogrammes.requests.models import InclusionRequest, StatusChange


class InclusionRequestFactory(factory.django.DjangoModelFactory):
    """A draft request for a catalogue item; pass status=... for a request further along (no timeline)."""

    class Meta:
        model = InclusionRequest
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"IR-T-{n:06d}")
    partner = factory.SubFactory(PartnerFactory)
    desk = factory.LazyAttribute(lambda r: DeskFactory(partners=[r.partner]))
    catalogue_item = factory.SubFactory(CatalogueItemFactory)
    title = factory.Sequence(lambda n: f"Exercise Steadfast {n}")
    start_date = datetime.date(2027, 3, 1)
    end_date = datetime.date(2027, 3, 12)
    place = "Oberammergau"
    justification = "Builds interoperability with a partner that contributes to operations."
    mutual_benefit = "The partner shares lessons from its deployments; Allies offer training places."
    requested_by = factory.SubFactory(UserFactory)
    status = "draft"
    submitted_at = factory.LazyAttribute(
        lambda r: None if r.status in ("draft", "withdrawn") else timezone.now()
    )
    needs_council_decision = factory.LazyAttribute(
        lambda r: None if r.status in ("draft", "withdrawn") else r.catalogue_item.needs_council_decision
    )


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusChange

    request = factory.SubFactory(InclusionRequestFactory)
    from_status = "draft"
    to_status = "submitted"
    actor = factory.SubFactory(UserFactory)
    revision = 1


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    request = factory.SubFactory(InclusionRequestFactory)
    author = factory.SubFactory(UserFactory)
    body = "Please confirm the dates with the school."


class CouncilMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMeeting

    date = datetime.date(2027, 1, 20)
    reference = factory.Sequence(lambda n: f"C-M(2027){n:04d}")


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(CouncilMeetingFactory)
    request = factory.SubFactory(InclusionRequestFactory, status="awaiting_council")
    position = factory.Sequence(lambda n: n + 1)
