"""Roles are groups with model permissions, made after every migrate; users hold roles and desks."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.accounts.models import Role, User
from portal.accounts.services import roles_ensure, user_create
from tests.factories import DeskFactory, PartnerFactory, UserFactory


def _codenames(role: str) -> set[str]:
    return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))


@pytest.mark.django_db
def test_migrate_leaves_one_group_per_role_with_permissions() -> None:
    # No roles_ensure() here: the post_migrate handler made them when the test database was migrated.
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    for role in Role.values:
        assert _codenames(role), f"{role} has no permissions"


@pytest.mark.django_db
def test_roles_ensure_is_idempotent() -> None:
    first = roles_ensure()
    before = {name: _codenames(name) for name in Role.values}
    group_count = Group.objects.count()

    with CaptureQueriesContext(connection) as queries:
        second = roles_ensure()

    assert {name: group.pk for name, group in first.items()} == {name: g.pk for name, g in second.items()}
    assert Group.objects.count() == group_count
    assert {name: _codenames(name) for name in Role.values} == before
    assert not [
        q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "DELETE"))
    ]


@pytest.mark.django_db
def test_roles_ensure_restores_a_permission_removed_by_hand_and_drops_one_added() -> None:
    roles_ensure()
    viewer = Group.objects.get(name=Role.VIEWER)
    viewer.permissions.remove(Permission.objects.get(codename="view_partner"))
    viewer.permissions.add(Permission.objects.get(codename="delete_partner"))

    roles_ensure()

    assert "view_partner" in _codenames(Role.VIEWER)
    assert "delete_partner" not in _codenames(Role.VIEWER)


@pytest.mark.django_db
def test_viewer_may_only_view_domain_records() -> None:
    codenames = _codenames(Role.VIEWER)
    assert {"view_partner", "view_operation", "view_contribution", "view_workprogramme"} <= codenames
    assert all(codename.startswith("view_") for codename in codenames)
    assert "view_user" not in codenames


@pytest.mark.django_db
def test_officer_adds_and_changes_programmes_and_contributions_but_not_reference_data() -> None:
    codenames = _codenames(Role.OFFICER)
    for model in (
        "workprogramme",
        "programmeactivity",
        "contribution",
        "liaisonarrangement",
        "dialoguemeeting",
        "milestone",
    ):
        assert {f"add_{model}", f"change_{model}"} <= codenames
    assert "change_partner" not in codenames
    assert "add_catalogueitem" not in codenames
    assert not any(codename.startswith("delete_") for codename in codenames)


@pytest.mark.django_db
def test_reviewer_secretary_and_analyst_only_view() -> None:
    for role in (Role.REVIEWER, Role.COUNCIL_SECRETARY, Role.ANALYST):
        codenames = _codenames(role)
        assert "view_partner" in codenames
        assert all(codename.startswith("view_") for codename in codenames)


@pytest.mark.django_db
def test_administrator_manages_reference_data_users_and_desks() -> None:
    codenames = _codenames(Role.ADMINISTRATOR)
    assert {"add_partner", "change_partner", "delete_catalogueitem", "add_operation"} <= codenames
    assert {"add_user", "change_user", "add_desk", "change_desk"} <= codenames
    # History rows are written by database triggers only.
    assert "view_partnerevent" in codenames
    assert "change_partnerevent" not in codenames


@pytest.mark.django_db
def test_user_with_the_administrator_role_has_model_permissions() -> None:
    user = UserFactory(roles=[Role.ADMINISTRATOR])
    user = User.objects.get(pk=user.pk)
    assert user.has_perm("partners.change_partner")
    assert not UserFactory(roles=[Role.VIEWER]).has_perm("partners.change_partner")


@pytest.mark.django_db
def test_has_role_reflects_the_groups_held() -> None:
    user = UserFactory(roles=[Role.OFFICER, Role.ANALYST])
    assert user.has_role(Role.OFFICER)
    assert user.has_role(Role.REVIEWER, Role.ANALYST)
    assert not user.has_role(Role.REVIEWER)
    assert user.roles == frozenset({Role.OFFICER, Role.ANALYST})


@pytest.mark.django_db
def test_inactive_user_holds_no_role() -> None:
    user = UserFactory(roles=[Role.OFFICER], is_active=False)
    assert not user.has_role(Role.OFFICER)


@pytest.mark.django_db
def test_superuser_holds_every_role() -> None:
    user = UserFactory(is_superuser=True)
    assert all(user.has_role(role) for role in Role.values)


@pytest.mark.django_db
def test_desk_partner_ids_are_the_partners_of_the_users_desks() -> None:
    japan, korea, chile = PartnerFactory(), PartnerFactory(), PartnerFactory()
    officer = UserFactory(roles=[Role.OFFICER])
    DeskFactory(partners=[japan, korea], members=[officer])
    DeskFactory(partners=[chile])

    assert officer.desk_partner_ids == frozenset({japan.pk, korea.pk})
    assert UserFactory().desk_partner_ids == frozenset()


@pytest.mark.django_db
def test_user_create_gives_roles_desks_and_a_usable_password() -> None:
    partner = PartnerFactory()
    desk = DeskFactory(partners=[partner])

    user = user_create(
        username="newofficer",
        email="newofficer@hq.nato.example",
        password="a-long-enough-passphrase",
        roles=[Role.OFFICER],
        desks=[desk],
        clearance=20,
        preferred_language="fr",
    )

    user = User.objects.get(pk=user.pk)
    assert user.has_role(Role.OFFICER)
    assert user.desk_partner_ids == frozenset({partner.pk})
    assert user.check_password("a-long-enough-passphrase")
    assert (user.clearance, user.preferred_language) == (20, "fr")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "password", "roles", "field"),
    [
        ("taken", "a-long-enough-passphrase", [Role.VIEWER], "username"),
        ("fresh", "short", [Role.VIEWER], "__all__"),
        ("fresh", "a-long-enough-passphrase", ["emperor"], "roles"),
    ],
)
def test_user_create_refuses_bad_input_and_creates_nothing(
    username: str, password: str, roles: list[str], field: str
) -> None:
    UserFactory(username="taken")
    count = User.objects.count()

    with pytest.raises(ValidationError) as error:
        user_create(username=username, email="x@hq.nato.example", password=password, roles=roles)

    if field != "__all__":
        assert field in error.value.message_dict
    assert User.objects.count() == count
