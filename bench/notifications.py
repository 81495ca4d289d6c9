"""Benchmark: 1,000 notifications through a real Celery worker on Redis (target: under 10 s).

By default 100 inclusion requests are submitted, each to a desk of 10 reviewers: 100 outbox events,
fanned out by the worker into 1,000 in-app notifications and 1,000 e-mails (events waiting together
are fanned out in one transaction; e-mails go EMAIL_BATCH_SIZE per task over one mail connection,
each claimed before and marked after its send). The clock starts before the first event is recorded
and stops when the last e-mail is marked sent; the worker is started (and warmed up) before. Every
e-mail is counted in a mailbox file, to check that each went exactly once.

    PYTHONPATH=. .venv/bin/python bench/notifications.py [--events 100] [--per-event 10] [--concurrency 2]

Uses its own PostgreSQL database (BENCH_DATABASE_NAME, default `bench_notifications`, created and
migrated when missing), Redis db BENCH_REDIS_DB (default 14) and a queue named for the run.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DB_NAME = os.environ.get("BENCH_DATABASE_NAME", "bench_notifications")
# As the application role, like the portal (README "Security"); the owner migrates it.
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", f"postgres://ccportal_app@127.0.0.1:5432/{DB_NAME}")
REDIS_URL = f"redis://127.0.0.1:6379/{os.environ.get('BENCH_REDIS_DB', '14')}"
RESULTS = REPO / "bench" / "results"

os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"


def ensure_database() -> None:
    import psycopg2
    from psycopg2 import sql

    connection = psycopg2.connect(dbname="postgres", host="127.0.0.1", port=5432)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    connection.close()


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and its live children (the worker's pool), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--per-event", type=int, default=10, help="recipients of each event")
    parser.add_argument("--concurrency", type=int, default=2, help="worker pool processes")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    expected = args.events * args.per_event

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    print(f"Database {DB_NAME}: roles, then migrating if needed ...", flush=True)
    call_command("db_roles", "--adopt", DB_NAME, verbosity=0)
    call_command("migrate", verbosity=0)

    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.utils import timezone

    from portal.accounts.models import Desk, Role, User
    from portal.celery import app
    from portal.notifications.models import Delivery, Event, Notification
    from portal.notifications.outbox import event_record
    from portal.ops.db_roles import as_owner
    from workprogrammes.models import CatalogueItem, InclusionRequest

    # --- Data: a desk with its reviewers, an officer, the requests to submit -----------------------
    with as_owner(), connection.cursor() as cursor:  # TRUNCATE is the owner's alone
        cursor.execute(
            "TRUNCATE notifications_notification, notifications_delivery, notifications_event CASCADE"
        )
    reviewers_group, _ = Group.objects.get_or_create(name=Role.REVIEWER)
    officers_group, _ = Group.objects.get_or_create(name=Role.OFFICER)
    officer, _ = User.objects.get_or_create(
        username="bench-officer", defaults={"email": "officer@bench.example"}
    )
    officer.groups.add(officers_group)
    reviewers = []
    for n in range(args.per_event):
        user, _ = User.objects.get_or_create(
            username=f"bench-reviewer-{n:04d}",
            defaults={"email": f"reviewer{n}@bench.example", "preferred_language": "fr" if n % 2 else "en"},
        )
        user.groups.add(reviewers_group)
        reviewers.append(user)
    User.objects.filter(username__startswith="bench-reviewer-").exclude(
        pk__in=[u.pk for u in reviewers]
    ).update(is_active=False)
    User.objects.filter(groups=reviewers_group).exclude(username__startswith="bench-reviewer-").update(
        is_active=False
    )
    from tests.factories import CatalogueItemFactory, PartnerFactory

    partner = PartnerFactory(iso_code="JP", name_en="Japan", name_fr="Japon")
    desk, _ = Desk.objects.get_or_create(
        code="bench-desk", defaults={"name_en": "Bench desk", "name_fr": "Bureau des mesures"}
    )
    desk.partners.add(partner)
    desk.members.set([officer, *reviewers])
    item = CatalogueItem.objects.filter(code="BENCH-1").first() or CatalogueItemFactory(code="BENCH-1")
    stamp = uuid.uuid4().hex[:6].upper()
    requests = [
        InclusionRequest.objects.create(
            reference=f"B{stamp}-{n:04d}",
            partner=partner,
            desk=desk,
            catalogue_item=item,
            title=f"Benchmark activity {n}",
            start_date=datetime.date(2027, 3, 1),
            end_date=datetime.date(2027, 3, 5),
            justification="Benchmark.",
            mutual_benefit="Benchmark.",
            status=InclusionRequest.Status.SUBMITTED,
            requested_by=officer,
            submitted_at=timezone.now(),
            needs_council_decision=True,
        )
        for n in range(args.events)
    ]

    # --- The worker ---------------------------------------------------------------------------------
    queue = f"bench-notifications-{uuid.uuid4().hex[:8]}"
    RESULTS.mkdir(parents=True, exist_ok=True)
    mailbox = RESULTS / "notifications-mailbox.jsonl"
    mailbox.unlink(missing_ok=True)
    log = RESULTS / "notifications-worker.log"
    app.conf.broker_url = REDIS_URL
    app.conf.task_default_queue = queue
    app.conf.task_always_eager = False
    app.conf.task_routes = {}  # every task to this run's queue
    app._pool = None
    app.__dict__.pop("amqp", None)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "CELERY_BROKER_URL": REDIS_URL,
        "NOTIF_TEST_QUEUE": queue,
        "NOTIF_TEST_MAILBOX": str(mailbox),
        "PYTHONPATH": str(REPO),
    }
    command = [
        str(Path(sys.executable).parent / "celery"),
        *("-A", "portal", "worker", "-Q", queue, "-P", "prefork", "-c", str(args.concurrency)),
        *("--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info", "-n", f"{queue}@%h"),
    ]
    with log.open("wb") as log_file:
        worker = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while " ready." not in log.read_text(errors="replace"):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"The worker did not start; see {log}")
            time.sleep(0.1)
        time.sleep(2)  # the pool processes finish starting

        # --- The run ------------------------------------------------------------------------------------
        print(
            f"{args.events} events x {args.per_event} recipients = {expected} notifications and e-mails, "
            f"worker concurrency {args.concurrency}",
            flush=True,
        )
        worker_cpu_before = _cpu_seconds(worker.pid)
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        for request in requests:
            with transaction.atomic():
                event_record(kind="request.submitted", target=request, actor=officer)
        recorded = time.monotonic() - started
        sent = 0
        while sent < expected:
            if time.monotonic() - started > args.timeout:
                raise SystemExit(f"Timed out with {sent} of {expected} e-mails sent; see {log}")
            time.sleep(0.05)
            sent = Delivery.objects.filter(status=Delivery.Status.SENT).count()
        elapsed = time.monotonic() - started
        worker_cpu = _cpu_seconds(worker.pid) - worker_cpu_before
        time.sleep(1)  # anything sent twice would show up now
        mails = sum(1 for _ in mailbox.open()) if mailbox.exists() else 0
        notifications = Notification.objects.count()
        unprocessed = Event.objects.filter(processed_at__isnull=True).count()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"*{queue}*"):
            client.delete(key)

    result = {
        "events": args.events,
        "recipients_per_event": args.per_event,
        "notifications": notifications,
        "emails_sent": mails,
        "unprocessed_events": unprocessed,
        "worker_concurrency": args.concurrency,
        "seconds_to_record_events": round(recorded, 3),
        "seconds_total": round(elapsed, 3),
        "notifications_per_second": round(expected / elapsed, 1),
        "worker_cpu_seconds": round(worker_cpu, 2),
        "load_average_at_start": load_before,
        "cpus": os.cpu_count(),
    }
    (RESULTS / "notifications.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"Recorded {args.events} events (each in its own transaction) in {recorded:.2f} s")
    rate = expected / elapsed
    print(f"{expected} notifications delivered (in-app + e-mail) in {elapsed:.2f} s: {rate:.0f} per second")
    print(f"In-app notifications: {notifications}; e-mails sent: {mails} (each once: {mails == expected})")
    print(
        f"Worker CPU time {worker_cpu:.1f} s over {args.concurrency} processes; machine load average "
        f"{load_before:.1f} on {os.cpu_count()} CPUs when the run started"
    )
    print("Target < 10 s:", "met" if elapsed < 10 else "NOT met")
    if notifications != expected or mails != expected or unprocessed:
        raise SystemExit("Counts do not match: something was lost or sent twice.")


if __name__ == "__main__":
    main()
