# The two commands: `make run` (the portal with demo data on http://127.0.0.1:8000) and `make test`
# (everything CI checks). Every other target is a step of one of them. The environment is passed through
# to every command (e.g. TEST_DATABASE_NAME, DATABASE_URL).

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.11 (pyproject.toml requires it); plain python3 only where no python3.11 is on the PATH.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION ?= 0.13.9
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# The install stamp is named after the lock's content: a changed lock means a new install (and a lock
# that is only touched, e.g. by a checkout, does not).
LOCK_HASH := $(shell sha256sum requirements.lock 2>/dev/null | cut -c1-16)
INSTALL_STAMP := $(VENV)/.installed-$(LOCK_HASH)

LOCAL_SETTINGS := portal.settings.local
TEST_SETTINGS := portal.settings.test
MANAGE := DJANGO_SETTINGS_MODULE=$(LOCAL_SETTINGS) $(PY) manage.py
MANAGE_TEST := DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) $(PY) manage.py

# Debian packages the test suite needs: a browser for end-to-end tests, gettext for translations,
# poppler for reading generated PDFs, WeasyPrint's libraries and a font, and Debian's docker-compose to
# validate the compose file (no container engine runs here).
SYSTEM_PACKAGES := chromium docker-compose gettext poppler-utils \
	libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
# What `make bench` needs besides: wrk drives bench/run.py's load (not needed by `make test`).
BENCH_PACKAGES := wrk

PG_START := pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
REDIS_START := redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
	--dir /var/lib/redis --logfile /var/log/redis/ci.log
LOCAL_DATABASE := ccportal

DEMO_USERS := viewer officer officer2 reviewer secretary analyst admin
# The port `make run` serves on: `make run PORT=8001` when 8000 is taken.
PORT ?= 8000
DEMO_PASSWORD := portal-demo-2026

.PHONY: help venv install system-deps services db-roles migrate demo messages run test ci lint typecheck \
	migrations-check compose-check pytest bench bench-deps clean security backup restore screenshots \
	local-services

help:
	@echo "make run    start the portal with demo data on http://127.0.0.1:8000 (PORT=8001 for another port)"
	@echo "make test   install what the suite needs, start PostgreSQL and Redis, run every check and pytest"
	@echo "Steps: venv install system-deps services db-roles migrate demo messages lint typecheck"
	@echo "       migrations-check compose-check pytest bench ci clean screenshots"

# --- Python environment -------------------------------------------------------------------------

venv: $(PY)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(INSTALL_STAMP)

$(INSTALL_STAMP): | $(PY)
	$(BIN)/uv pip install --quiet --python $(PY) -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

# --- Machine: packages and services ---------------------------------------------------------------

system-deps:
	@missing=""; \
	for package in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' "$$package" 2>/dev/null | grep -q "install ok installed" \
			|| missing="$$missing $$package"; \
	done; \
	if [ -z "$$missing" ]; then \
		echo "System packages: all present."; \
	elif [ "$$(id -u)" != 0 ]; then \
		echo "System packages missing:$$missing. Not root, so skipping; install them with:"; \
		echo "  sudo apt-get install$$missing"; \
	else \
		echo "Installing system packages:$$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

# Starts the machine's PostgreSQL and Redis when they do not answer, waits for them, and creates the
# local database. Both answer on 127.0.0.1, where the test settings look for them.
services:
	@if ! pg_isready -q -h 127.0.0.1 -p 5432; then \
		echo "PostgreSQL does not answer: starting it."; $(PG_START); \
	fi; \
	for attempt in $$(seq 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done; \
	pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not come up on 127.0.0.1:5432."; exit 1; }
	@redis_answers() { [ "$$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }; \
	if ! redis_answers; then \
		echo "Redis does not answer: starting it."; $(REDIS_START); \
	fi; \
	for attempt in $$(seq 60); do redis_answers && break; sleep 0.5; done; \
	redis_answers || { echo "Redis did not come up on 127.0.0.1:6379."; exit 1; }; \
	echo "Redis answers on 127.0.0.1:6379."
	@psql -h 127.0.0.1 -U postgres -d postgres -tAc \
		"SELECT 1 FROM pg_database WHERE datname = '$(LOCAL_DATABASE)'" | grep -q 1 \
		|| createdb -h 127.0.0.1 -U postgres $(LOCAL_DATABASE)

# The database's two roles (portal/ops/db_roles.py, README "Security"): ccportal_owner owns the schema and
# runs the migrations (and creates the test databases); ccportal_app, which the portal and the tests
# connect as, owns nothing and holds DML grants only. Created by the server's superuser, idempotently. A
# test database left by an earlier run is given to the owner, which drops it for a fresh one.
DATABASE_SUPERUSER_URL ?= postgres://postgres@127.0.0.1:5432/postgres

db-roles: install services
	@DATABASE_SUPERUSER_URL=$(DATABASE_SUPERUSER_URL) $(MANAGE_TEST) db_roles \
		--adopt "$${TEST_DATABASE_NAME:-test_ccportal}"

# --- Running the portal -----------------------------------------------------------------------------

# The database and broker this machine has, into var/local.env (the local settings read it): DATABASE_URL,
# else PostgreSQL on 127.0.0.1:5432, else the embedded one (started here, left running); tasks run eagerly
# without Redis (said here, once).
local-services: install
	@$(PY) -m portal.ops.local_services

migrate: install local-services
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

# Compiles the .po catalogues once there are any (the project's own, not those in the venv).
messages: install
	@if find . -path ./$(VENV) -prune -o -name '*.po' -print | grep -q .; then \
		$(MANAGE_TEST) compilemessages --ignore=$(VENV) --verbosity 0 && echo "Messages compiled."; \
	else \
		echo "No translation catalogues (.po) yet: nothing to compile."; \
	fi

# The web server in the foreground; a Celery worker and beat in the background when Redis answers,
# stopped with it. Without Redis the settings run tasks eagerly (and say so once).
run: demo messages
	@celery_pids=""; \
	trap 'test -n "$$celery_pids" && kill $$celery_pids 2>/dev/null; wait' EXIT; \
	if (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then \
		mkdir -p var/log; \
		DJANGO_SETTINGS_MODULE=$(LOCAL_SETTINGS) $(BIN)/celery -A portal worker \
			-Q notifications,exports,default --concurrency 2 -l info >var/log/celery-worker.log 2>&1 & \
		celery_pids="$$!"; \
		DJANGO_SETTINGS_MODULE=$(LOCAL_SETTINGS) $(BIN)/celery -A portal beat \
			-l info >var/log/celery-beat.log 2>&1 & \
		celery_pids="$$celery_pids $$!"; \
		echo "Celery worker and beat started (logs in var/log/celery-*.log)."; \
	fi; \
	echo; \
	echo "  The portal: http://127.0.0.1:$(PORT)/"; \
	echo "  Demo users (password $(DEMO_PASSWORD)): $(DEMO_USERS)"; \
	echo; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# --- Checks -----------------------------------------------------------------------------------------

test: system-deps install services db-roles messages lint typecheck security migrations-check compose-check pytest

ci: test

# lint-imports: the import-linter contracts in pyproject.toml (the parts of workprogrammes and their order,
# docs/architecture.md).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy .

migrations-check: install
	$(MANAGE_TEST) makemigrations --check --dry-run

# Static security analysis: bandit must find no high-severity issue in the portal's code.
security: install
	$(BIN)/bandit -r portal partners operations workprogrammes -lll -q
	@echo "bandit: no high-severity issue."

# A dump of the database (DATABASE_URL, default the local ccportal) into var/backups/, pg_dump's
# custom format. `make restore DUMP=var/backups/<file>.dump DB=<name>` restores it into a new database,
# then holds the e-mails the dump recorded as pending (some may have gone out after the dump): an
# administrator releases or discards them (manage.py restored_deliveries, or the admin).
backup:
	@bin/backup.sh

restore:
	@if [ -z "$(DUMP)" ] || [ -z "$(DB)" ]; then \
		echo "usage: make restore DUMP=var/backups/<file>.dump DB=<new database name>"; exit 2; \
	fi
	@bin/restore.sh "$(DUMP)" "$(DB)"
	@server="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ccportal}"; \
	DATABASE_URL="$${server%/*}/$(DB)" $(MANAGE) restored_deliveries hold

# Validated against .env.example, which must name every variable the compose file requires.
compose-check:
	docker-compose --env-file .env.example config -q
	@echo "docker-compose.yml is valid."

# --create-db: a test database reused from an earlier run must never hide a migration problem. The owner
# creates and migrates it; the tests connect as the application role (tests/conftest.py).
# The suite runs in TEST_PROCESSES parallel processes (pytest-xdist); most of its time is spent waiting on
# PostgreSQL, Chromium and worker processes, so more processes than cores still shortens it.
TEST_PROCESSES ?= 4

pytest: install db-roles
	$(BIN)/pytest --create-db -n $(TEST_PROCESSES) --dist loadgroup

bench-deps:
	@$(MAKE) --no-print-directory system-deps SYSTEM_PACKAGES="$(BENCH_PACKAGES)"

# Every bench/*.py except helpers whose name starts with "_" and profile_page.py (a tool run by hand on
# the URLs it is given); benchmarks are not part of `make test`.
# bench/run.py builds its scale database with bench/generate when it is missing or used up.
bench: install services bench-deps
	@shopt -s nullglob; ran=0; \
	for script in bench/*.py; do \
		case "$$(basename "$$script")" in _*|profile_page.py) continue;; esac; \
		echo "== $$script"; PYTHONPATH=. $(PY) "$$script" || exit 1; ran=$$((ran + 1)); \
	done; \
	if [ "$$ran" = 0 ]; then echo "No benchmarks in bench/ yet."; fi

# Removes caches and build output, and the virtualenv; keeps var/pgdata (the embedded local database).
clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-output var/staticfiles var/test-media var/log
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# Every page at 1280 and 390 px, in English and French, into test-output/screenshots/<language>-<width>/
# (tests/e2e/test_screenshots.py: each page must fit its width and pass axe). Needs Chromium.
screenshots: install services messages
	$(BIN)/pytest -p no:cacheprovider -q tests/e2e/test_screenshots.py
