"""The API lists' fast output (portal.api.serializers.FastRepresentationMixin) is DRF's, field for field."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone, translation
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from portal.api.serializers import FastOutputMixin, FastRepresentationMixin
from tests.factories import CatalogueItemFactory, ProgrammeActivityFactory, UserFactory
from tests.workprogrammes.request_factories import InclusionRequestFactory
from workprogrammes.programmes.api.list_rows import activity_list_output, activity_list_rows
from workprogrammes.programmes.api.serializers import ActivitySerializer
from workprogrammes.programmes.models import ProgrammeActivity
from workprogrammes.requests.api.list_rows import request_list_output, request_list_rows
from workprogrammes.requests.api.serializers import InclusionRequestSerializer, StatusChangeSerializer
from workprogrammes.requests.models import InclusionRequest

pytestmark = pytest.mark.django_db


def _drf_output(serializer_class: type[serializers.Serializer], rows: list[Any]) -> Any:
    """What DRF writes for these rows (every serializer, nested ones too, through DRF's own code)."""
    fast = FastOutputMixin.to_representation
    FastOutputMixin.to_representation = serializers.Serializer.to_representation  # type: ignore[method-assign]
    try:
        return serializer_class(rows, many=True).data
    finally:
        FastOutputMixin.to_representation = fast  # type: ignore[method-assign]


@pytest.fixture
def rows(db: Any) -> tuple[list[ProgrammeActivity], list[InclusionRequest]]:
    exempt = CatalogueItemFactory(
        title_en="Open seminar", title_fr="", needs_council_decision=False, exemption_reason_en="Open to all"
    )
    activities = [
        ProgrammeActivityFactory(title_en="Maritime security course", title_fr="Cours de sécurité maritime"),
        ProgrammeActivityFactory(title_en="Staff talks", title_fr="", catalogue_item=None),
        ProgrammeActivityFactory(catalogue_item=exempt, status=ProgrammeActivity.Status.CANCELLED),
    ]
    now = timezone.now()
    reviewer = UserFactory(first_name="", last_name="")
    requests = [
        InclusionRequestFactory(),
        InclusionRequestFactory(
            status="under_review",
            submitted_at=now,
            due_at=now + datetime.timedelta(days=10),
            reviewer=reviewer,
        ),
        InclusionRequestFactory(
            catalogue_item=None,
            programme_activity=activities[0],
            partner=activities[0].programme.partner,
            title="",
            start_date=None,
            end_date=None,
            place="",
            status="approved",
            submitted_at=now,
            decided_at=now,
            needs_council_decision=True,
            marking=20,
        ),
    ]
    return (
        list(ProgrammeActivity.objects.filter(pk__in=[a.pk for a in activities]).order_by("pk")),
        list(InclusionRequest.objects.filter(pk__in=[r.pk for r in requests]).order_by("pk")),
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_activity_and_request_lists_write_what_drf_writes(rows: Any, language: str) -> None:
    activities, requests = rows
    with translation.override(language):
        for serializer_class, objects in (
            (ActivitySerializer, activities),
            (InclusionRequestSerializer, requests),
        ):
            fast = serializer_class(objects, many=True).data
            assert fast == _drf_output(serializer_class, objects)
            assert fast[0].keys() == serializer_class().fields.keys()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_activity_and_request_lists_from_plain_rows_write_what_drf_writes(rows: Any, language: str) -> None:
    """The API lists' values() rows (programmes/api/list_rows.py, requests/api/list_rows.py) give the same
    JSON, byte for byte, as DRF writes from the instances; titles missing in one language fall back."""
    activities, requests = rows
    render = JSONRenderer().render
    with translation.override(language):
        plain = activity_list_output(
            list(
                activity_list_rows(
                    ProgrammeActivity.objects.filter(pk__in=[a.pk for a in activities])
                ).order_by("pk")
            )
        )
        assert render(plain) == render(_drf_output(ActivitySerializer, activities))
        plain = request_list_output(
            list(
                request_list_rows(InclusionRequest.objects.filter(pk__in=[r.pk for r in requests])).order_by(
                    "pk"
                )
            )
        )
        assert render(plain) == render(_drf_output(InclusionRequestSerializer, requests))


def test_a_serializer_with_a_list_of_nested_rows_keeps_drfs_output(db: Any) -> None:
    class WithTimeline(FastRepresentationMixin, serializers.ModelSerializer):
        timeline = StatusChangeSerializer(many=True, source="status_changes")

        class Meta:
            model = InclusionRequest
            fields = ["id", "timeline"]

    assert WithTimeline()._plan() is None


@pytest.mark.parametrize("language", ["en", "fr"])
def test_reference_lists_write_what_drf_writes(db: Any, language: str) -> None:
    """Partners (with their region, framework and list of areas), the catalogue, programmes, operations and
    contributions, as their list views read them; names missing in one language fall back as DRF's do."""
    from operations.api.list_rows import (
        contribution_list_output,
        contribution_list_rows,
        operation_list_output,
        operation_list_rows,
    )
    from operations.api.serializers import ContributionSerializer, OperationSerializer
    from operations.selectors import contribution_list, operation_list
    from partners.api.serializers import PartnerSerializer
    from partners.selectors import partner_directory
    from profiles.api.list_rows import partner_list_output, partner_list_rows
    from tests.factories import (
        ContributionFactory,
        CooperationAreaFactory,
        FundingContributionFactory,
        OperationFactory,
        PartnerFactory,
        WorkProgrammeFactory,
    )
    from workprogrammes.catalogue.api.list_rows import catalogue_list_output, catalogue_list_rows
    from workprogrammes.catalogue.api.serializers import CatalogueItemSerializer
    from workprogrammes.catalogue.selectors import catalogue_item_list
    from workprogrammes.models import CatalogueItem
    from workprogrammes.programmes.api.list_rows import programme_list_output, programme_list_rows
    from workprogrammes.programmes.api.serializers import ProgrammeSerializer
    from workprogrammes.programmes.selectors import programme_list

    areas = [CooperationAreaFactory(), CooperationAreaFactory(name_fr="")]
    english_only = PartnerFactory(name_fr="", dialogue_since=2004)
    english_only.areas.set(areas)
    PartnerFactory(name_en="", status="former")
    operation = OperationFactory(name_fr="", theatre_fr="Afghanistan (FR)")
    ContributionFactory(partner=english_only, operation=operation, description_en="Troops")
    FundingContributionFactory(partner=english_only)
    CatalogueItemFactory(title_fr="", area=areas[1])
    CatalogueItemFactory(description_en="", fee_eur="1250.5", languages=["en", "fr"], duration_days=5)
    WorkProgrammeFactory(partner=english_only)
    WorkProgrammeFactory(
        partner=english_only, year=2019, status="agreed", agreed_on=datetime.date(2019, 3, 1)
    )
    superuser = UserFactory(is_superuser=True, clearance=40)
    with translation.override(language):
        for serializer_class, objects in (
            (PartnerSerializer, list(partner_directory())),
            (CatalogueItemSerializer, list(CatalogueItem.objects.select_related("area").order_by("pk"))),
            (ProgrammeSerializer, list(programme_list(user=superuser))),
            (OperationSerializer, list(operation_list())),
            (ContributionSerializer, list(contribution_list())),
        ):
            assert serializer_class()._plan() is not None, serializer_class
            fast = serializer_class(objects, many=True).data
            assert fast == _drf_output(serializer_class, objects), serializer_class
            assert len(fast) >= 1
        # The lists' values() rows (profiles/, operations/ and catalogue/ api/list_rows.py): the same
        # JSON, byte for byte, as DRF writes from the instances.
        render = JSONRenderer().render
        partners = list(partner_directory())
        plain = partner_list_output(list(partner_list_rows(partner_directory())))
        assert render(plain) == render(_drf_output(PartnerSerializer, partners))
        assert any(row["areas"] for row in plain)
        items = catalogue_item_list(user=superuser)
        plain = catalogue_list_output(list(catalogue_list_rows(items)))
        assert render(plain) == render(_drf_output(CatalogueItemSerializer, list(items)))
        assert any(row["fee_eur"] is not None for row in plain)
        plain = operation_list_output(list(operation_list_rows(operation_list())))
        assert render(plain) == render(_drf_output(OperationSerializer, list(operation_list())))
        plain = contribution_list_output(list(contribution_list_rows(contribution_list())))
        assert render(plain) == render(_drf_output(ContributionSerializer, list(contribution_list())))
        assert any(row["amount"] is not None for row in plain)
        programmes = programme_list(user=superuser)
        plain = programme_list_output(list(programme_list_rows(programmes)))
        assert render(plain) == render(_drf_output(ProgrammeSerializer, list(programmes)))
