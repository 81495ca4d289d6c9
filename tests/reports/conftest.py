"""Fixtures of the reports tests: signed-in clients, and rows for each report."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from portal.accounts.models import User
from tests.factories import (
    CatalogueItemFactory,
    ContributionFactory,
    CooperationAreaFactory,
    OperationFactory,
    ProgrammeActivityFactory,
    WorkProgrammeFactory,
)


@pytest.fixture
def analyst_client(analyst: User) -> Client:
    client = Client()
    client.force_login(analyst)
    return client


@pytest.fixture
def partner_with_activities(partner: Any) -> Callable[..., list[Any]]:
    """`make(n, **fields)`: n activities in Japan's 2009 programme, one day apart."""

    def make(n: int, *, year: int = 2009, **fields: Any) -> list[Any]:
        programme = WorkProgrammeFactory(partner=partner, year=year)
        area = fields.pop("area", None) or CooperationAreaFactory(code="education", name_en="Education")
        item = fields.pop("catalogue_item", None) or CatalogueItemFactory(code=f"ETE-{year}", area=area)
        start = datetime.date(year, 1, 5)
        return [
            ProgrammeActivityFactory(
                programme=programme,
                catalogue_item=item,
                title_en=f"Course {i:03d}",
                title_fr=f"Cours {i:03d}",
                start_date=start + datetime.timedelta(days=i),
                end_date=start + datetime.timedelta(days=i + 2),
                **fields,
            )
            for i in range(n)
        ]

    return make


@pytest.fixture
def contributions(partner: Any) -> Callable[[int], list[Any]]:
    """`make(n)`: n troop contributions of Japan, to n operations."""

    def make(n: int) -> list[Any]:
        return [
            ContributionFactory(
                partner=partner,
                operation=OperationFactory(),
                period_start=datetime.date(2007 + i % 5, 1, 1),
                personnel=100 + i,
            )
            for i in range(n)
        ]

    return make
