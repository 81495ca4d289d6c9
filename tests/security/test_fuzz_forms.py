"""Random input into the forms and the API never gives a server error: either valid, or errors a user
can read. Text of every script and size (up to 100,000 characters), control characters, dates that are
and are not dates, numbers as text, and now and then a valid choice so that the services run too."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from operations.forms import ContributionForm
from partners.forms import DialogueMeetingForm, LiaisonArrangementForm, MilestoneForm, PartnerCooperationForm
from portal.notifications.registry import ROUTES
from tests.api.workflow import if_match
from tests.security.world import World, build_world
from workprogrammes.requests.forms import InclusionRequestForm

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

huge = st.builds(
    lambda piece, times: piece * times, st.text(min_size=1, max_size=5), st.integers(1000, 20000)
)
anything = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    huge,
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        ["2027-02-30", "0000-00-00", "31/12/2027", "9999-12-31", "-1", "1e309", "NaN", "\x00", "' OR 1=1 --"]
    ),
    st.integers(-(2**63), 2**63).map(str),
    st.decimals(allow_nan=True).map(str),
    st.just(""),
)


def _values_for(field: forms.Field) -> st.SearchStrategy[str]:
    """Random text, or sometimes one of the field's valid choices."""
    choices = [str(value) for value, _label in getattr(field, "choices", []) if value not in ("", None)]
    if choices:
        return st.one_of(anything, st.sampled_from(choices))
    return anything


def form_data(form: forms.BaseForm) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({name: _values_for(field) for name, field in form.fields.items()})


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def _officer_client(world: World) -> Client:
    client = Client()
    client.force_login(world.users["officer"])
    return client


def _post(client: Client, path: str, data: dict[str, Any], *, as_json: bool = False, **extra: Any) -> int:
    """One POST, rolled back afterwards so that examples do not pile up."""
    with transaction.atomic():
        if as_json:
            response = client.post(path, json.dumps(data), content_type="application/json", **extra)
        else:
            response = client.post(path, data, **extra)
        transaction.set_rollback(True)
    return response.status_code


PAGE_FORMS: dict[str, tuple[Callable[[World], str], Callable[[World], forms.BaseForm]]] = {
    "request form": (lambda w: "/requests/new/", lambda w: InclusionRequestForm(user=w.users["officer"])),
    "milestone": (lambda w: "/partners/JP/milestone/new/", lambda w: MilestoneForm()),
    "dialogue meeting": (lambda w: "/partners/JP/dialogue/new/", lambda w: DialogueMeetingForm()),
    "liaison arrangement": (lambda w: "/partners/JP/liaison/new/", lambda w: LiaisonArrangementForm()),
    "contribution": (lambda w: "/partners/JP/contribution/new/", lambda w: ContributionForm()),
    "cooperation": (
        lambda w: "/partners/JP/cooperation/",
        lambda w: PartnerCooperationForm(),
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("form_name", sorted(PAGE_FORMS))
def test_page_forms_answer_random_input_with_a_page_never_a_500(world: World, form_name: str) -> None:
    path_of, form_of = PAGE_FORMS[form_name]
    client = _officer_client(world)
    path = path_of(world)

    @FUZZ
    @given(data=form_data(form_of(world)))
    def check(data: dict[str, str]) -> None:
        status = _post(client, path, data)
        assert status in (200, 302, 400), f"{status} for {data!r:.500}"

    check()


@pytest.mark.slow
def test_comments_answer_random_input_never_a_500(world: World) -> None:
    client = _officer_client(world)
    path = f"/requests/{world.request.reference}/comments/"

    @FUZZ
    @given(
        body=anything,
        visibility=st.one_of(anything, st.sampled_from(["internal", "shared"])),
        marking=anything,
    )
    def check(body: str, visibility: str, marking: str) -> None:
        status = _post(client, path, {"body": body, "visibility": visibility, "marking": marking})
        assert status in (302, 400), status

    check()


# --- The API ------------------------------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), anything),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)
REQUEST_FIELDS = [
    "partner",
    "catalogue_item",
    "programme_activity",
    "title",
    "start_date",
    "end_date",
    "place",
    "justification",
    "mutual_benefit",
    "marking",
    "releasability",
]
API_OK = (200, 201, 400, 403, 404, 409)


@pytest.mark.slow
def test_the_request_api_answers_random_json_with_a_reason_never_a_500(world: World) -> None:
    client = _officer_client(world)

    @FUZZ
    @given(
        body=st.one_of(
            st.fixed_dictionaries({}, optional={name: json_values for name in REQUEST_FIELDS}),
            json_values,
        )
    )
    def check(body: Any) -> None:
        with transaction.atomic():
            response = client.post("/api/v1/requests/", json.dumps(body), content_type="application/json")
            transaction.set_rollback(True)
        assert response.status_code in API_OK, f"{response.status_code} for {body!r:.300}"
        if response.status_code == 400:
            assert response.json()["error"]["message"]

    check()


@pytest.mark.slow
def test_workflow_and_preference_inputs_answer_random_json_never_a_500(world: World) -> None:
    client = _officer_client(world)
    request_pk = world.request.pk
    kinds = sorted(ROUTES)

    @FUZZ
    @given(
        reason=json_values,
        modes=st.one_of(
            json_values,
            st.dictionaries(st.sampled_from(kinds) | st.text(max_size=20), json_values, max_size=3),
        ),
    )
    def check(reason: Any, modes: Any) -> None:
        withdraw = _post(
            client,
            f"/api/v1/requests/{request_pk}/withdraw/",
            {"reason": reason},
            as_json=True,
            **if_match(request_pk),
        )
        assert withdraw in API_OK, withdraw
        with transaction.atomic():
            preferences = client.put(
                "/api/v1/notifications/preferences/",
                json.dumps({"modes": modes}),
                content_type="application/json",
            ).status_code
            transaction.set_rollback(True)
        assert preferences in API_OK, preferences

    check()
