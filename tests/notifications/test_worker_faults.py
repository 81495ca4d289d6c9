"""Faults around a real Celery worker on Redis and PostgreSQL: a broker that lost its messages, a database
that went away, a mail server that hangs or never answers, a worker process killed after a send, every
worker killed. Each test starts its own worker (tests/notifications/conftest.py) and reads what it sent
from a mailbox file (or, for the mail server tests, from the database).
"""

from __future__ import annotations

import datetime
import os
import re
import signal
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psycopg2
import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.utils import timezone

from portal.notifications.models import Delivery, Event
from portal.notifications.outbox import event_record, outbox_sweep
from portal.notifications.sending import SEND_RETRY_BACKOFF, deliveries_sweep
from portal.notifications.tasks import publish_event, send_deliveries
from tests.notifications.conftest import LiveCelery
from tests.reliability.servers import OwnRedis
from workprogrammes.requests.models import InclusionRequest

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable_db"),
    pytest.mark.slow,
]


def _emit(*, kind: str, target: Any, actor: Any) -> Event:
    with transaction.atomic():
        return event_record(kind=kind, target=target, actor=actor)


def _three_events(world: SimpleNamespace, make_request: Callable[..., InclusionRequest]) -> int:
    """Submitted, recommended, approved: five e-mails to four people. Returns how many e-mails."""
    request = make_request(reviewer=world.desk_reviewer)
    request.watchers.add(world.watcher)
    _emit(kind="request.submitted", target=request, actor=world.officer)
    _emit(kind="request.recommended", target=request, actor=world.desk_reviewer)
    _emit(kind="request.approved", target=request, actor=world.secretary)
    return 5


def _admin_connection() -> Any:
    """A superuser's connection of its own to the server's maintenance database (not the test's): closing
    a database to connections and ending other roles' backends is not the application role's to do."""
    other = psycopg2.connect(settings.DATABASE_SUPERUSER_URL)
    other.autocommit = True
    return other


def _other_backends(cursor: Any) -> list[tuple[int, str]]:
    """(pid, state) of every other connection to the test database: the worker's."""
    cursor.execute(
        "SELECT pid, state FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
        [connection.settings_dict["NAME"], connection.connection.info.backend_pid],
    )
    return [(int(pid), state) for pid, state in cursor.fetchall()]


def _delivery_locks() -> int:
    """Locks held on the deliveries table by any connection but the test's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
            WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND c.relname = 'notifications_delivery' AND l.pid <> pg_backend_pid()
            """
        )
        return int(cursor.fetchone()[0])


# --- Item 1: a lost task is found and published again; a task failing on the database retries ---------


def test_messages_lost_by_the_broker_are_published_again_and_each_email_goes_once(
    live_celery: LiveCelery,
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    settings: Any,
) -> None:
    settings.TASK_LOST_AFTER_SECONDS = 1
    expected = _three_events(world, make_request)  # published while no worker runs
    broker = redis.Redis.from_url(live_celery.broker_url)
    assert broker.llen(live_celery.queue) == 3
    broker.delete(live_celery.queue)  # what a broker restart without its data does
    assert Event.objects.filter(published_at__isnull=False, processed_at__isnull=True).count() == 3

    live_celery.worker().start()

    # The sweep (beat runs it every OUTBOX_SWEEP_SECONDS) finds the events published over
    # TASK_LOST_AFTER_SECONDS ago and still unprocessed, and publishes them again.
    def swept_and_delivered() -> bool:
        outbox_sweep()
        return Delivery.objects.filter(status=Delivery.Status.SENT).count() == expected

    live_celery.wait_for(swept_and_delivered, what="the lost events to be delivered")
    # The events published once more (as a slow task found lost would be): nothing goes twice.
    for event in Event.objects.all():
        publish_event.delay(event.pk)
    live_celery.wait_for(
        lambda: broker.llen(live_celery.queue) == 0 and _worker_idle(live_celery), what="an idle worker"
    )
    mails = live_celery.mails()
    assert len(mails) == expected
    assert len({m["message_id"] for m in mails}) == expected
    assert Event.objects.filter(processed_at__isnull=True).count() == 0


def _worker_idle(live: LiveCelery) -> bool:
    """Nothing left in the queue and no message taken but not yet acknowledged (tasks acknowledge when
    done, so this holds once every task, and every task those queued, has finished)."""
    broker = redis.Redis.from_url(live.broker_url)
    try:
        return broker.llen(live.queue) == 0 and not live.unacknowledged()
    finally:
        broker.close()


def test_with_beat_running_lost_tasks_are_found_and_sent_once_within_a_minute_by_default(
    live_celery: LiveCelery,
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
) -> None:
    """Nothing but beat and a worker, with the default thresholds: a send cut short by a worker killed
    outright (its message unacknowledged in Redis for the 2 h visibility timeout) and three events whose
    messages a broker restart lost are found by beat's sweep and each e-mail goes once."""
    assert settings.TASK_LOST_AFTER_SECONDS + settings.OUTBOX_SWEEP_SECONDS < 60
    first = live_celery.worker("first").start()
    live_celery.block_file.touch()
    _emit(kind="request.returned", target=make_request(), actor=world.desk_reviewer)
    live_celery.wait_for(live_celery.blocked_file.exists, what="the send to hang")
    first.kill()  # the whole worker, SIGKILL: its claim and its unacknowledged message stay behind
    live_celery.block_file.unlink()
    left_unacknowledged = live_celery.unacknowledged()
    assert len(left_unacknowledged) == 1
    broker = redis.Redis.from_url(live_celery.broker_url)
    expected = 1 + _three_events(world, make_request)  # published while no worker runs...
    assert broker.llen(live_celery.queue) == 3
    broker.delete(live_celery.queue)  # ...and lost as by a broker restart without its data
    lost_at = time.monotonic()

    live_celery.worker("second").start()
    live_celery.beat().start()
    live_celery.wait_for(
        lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == expected,
        timeout=90,  # 30 s to be judged lost, a sweep every 15 s, then the work: a minute, and a margin
        what="beat's sweep to recover every e-mail",
    )
    print(f"every e-mail sent {time.monotonic() - lost_at:.1f} s after the loss")
    # Every message taken was handled (the killed worker's stays in Redis until its visibility timeout).
    live_celery.wait_for(
        lambda: broker.llen(live_celery.queue) == 0 and live_celery.unacknowledged() == left_unacknowledged,
        what="an idle worker",
    )
    mails = live_celery.mails()
    assert len(mails) == expected and len({m["message_id"] for m in mails}) == expected
    assert Event.objects.filter(processed_at__isnull=True).count() == 0


@pytest.fixture
def database_refusing_the_worker() -> Iterator[Callable[[], None]]:
    """Call it to cut the worker off the database (its connections ended, new ones refused) as a
    database restart does; the test's own connection stays. Connections are allowed again after."""
    name = connection.settings_dict["NAME"]
    other = _admin_connection()

    def cut() -> None:
        with other.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            for pid, _state in _other_backends(cursor):
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])

    try:
        yield cut
    finally:
        allow(other, name)
        other.close()


def allow(other: Any, name: str) -> None:
    with other.cursor() as cursor:
        cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def test_tasks_that_fail_on_a_database_outage_are_retried_and_deliver_once(
    live_celery: LiveCelery,
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    database_refusing_the_worker: Callable[[], None],
) -> None:
    worker = live_celery.worker().start()
    database_refusing_the_worker()
    expected = _three_events(world, make_request)

    # The tasks fail on the database and are retried with backoff, not acknowledged and dropped.
    live_celery.wait_for(
        lambda: worker.log.read_text(errors="replace").count("] retry: Retry in") >= 3,
        what="the tasks to schedule their retries",
    )
    assert not live_celery.mails()
    with closing(_admin_connection()) as other:
        allow(other, connection.settings_dict["NAME"])

    # No sweep runs here: the retries alone deliver everything.
    live_celery.wait_for(lambda: len(live_celery.mails()) >= expected, timeout=90, what="the e-mails")
    live_celery.wait_for(lambda: _worker_idle(live_celery), what="an idle worker")
    assert len(live_celery.mails()) == expected
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == expected


# --- Items 2 and 3: no transaction open while mail goes out; attempts recorded; duplicates counted -----


def test_no_transaction_or_lock_is_held_while_the_mail_server_hangs_and_readiness_says_stuck(
    live_celery: LiveCelery,
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
) -> None:
    live_celery.worker().start()
    live_celery.block_file.touch()
    _emit(kind="request.returned", target=make_request(), actor=world.desk_reviewer)
    live_celery.wait_for(live_celery.blocked_file.exists, what="the send to hang")

    with closing(_admin_connection()) as other, other.cursor() as cursor:
        states = [state for _pid, state in _other_backends(cursor)]
        assert "idle in transaction" not in states
    assert _delivery_locks() == 0
    delivery = Delivery.objects.get()
    # The attempt was recorded (and committed) before the mail server was spoken to.
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.attempts == 1 and delivery.claimed_at is not None
    assert f".delivery-{delivery.pk}@" in delivery.message_id

    assert Client().get("/readyz").json()["checks"]["queue"]["status"] == "ok"  # not stuck yet
    with override_settings(QUEUE_STUCK_AFTER_SECONDS=0):
        stuck = Client().get("/readyz")
    assert stuck.status_code == 503
    assert stuck.json()["failing"] == ["queue"]
    assert stuck.json()["checks"]["queue"]["emails"] == 1

    # The hung process is killed: another takes the delivery over at once (its claimant is gone).
    live_celery.block_file.unlink()
    os.kill(int(live_celery.blocked_file.read_text()), signal.SIGKILL)
    live_celery.wait_for(live_celery.mails, what="the e-mail")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(live_celery.mails())) == (Delivery.Status.SENT, 2, 1)


def test_a_worker_process_killed_after_the_server_accepted_a_mail_sends_it_again_recognisably(
    live_celery: LiveCelery,
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
) -> None:
    """The one duplicate a lost worker can cause, counted: the mail server had the message, the portal
    had not yet marked it sent. The copy carries the same Message-ID, so servers and mail clients that
    deduplicate show it once; every other e-mail goes exactly once."""
    live_celery.worker().start()
    live_celery.die_after_file.touch()  # the first process to send a mail dies right after
    expected = _three_events(world, make_request)

    live_celery.wait_for(
        lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == expected,
        what="every delivery sent",
    )
    live_celery.wait_for(lambda: _worker_idle(live_celery), what="an idle worker")
    mails = live_celery.mails()
    copies = Counter(m["message_id"] for m in mails)
    duplicates = {message_id: n for message_id, n in copies.items() if n > 1}
    print(f"{len(mails)} e-mails for {expected} deliveries; duplicates: {duplicates}")
    assert not live_celery.die_after_file.exists()  # the process did die after a send
    assert len(copies) == expected  # one Message-ID per delivery
    assert len(mails) == expected + 1 and list(duplicates.values()) == [2]
    (twice,) = duplicates
    assert Delivery.objects.get(message_id=twice).attempts == 2  # both attempts recorded


# --- Item 8: a mail server that accepts and never answers; the task time limits ------------------------


@pytest.fixture
def silent_mail_server() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word (no SMTP greeting)."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    thread.join(2)
    for conn in accepted:
        conn.close()
    server.close()


def test_a_mail_server_that_never_answers_fails_the_attempt_after_email_timeout_and_it_is_retried(
    live_celery: LiveCelery,
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    silent_mail_server: int,
) -> None:
    live_celery.worker(
        env={
            "NOTIF_TEST_SMTP": "1",
            "EMAIL_URL": f"smtp://127.0.0.1:{silent_mail_server}",
            "EMAIL_TIMEOUT": "1",
        }
    ).start()
    emitted_at = timezone.now()
    _emit(kind="request.returned", target=make_request(), actor=world.desk_reviewer)

    delivery = live_celery.wait_for(
        lambda: Delivery.objects.filter(attempts=1, claimed_at__isnull=True).exclude(last_error="").first(),
        what="the attempt to time out",
    )
    assert delivery.status == Delivery.Status.PENDING  # to be retried
    assert "timed out" in delivery.last_error or "Timeout" in delivery.last_error
    # The next attempt waits the first back-off (30 to 60 s) after the failed one, which came at least the
    # one-second timeout after the event: a bound that holds however slowly this machine ran the test.
    earliest = emitted_at + datetime.timedelta(seconds=1 + SEND_RETRY_BACKOFF / 2)
    assert delivery.next_attempt_at is not None and delivery.next_attempt_at >= earliest
    with closing(_admin_connection()) as other, other.cursor() as cursor:
        assert "idle in transaction" not in [state for _pid, state in _other_backends(cursor)]


def test_a_send_hung_past_the_soft_time_limit_is_cut_short_and_released_for_a_retry(
    live_celery: LiveCelery,
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
) -> None:
    """The mailbox's hang ignores every socket timeout: only the task's soft time limit ends it."""
    live_celery.worker(env={"CELERY_TASK_SOFT_TIME_LIMIT": "2", "CELERY_TASK_TIME_LIMIT": "5"}).start()
    live_celery.block_file.touch()
    _emit(kind="request.returned", target=make_request(), actor=world.desk_reviewer)

    delivery = live_celery.wait_for(
        lambda: Delivery.objects.filter(last_error__startswith="SoftTimeLimitExceeded").first(),
        what="the soft time limit to end the send",
    )
    assert (delivery.status, delivery.attempts, delivery.claimed_at) == (Delivery.Status.PENDING, 1, None)
    live_celery.block_file.unlink()
    # The retry is due after its backoff; the sweep (here called at once with the retry's time) sends it.
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    send_deliveries.delay([delivery.pk])
    live_celery.wait_for(live_celery.mails, what="the retried e-mail")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)


# --- Item 4: every worker killed -> /readyz fails within 20 s, by default ------------------------------


def test_readiness_fails_within_twenty_seconds_of_every_worker_being_killed(
    live_celery: LiveCelery, settings: Any
) -> None:
    # The defaults of base.py, which the worker uses too: a beat every 5 s, gone after 15 s.
    assert settings.WORKER_HEARTBEAT_SECONDS + settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS <= 20
    worker = live_celery.worker().start()

    def workers_check() -> dict[str, Any]:
        with override_settings(
            REDIS_URL=live_celery.broker_url,
            CELERY_BROKER_URL=live_celery.broker_url,
            CELERY_TASK_ALWAYS_EAGER=False,
            CELERY_QUEUE_NAMES=(live_celery.queue,),
        ):
            return dict(Client().get("/readyz").json()["checks"]["workers"])

    live_celery.wait_for(lambda: workers_check()["status"] == "ok", what="the worker's heartbeat")
    worker.kill()  # SIGKILL: no warm shutdown clears its heartbeat
    gone = live_celery.wait_for(
        lambda: (check := workers_check())["status"] == "failing" and check,
        timeout=20,
        what="readiness to notice the dead worker",
    )
    assert gone["detail"] == f"No live worker consumes: {live_celery.queue}"


# --- A frozen broker: a task that publishes (the fan-out queuing e-mails, a send queuing its retry) -----


@pytest.fixture
def live_celery_on_own_redis(
    tmp_path: Path, live_celery: LiveCelery
) -> Iterator[tuple[LiveCelery, OwnRedis]]:
    """The test and its workers on a redis-server of the test's own (tests/reliability/servers.py), which
    the test freezes: the shared Redis is never stopped. Workers are stopped before the server."""
    directory = tmp_path / "redis"
    directory.mkdir()
    server = OwnRedis(directory)
    server.start()
    live_celery.broker_url = server.url(0)
    live_celery.point_broker_at(server.url(0))
    try:
        yield live_celery, server
    finally:
        if server.frozen:
            server.thaw()
        for worker in live_celery.workers:
            worker.stop()
        server.stop()


def _patient_worker(live: LiveCelery) -> Any:
    """A worker whose task time limits are far away: only the broker's timeouts can free a publish."""
    return live.worker(env={"CELERY_TASK_SOFT_TIME_LIMIT": "600", "CELERY_TASK_TIME_LIMIT": "620"})


def _finished(worker: Any, task: str) -> bool:
    return re.search(rf"{task}\[[^]]+\] succeeded", worker.log.read_text(errors="replace")) is not None


def test_a_fan_out_publishing_its_emails_to_a_frozen_broker_finishes_and_the_sweep_sends_them_once(
    live_celery_on_own_redis: tuple[LiveCelery, OwnRedis],
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
) -> None:
    live, server = live_celery_on_own_redis
    request = make_request(reviewer=world.desk_reviewer)
    request.watchers.add(world.watcher)
    event = _emit(kind="request.approved", target=request, actor=world.secretary)  # 3 e-mails
    # The event's row is locked, so the worker's fan-out waits on it; the broker is frozen meanwhile.
    with closing(psycopg2.connect(**connection.get_connection_params())) as side, side.cursor() as cursor:
        cursor.execute("SELECT id FROM notifications_event WHERE id = %s FOR UPDATE", [event.pk])
        worker = _patient_worker(live).start()
        live.wait_for(_waiting_on_a_lock, what="the fan-out to wait for the event's row")
        server.freeze()
        side.rollback()  # the fan-out goes on, and publishes the e-mails' task to the frozen broker

    live.wait_for(lambda: _finished(worker, "publish_event"), timeout=60, what="the fan-out to finish")
    log = worker.log.read_text(errors="replace")
    assert "not queued now; the sweep will queue them" in log
    # Its consumer did not wait for ever either: acknowledging the task failed, and it reconnects.
    live.wait_for(
        lambda: "Connection to broker lost" in worker.log.read_text(errors="replace"),
        timeout=60,
        what="the worker to give up on the frozen broker",
    )
    assert Delivery.objects.filter(status=Delivery.Status.PENDING).count() == 3
    assert not live.mails()

    server.thaw()
    # The deliveries sweep (beat, every OUTBOX_SWEEP_SECONDS) queues them once they are overdue.
    later = timezone.now() + datetime.timedelta(seconds=settings.TASK_LOST_AFTER_SECONDS + 1)
    assert deliveries_sweep(now=later) == 3
    live.wait_for(
        lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == 3,
        timeout=90,
        what="the worker to reconnect and send",
    )
    mails = live.mails()
    assert len(mails) == 3 and len({m["message_id"] for m in mails}) == 3


def _waiting_on_a_lock() -> bool:
    """Whether a session waits for a lock. Asked on the test's own connection, outside any transaction:
    a transaction sees pg_stat_activity as it was at its first look."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return bool(cursor.fetchone()[0])


def test_a_send_queuing_its_retry_on_a_frozen_broker_finishes_and_the_sweep_retries_it(
    live_celery_on_own_redis: tuple[LiveCelery, OwnRedis],
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
) -> None:
    live, server = live_celery_on_own_redis
    worker = _patient_worker(live).start()
    live.hang_file.touch()
    _emit(kind="request.returned", target=make_request(), actor=world.desk_reviewer)
    live.wait_for(live.blocked_file.exists, what="the send to wait for the mail server")
    server.freeze()
    live.hang_file.unlink()  # the mail server drops the connection: the e-mail's retry is queued

    live.wait_for(lambda: _finished(worker, "send_deliveries"), timeout=60, what="the send to finish")
    assert "not queued now; the sweep will queue them" in worker.log.read_text(errors="replace")
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.claimed_at) == (Delivery.Status.PENDING, 1, None)
    assert delivery.last_error.startswith("SMTPServerDisconnected")
    assert delivery.next_attempt_at is not None and delivery.next_attempt_at > timezone.now()

    server.thaw()
    # Its retry was not queued: the deliveries sweep queues it once it is overdue.
    later = delivery.next_attempt_at + datetime.timedelta(seconds=settings.TASK_LOST_AFTER_SECONDS + 1)
    assert deliveries_sweep(now=later) == 1
    live.wait_for(live.mails, timeout=90, what="the worker to reconnect and send the retry")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(live.mails())) == (Delivery.Status.SENT, 2, 1)
