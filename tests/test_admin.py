"""Every admin page renders for the administrator; search works in both languages; history is reachable."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import reverse

from partners.models import Partner, PartnerAreaChange
from portal.accounts.models import Delegation, Role, User
from tests.factories import (
    ContributionFactory,
    DeskFactory,
    DialogueMeetingFactory,
    LiaisonArrangementFactory,
    MilestoneFactory,
    PartnerFactory,
    ProgrammeActivityFactory,
    UserFactory,
)
from tests.workprogrammes.request_factories import (
    AgendaItemFactory,
    CommentFactory,
    StatusChangeFactory,
)
from workprogrammes.catalogue.models import CatalogueImport
from workprogrammes.council.models import CouncilDecision
from workprogrammes.programmes.models import ActivityOutcome, ProgrammeAmendment, ProgrammeStatusChange
from workprogrammes.requests.discussion_models import Attachment
from workprogrammes.requests.models import RequestRevision

ADMIN_APPS = {"partners", "operations", "workprogrammes", "accounts"}
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in ADMIN_APPS),
    key=lambda model: model._meta.label,
)


def _url(model: type[models.Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def japan(db: None) -> Partner:
    return PartnerFactory(iso_code="JP", name_en="Japan", name_fr="Japon")


@pytest.fixture
def rows(japan: Partner, administrator: User) -> None:
    """At least one row of every model, so that change lists and change forms have something to show."""
    activity = ProgrammeActivityFactory(programme__partner=japan, status="held")
    ProgrammeStatusChange.objects.create(
        programme=activity.programme, from_status="draft", to_status="proposed", actor=administrator
    )
    ProgrammeAmendment.objects.create(
        programme=activity.programme,
        number=1,
        reason="Dates moved",
        amended_by=administrator,
        previous={},
        amended={},
    )
    ActivityOutcome.objects.create(activity=activity, participants=12, rating=4, recorded_by=administrator)
    CatalogueImport.objects.create(file_name="menu.xlsx", sha256="0" * 64, uploaded_by=administrator)
    PartnerAreaChange.objects.create(
        partner=japan, area=activity.catalogue_item.area, chosen=True, actor=administrator
    )
    ContributionFactory(partner=japan)
    MilestoneFactory(partner=japan)
    DialogueMeetingFactory(partner=japan)
    LiaisonArrangementFactory(partner=japan)
    DeskFactory(partners=[japan], members=[UserFactory(roles=[Role.OFFICER])])
    change = StatusChangeFactory()
    CommentFactory(request=change.request)
    item = AgendaItemFactory(request=change.request)
    RequestRevision.objects.create(request=change.request, number=1, snapshot={}, created_by=administrator)
    Attachment.objects.create(
        request=change.request,
        file="private/requests/1/f.pdf",
        original_name="brief.pdf",
        content_type="application/pdf",
        size=100,
        sha256="0" * 64,
        uploaded_by=administrator,
    )
    CouncilDecision.objects.create(
        request=change.request, meeting=item.meeting, outcome="deferred", is_final=False
    )
    Delegation.objects.create(
        principal=administrator,
        delegate=UserFactory(),
        start_date=datetime.date(2030, 1, 1),
        end_date=datetime.date(2030, 1, 31),
    )


@pytest.fixture
def admin_client(administrator: User) -> Client:
    """The administrator role (staff, not a superuser): what it sees comes from the role's permissions."""
    assert not administrator.is_superuser
    client = Client()
    client.force_login(administrator)
    return client


def test_the_admin_covers_every_model_of_the_domain_apps() -> None:
    import pghistory.models
    from django.apps import apps

    expected = {
        model
        for label in ADMIN_APPS
        for model in apps.get_app_config(label).get_models()
        # Proxies exist for their history triggers only (role grants, desk membership, authenticators):
        # their rows are edited on the user's, the desk's and django-otp's own admin pages.
        if not issubclass(model, pghistory.models.Event) and not model._meta.proxy
    }
    assert expected - set(admin.site._registry) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_changelist_renders_with_a_search(
    model: type[models.Model], admin_client: Client, rows: None
) -> None:
    response = admin_client.get(_url(model, "changelist"), {"q": "Japon"})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_add_page_renders_or_is_refused_for_workflow_records(
    model: type[models.Model], admin_client: Client, rows: None
) -> None:
    response = admin_client.get(_url(model, "add"))
    model_admin = admin.site._registry[model]
    request = response.wsgi_request
    expected = 200 if model_admin.has_add_permission(request) else 403
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_change_page_renders_with_a_link_to_the_history_events(
    model: type[models.Model], admin_client: Client, rows: None
) -> None:
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"no {model._meta.label} row to show"

    response = admin_client.get(_url(model, "change", obj.pk))

    assert response.status_code == 200
    assert f"obj={model._meta.label}:{obj.pk}" in response.content.decode()


@pytest.mark.django_db
def test_history_events_of_a_partner_render(admin_client: Client, japan: Partner) -> None:
    response = admin_client.get(_url(Partner, "change", japan.pk))
    events_url = (
        response.content.decode().split('class="historylink"')[0].rsplit('href="', 1)[1].split('"')[0]
    )

    events = admin_client.get(events_url.replace("&amp;", "&"))

    assert events.status_code == 200
    assert "partners.PartnerEvent" in events.content.decode() or "insert" in events.content.decode()


@pytest.mark.django_db
def test_partner_search_finds_the_french_name(admin_client: Client, japan: Partner) -> None:
    PartnerFactory(name_en="Chile", name_fr="Chili")

    content = admin_client.get(_url(Partner, "changelist"), {"q": "Japon"}).content.decode()

    assert "Japan" in content
    assert "Chile" not in content


@pytest.mark.django_db
def test_autocomplete_finds_a_partner_by_its_french_name(admin_client: Client, japan: Partner) -> None:
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "partners", "model_name": "milestone", "field_name": "partner", "term": "Japon"},
    )
    assert response.status_code == 200
    assert [result["id"] for result in response.json()["results"]] == [str(japan.pk)]


@pytest.mark.django_db
def test_bilingual_forms_load_jquery_ui_from_the_portal_not_a_cdn(admin_client: Client) -> None:
    content = admin_client.get(_url(Partner, "add")).content.decode()

    assert "vendor/jquery-ui/jquery-ui.min.js" in content
    assert "name_fr" in content
    assert "//ajax.googleapis.com" not in content


@pytest.mark.django_db
def test_partners_are_retired_not_deleted(admin_client: Client, japan: Partner) -> None:
    response = admin_client.post(
        _url(Partner, "changelist"),
        {"action": "retire_selected", admin.helpers.ACTION_CHECKBOX_NAME: [japan.pk]},
    )

    assert response.status_code == 302
    japan.refresh_from_db()
    assert japan.deleted_at is not None
    assert admin_client.get(_url(Partner, "delete", japan.pk)).status_code == 403


@pytest.mark.django_db
def test_user_changelist_shows_roles_and_desks(admin_client: Client, japan: Partner) -> None:
    officer = UserFactory(username="deskofficer", roles=[Role.OFFICER])
    DeskFactory(
        name_en="Asia-Pacific desk", name_fr="Bureau Asie-Pacifique", partners=[japan], members=[officer]
    )

    content = admin_client.get(_url(User, "changelist"), {"q": "deskofficer"}).content.decode()

    assert "officer" in content
    assert "Asia-Pacific desk" in content


@pytest.mark.django_db
def test_user_added_in_the_admin_holds_the_chosen_role(admin_client: Client) -> None:
    from django.contrib.auth.models import Group

    response = admin_client.post(
        _url(User, "add"),
        {
            "username": "newanalyst",
            "usable_password": "true",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "email": "newanalyst@hq.nato.example",
            "groups": [Group.objects.get(name=Role.ANALYST).pk],
            "preferred_language": "fr",
            "clearance": 20,
            "Desk_members-TOTAL_FORMS": "0",
            "Desk_members-INITIAL_FORMS": "0",
        },
    )

    errors = response.context["adminform"].form.errors if response.status_code == 200 else None
    assert response.status_code == 302, errors
    user = User.objects.get(username="newanalyst")
    assert user.has_role(Role.ANALYST)
    assert (user.preferred_language, user.clearance) == ("fr", 20)
