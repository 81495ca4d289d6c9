"""Fixtures for the inclusion-request workflow: a desk with two officers, and requests in any status."""

from collections.abc import Callable
from typing import Any

import pytest

from portal.accounts.models import Desk, Role, User
from tests.factories import CatalogueItemFactory, UserFactory
from tests.workprogrammes.request_factories import InclusionRequestFactory
from workprogrammes.requests.models import InclusionRequest


@pytest.fixture
def desk(officer: User) -> Desk:
    return officer.desks.get()


@pytest.fixture
def requester(desk: Desk) -> User:
    """The officer who asked for the requests (a colleague of `officer` on the same desk)."""
    user = UserFactory(username="requester", roles=[Role.OFFICER])
    desk.members.add(user)
    return user


@pytest.fixture
def make_request(partner: Any, desk: Desk, requester: User) -> Callable[..., InclusionRequest]:
    """Build a request in any status, by default for a catalogue item that needs a council decision."""

    def make(status: str = "draft", *, exempt: bool = False, **fields: Any) -> InclusionRequest:
        if "catalogue_item" not in fields and "programme_activity" not in fields:
            fields["catalogue_item"] = (
                CatalogueItemFactory(needs_council_decision=False, exemption_reason_en="Courses open to all")
                if exempt
                else CatalogueItemFactory()
            )
        fields.setdefault("partner", partner)
        fields.setdefault("desk", desk)
        fields.setdefault("requested_by", requester)
        return InclusionRequestFactory(status=status, **fields)

    return make
