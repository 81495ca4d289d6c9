"""The read replica: report queries go to it when one is configured; writes and migrations never do."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connections, router
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.accounts.models import User
from portal.ops.db import PrimaryReplicaRouter, reporting_database
from portal.reports.registry import report_for
from portal.settings.base import replica_database
from tests.factories import ContributionFactory, PartnerFactory

# Rows the replica reads must be committed: a replica (and its test mirror) sees no open transaction.
replica_db = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def _report_selects(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if '"operations_contribution"' in query["sql"]]


@replica_db
def test_report_rows_are_read_from_the_replica_when_there_is_one(settings, analyst: User) -> None:
    settings.REPORTS_DATABASE = "replica"
    ContributionFactory(partner=PartnerFactory(iso_code="AU", name_en="Australia", name_fr="Australie"))
    report = report_for("contributions")
    assert report is not None

    rows = report.rows(user=analyst, filters={})
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        values = list(rows)

    assert rows.db == "replica"
    assert [value[0] for value in values] == ["Australia"]
    assert len(_report_selects(on_replica)) == 1


@replica_db
def test_the_report_page_reads_its_rows_from_the_replica(settings, analyst: User) -> None:
    settings.REPORTS_DATABASE = "replica"
    ContributionFactory()
    client = Client()
    client.force_login(analyst)
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get("/reports/contributions/")
    assert response.status_code == 200
    assert _report_selects(on_replica)
    assert not _report_selects(on_primary)  # the session and the user are still read from the primary


@pytest.mark.django_db
def test_without_a_replica_reports_read_the_primary(analyst: User) -> None:
    assert settings.REPORTS_DATABASE == "default"
    report = report_for("contributions")
    assert report is not None
    assert report.rows(user=analyst, filters={}).db == "default"


@replica_db
def test_an_object_read_from_the_replica_is_saved_to_the_primary() -> None:
    group = Group.objects.create(name="desk officers")
    from_replica = Group.objects.using("replica").get(pk=group.pk)
    from_replica.name = "desk officers (renamed)"
    from_replica.save()
    assert router.db_for_write(Group, instance=from_replica) == "default"
    assert Group.objects.using("default").get(pk=group.pk).name == "desk officers (renamed)"


def test_migrations_run_on_the_primary_only() -> None:
    assert PrimaryReplicaRouter().allow_migrate("default", "workprogrammes") is True
    assert PrimaryReplicaRouter().allow_migrate("replica", "workprogrammes") is False


PRIMARY_SETTINGS = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "ccportal",
    "HOST": "db",
    "CONN_MAX_AGE": 60,
}


def test_the_replica_alias_is_the_primary_when_no_replica_is_configured() -> None:
    primary = PRIMARY_SETTINGS
    alias = replica_database(primary, "")
    assert (alias["NAME"], alias["HOST"]) == ("ccportal", "db")
    assert alias["TEST"] == {"MIRROR": "default"}


def test_the_replica_alias_is_its_own_server_when_configured() -> None:
    primary = PRIMARY_SETTINGS
    alias = replica_database(primary, "postgres://reader:pw@db-replica:5432/ccportal")
    assert (alias["HOST"], alias["USER"], alias["NAME"]) == ("db-replica", "reader", "ccportal")
    assert alias["CONN_MAX_AGE"] == 60
    assert alias["TEST"] == {"MIRROR": "default"}


def test_the_test_settings_mirror_the_test_database() -> None:
    assert settings.DATABASES["replica"]["TEST"]["MIRROR"] == "default"
    assert reporting_database() == "default"
