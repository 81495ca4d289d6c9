"""PostgreSQL's planner told, for one query, to take its joins in the order the ORM writes them.

PostgreSQL searches every order of a query's joins up to `join_collapse_limit` (8) tables. For most of the
portal's queries that search is cheap; for a few wide `select_related` joins (a request with its partner,
desk, activity, catalogue item and people) it costs many times what running the query costs, and the
order the ORM writes (from the listed row out to its many-to-one relations) is the right one anyway. Those
queries are run inside `joins_in_written_order()`; every other query is planned freely.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction

# Beyond this many tables the joins are taken in the written order.
WRITTEN_ORDER_BEYOND = 4


@contextmanager
def joins_in_written_order(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Queries evaluated inside take joins past the fourth table in the order written.

    `SET LOCAL` lasts until the end of the transaction: this block's own, or, inside an outer atomic
    block, the outer one's (harmless: the setting changes only how long planning takes).
    """
    with transaction.atomic(using=using, durable=False):
        with connections[using].cursor() as cursor:
            cursor.execute(f"SET LOCAL join_collapse_limit = {WRITTEN_ORDER_BEYOND}")
        yield
