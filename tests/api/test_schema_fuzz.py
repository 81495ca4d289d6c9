"""Schemathesis generates requests for every operation of the OpenAPI schema and checks the answers.

For each of several roles (each with its own personal API token), every operation is called with
generated parameters and bodies, both random and aimed at objects that exist, and each response must:
not be a 5xx; have a status code, content type, headers and body that the schema documents.

The schema is generated in-process from the URLconf (the same one `/api/schema/` serves); requests go
through the WSGI application, inside the test's database transaction. Generation is derandomized so a
failure reproduces, and examples per operation are tuned to keep the whole run short.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
import schemathesis.checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings

from operations.models import Contribution
from portal.accounts.models import Role, User
from portal.api.services import api_token_create
from portal.reports.models import ExportJob
from tests.factories import (
    CatalogueItemFactory,
    ContributionFactory,
    DialogueMeetingFactory,
    LiaisonArrangementFactory,
    MilestoneFactory,
    OperationFactory,
    ProgrammeActivityFactory,
    UserFactory,
    WorkProgrammeFactory,
)
from tests.workprogrammes.request_factories import (
    AgendaItemFactory,
    CommentFactory,
    CouncilMeetingFactory,
    InclusionRequestFactory,
)
from workprogrammes.requests.services import attachment_add

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]

# Examples per operation and strategy; reads are cheap, writes change state and need fewer.
EXAMPLES_READ = 3
EXAMPLES_WRITE = 2


def _generated_schema() -> dict[str, Any]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(schema, cls=DjangoJSONEncoder))


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    # Like Django's test client: keep the test's connection (and its transaction) across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with override_settings(API_THROTTLE_RATE="1000000/hour"):
            yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(partner: Any, officer: User) -> dict[str, dict[str, Any]]:
    """Objects that exist, so generated requests also reach them; path parameters by path prefix."""
    operation = OperationFactory(code="isaf")
    ContributionFactory(partner=partner, operation=operation)
    MilestoneFactory(partner=partner)
    DialogueMeetingFactory(partner=partner)
    LiaisonArrangementFactory(partner=partner, operation=operation)
    programme = WorkProgrammeFactory(partner=partner, year=2009)
    activity = ProgrammeActivityFactory(programme=programme)
    item = CatalogueItemFactory()
    desk = officer.desks.get()
    inclusion_request = InclusionRequestFactory(
        partner=partner, desk=desk, requested_by=officer, status="submitted"
    )
    CommentFactory(request=inclusion_request, author=officer)
    attachment = attachment_add(
        actor=officer, request=inclusion_request, upload=SimpleUploadedFile("agenda.pdf", PDF)
    )
    meeting = CouncilMeetingFactory(date=datetime.date(2030, 1, 20))
    agenda_item = AgendaItemFactory(
        meeting=meeting,
        request=InclusionRequestFactory(
            partner=partner, desk=desk, requested_by=officer, status="awaiting_council"
        ),
        position=1,
    )
    milestone = MilestoneFactory(partner=partner)
    export_job = ExportJob.objects.create(user=officer, report="contributions", format="csv")
    return {
        # Most specific first: the first prefix that matches gives the parameters.
        "/api/v1/partners/{iso_code}/milestones/{id}/": {"iso_code": partner.iso_code, "id": milestone.pk},
        "/api/v1/partners/{iso_code}/contributions/{id}/": {
            "iso_code": partner.iso_code,
            "id": Contribution.objects.filter(partner=partner).values_list("pk", flat=True).first(),
        },
        "/api/v1/partners/{iso_code}/": {"iso_code": partner.iso_code},
        "/api/v1/reports/{slug}/": {"slug": "contributions"},
        "/api/v1/exports/{id}/": {"id": export_job.pk},
        "/api/v1/operations/{code}/": {"code": operation.code},
        "/api/v1/catalogue/{id}/": {"id": item.pk},
        "/api/v1/programmes/{id}/": {"id": programme.pk},
        "/api/v1/activities/{id}/": {"id": activity.pk},
        "/api/v1/requests/{id}/": {"id": inclusion_request.pk},
        "/api/v1/attachments/{id}/": {"id": attachment.pk},
        "/api/v1/council/meetings/{id}/": {"id": meeting.pk},
        "/api/v1/council/agenda-items/{id}/": {"id": agenda_item.pk},
    }


def _known_parameters(seeded: dict[str, dict[str, Any]], path: str) -> dict[str, Any] | None:
    for prefix, parameters in seeded.items():
        if path.startswith(prefix):
            return parameters
    return None


ROLE_FIXTURES = {
    Role.VIEWER: "viewer",
    Role.OFFICER: "officer",
    Role.REVIEWER: "reviewer",
    Role.COUNCIL_SECRETARY: "secretary",
    Role.ANALYST: "analyst",
    Role.ADMINISTRATOR: "administrator",
}


def _run_operation(operation: Any, strategy: Any, examples: int, call: Any) -> str | None:
    """Run the generated cases of one strategy; the first failure as text, or None."""

    @hypothesis_settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        call(case)

    try:
        run()
    except Exception as exc:
        return f"{operation.method.upper()} {operation.path}: {exc}"
    return None


@pytest.mark.parametrize("role", list(ROLE_FIXTURES))
def test_every_operation_answers_within_the_schema(
    role: str, request: pytest.FixtureRequest, seeded: dict[str, dict[str, Any]], wsgi_app: Any
) -> None:
    user: User = request.getfixturevalue(ROLE_FIXTURES[role])
    _token, text = api_token_create(user=user, name="fuzz", expires_in_days=None, second_factor=True)
    headers = {"Authorization": f"Token {text}"}
    schema = schemathesis.openapi.from_dict(_generated_schema())

    def call(case: Any) -> None:
        response = case.call(app=wsgi_app, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        examples = EXAMPLES_READ if operation.method.upper() == "GET" else EXAMPLES_WRITE
        strategies = [operation.as_strategy()]
        known = _known_parameters(seeded, operation.path)
        if known:
            strategies.append(operation.as_strategy(path_parameters=known))
        for strategy in strategies:
            failure = _run_operation(operation, strategy, examples, call)
            if failure:
                failures.append(failure)
    assert operations > 0
    assert not failures, "\n\n".join(failures)


def test_anonymous_requests_are_refused_within_the_schema(wsgi_app: Any) -> None:
    schema = schemathesis.openapi.from_dict(_generated_schema())
    UserFactory(username="bystander", roles=[Role.VIEWER])

    def call(case: Any) -> None:
        response = case.call(app=wsgi_app)
        assert response.status_code == 401, (case.method, case.formatted_path, response.status_code)
        case.validate_response(response, checks=CHECKS)

    failures = [
        failure
        for result in schema.get_all_operations()
        if (failure := _run_operation(result.ok(), result.ok().as_strategy(), 2, call))
    ]
    assert not failures, "\n\n".join(failures)
