"""CPU per request of one or more portal URLs, in this process, on the scale database (no server, no load).

    PYTHONPATH=. .venv/bin/python bench/profile_page.py URL [URL ...] [--role viewer|reviewer|analyst]
        [--token] [--french] [-n 30] [--profile] [--cprofile N] [--profile-html out.html]

Each URL is requested -n times through the portal's own WSGI handler (every middleware, bench/_settings.py:
DEBUG off, cached templates) as a signed-in single-role user of the scale database (a session as a real
sign-in leaves it, or an API token with --token). The first request of each URL is not counted (it loads
code and compiles templates). Prints, per URL, the status, the response size, the queries, and the CPU
milliseconds per request: this process's own and its PostgreSQL backend's (from /proc, in 10 ms ticks, so
only their mean over many requests means anything), with the median and the 95th percentile of the app's.
--profile runs pyinstrument over the counted requests of each URL and prints the call tree; --cprofile N
prints cProfile's N costliest functions, by own time and by cumulative time (timings inflated by cProfile);
--areas prints cProfile's own time summed by where it is spent (the template language, the ORM, the driver,
translation, the project's code...), as shares of the whole.

BENCH_DATABASE_NAME picks the database (default ccportal_scale; bench/generate builds it).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DB_NAME = os.environ.get("BENCH_DATABASE_NAME", "ccportal_scale")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench._settings"
os.environ.setdefault("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB_NAME}")
os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def _backend_ticks() -> int:
    from django.db import connections

    total = 0
    for wrapper in connections.all(initialized_only=True):
        if wrapper.connection is None or wrapper.connection.closed:
            continue
        pid = wrapper.connection.get_backend_pid()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


def _environ(url: str, *, cookie: str, auth: str) -> dict[str, Any]:
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8701",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    if auth:
        environ["HTTP_AUTHORIZATION"] = auth
    return environ


# Where own time is spent, by the first pattern its file name contains (order matters).
AREAS = [
    ("Django template language", ("django/template/",)),
    (
        "ORM: query compilation",
        ("django/db/models/sql/", "django/db/models/expressions", "django/db/models/lookups"),
    ),
    ("ORM: model instances", ("django/db/models/base.py", "django/db/models/fields/", "modeltranslation/")),
    ("ORM: other", ("django/db/",)),
    ("driver (psycopg2)", ("psycopg2",)),
    ("translation (gettext)", ("django/utils/translation", "gettext.py", "asgiref/local.py")),
    ("dates and numbers", ("django/utils/dateformat", "django/utils/formats", "django/utils/numberformat")),
    ("escaping, safe strings", ("django/utils/html.py", "django/utils/safestring", "html/__init__")),
    ("forms and widgets", ("django/forms/",)),
    ("middleware, sessions, auth", ("django/contrib/", "django/middleware/", "django_otp", "axes", "csp/")),
    ("other Django (lazy objects, signals, URLs, handlers)", ("/django/",)),
    ("the portal's code", ("/work/", "portal/", "partners/", "operations/", "workprogrammes/", "profiles/")),
]


def _area(filename: str) -> str:
    for label, parts in AREAS:
        if any(part in filename for part in parts):
            if label == "the portal's code" and "/site-packages/" in filename:
                continue
            return label
    if "/site-packages/" in filename:
        return "other libraries: " + filename.split("/site-packages/", 1)[1].split("/", 1)[0]
    return "Python's standard library"


def _print_areas(stats: Any) -> None:
    """Own time by area; a built-in's (getattr, isinstance, str.join...) goes to the areas that called it."""
    totals: dict[str, float] = {}
    for (filename, _line, _function), (_cc, _nc, own, _cum, callers) in stats.stats.items():
        if filename != "~":
            totals[_area(filename)] = totals.get(_area(filename), 0.0) + own
            continue
        for (caller_file, _l, _f), caller_stats in callers.items():
            area = _area(caller_file) if caller_file != "~" else "builtins"
            totals[area] = totals.get(area, 0.0) + caller_stats[2]
    whole = sum(totals.values()) or 1.0
    for label, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        if seconds / whole >= 0.005:
            print(f"  {seconds / whole:6.1%}  {label}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--role", default="viewer", choices=["viewer", "reviewer", "analyst", "officer"])
    parser.add_argument("--token", action="store_true", help="an API token instead of a session")
    parser.add_argument("--french", action="store_true", help="the session reads the portal in French")
    parser.add_argument("-n", type=int, default=30, help="requests counted per URL")
    parser.add_argument("--profile", action="store_true", help="pyinstrument's call tree per URL")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="cProfile's top N functions")
    parser.add_argument("--areas", action="store_true", help="cProfile's own time by area, in shares")
    parser.add_argument("--queries", action="store_true", help="each query of one request, with its time")
    parser.add_argument("--sql-width", type=int, default=300, help="characters of each query shown")
    parser.add_argument("--callers", default="", help="with --cprofile: callers of these functions")
    parser.add_argument("--dump", default="", help="write the (last URL's) response body to this file")
    parser.add_argument("--profile-html", default="", help="write the last URL's profile as HTML here")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connections

    from bench._fixtures import bench_users, sessions
    from portal.api.services import api_token_create

    user = bench_users(args.role, 1)[0]
    cookie, auth = "", ""
    if args.token:
        auth = (
            f"Token {api_token_create(user=user, name='profile', expires_in_days=1, second_factor=True)[1]}"
        )
    else:
        cookie = sessions(user, 2)[1 if args.french else 0]
    handler = WSGIHandler()

    def fetch(url: str) -> tuple[str, int]:
        status: list[str] = []
        body = handler(_environ(url, cookie=cookie, auth=auth), lambda s, h, *a: status.append(s))
        chunks = list(body)
        if args.dump:
            Path(args.dump).write_bytes(b"".join(chunks))
        size = sum(len(chunk) for chunk in chunks)
        if hasattr(body, "close"):
            body.close()
        return status[0], size

    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(f"{(time.perf_counter() - started) * 1000:7.2f} ms  {sql[: args.sql_width]}")

    print(f"user {user.username} ({args.role}{', French' if args.french else ''}), {args.n} requests per URL")
    for url in args.urls:
        status, size = fetch(url)  # code loaded, templates compiled
        queries.clear()
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(count))
            fetch(url)
        profiler = None
        if args.profile or args.profile_html:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
        if args.queries:
            print("\n".join(queries))
        cprofiler = None
        if args.cprofile or args.areas:
            import cProfile

            cprofiler = cProfile.Profile(time.process_time)
            cprofiler.enable()
        app: list[float] = []
        ticks_before = _backend_ticks()
        for _ in range(args.n):
            started = time.process_time()
            fetch(url)
            app.append((time.process_time() - started) * 1000)
        db_ms = (_backend_ticks() - ticks_before) * TICK_MS / args.n
        if profiler is not None:
            profiler.stop()
        if cprofiler is not None:
            cprofiler.disable()
        app.sort()
        p95 = app[min(len(app) - 1, int(len(app) * 0.95))]
        print(
            f"{url}  {status}  {size:,} B  {len(queries)} queries  "
            f"CPU {statistics.mean(app) + db_ms:.1f} ms (app {statistics.mean(app):.1f} "
            f"[median {statistics.median(app):.1f}, p95 {p95:.1f}] + db {db_ms:.1f})"
        )
        if cprofiler is not None:
            import pstats

            if args.areas:
                _print_areas(pstats.Stats(cprofiler))
            for order in ("tottime", "cumulative") if args.cprofile else ():
                pstats.Stats(cprofiler, stream=sys.stdout).sort_stats(order).print_stats(args.cprofile)
            if args.callers:
                pstats.Stats(cprofiler, stream=sys.stdout).sort_stats("tottime").print_callers(args.callers)
        if profiler is not None:
            if args.profile:
                print(profiler.output_text(unicode=True, color=False, show_all=False))
            if args.profile_html:
                Path(args.profile_html).write_text(profiler.output_html())


if __name__ == "__main__":
    main()
