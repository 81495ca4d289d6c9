"""Statements prepared once per database connection (portal/core/prepared.py)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from portal.core.prepared import fetch_prepared

pytestmark = pytest.mark.django_db


def _statement(cursor: object) -> str:
    return "PREPARE test_double (integer) AS SELECT $1 * 2"


def test_a_statement_is_prepared_once_then_executed_with_its_parameters() -> None:
    with CaptureQueriesContext(connection) as first:
        assert fetch_prepared("default", "test_double", _statement, [21]) == [(42,)]
    with CaptureQueriesContext(connection) as second:
        assert fetch_prepared("default", "test_double", _statement, [5]) == [(10,)]
    assert [q["sql"].split()[0] for q in first.captured_queries] == ["PREPARE", "EXECUTE"]
    assert [q["sql"].split()[0] for q in second.captured_queries] == ["EXECUTE"]


def test_a_prepared_statement_outlives_a_rolled_back_transaction() -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        fetch_prepared("default", "test_double", _statement, [1])
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")
    assert fetch_prepared("default", "test_double", _statement, [4]) == [(8,)]


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_again() -> None:
    fetch_prepared("default", "test_double", _statement, [1])
    connection.close()  # e.g. CONN_MAX_AGE reached, or the server restarted
    with CaptureQueriesContext(connection) as queries:
        assert fetch_prepared("default", "test_double", _statement, [3]) == [(6,)]
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["PREPARE", "EXECUTE"]


def test_a_statement_name_must_be_an_identifier() -> None:
    with pytest.raises(ValueError, match="Not a statement name"):
        fetch_prepared("default", "drop table x; --", _statement)
