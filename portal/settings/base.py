"""Settings shared by every environment; everything that varies is read from the environment."""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from django_guid.integrations import CeleryIntegration

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "django_guid",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "portal.core",
    "portal.accounts",
    "portal.audit",
    "portal.security",
    "portal.api",
    "partners",
    "operations",
    "workprogrammes",
    "portal.notifications",
    "portal.reports",
    "portal.ops",
    "portal.demo",
]

MIDDLEWARE = [
    # First: the request id is on every log line and every task of the request (django-guid; an incoming
    # id that does not look like one is dropped first, portal/ops/request_id.py).
    "portal.ops.request_id.RequestIdScreenMiddleware",
    "django_guid.middleware.guid_middleware",
    # Before the host check and the HTTPS redirect: load balancers probe by address over plain HTTP.
    "portal.ops.middleware.ProbeMiddleware",
    "portal.ops.middleware.RequestMetricsMiddleware",
    # A GET or HEAD whose database connection dropped in the middle is run once more (portal/ops).
    "portal.ops.unavailable.DatabaseRetryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.security.middleware.RefusedAccessLogMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Before any view reads the address: a NUL character (%00) in the path or query is a 400 with a reason.
    "portal.security.bad_input.NulCharacterRefusalMiddleware",
    "portal.security.middleware.SessionLimitsMiddleware",
    # Every view needs a signed-in user unless marked @login_not_required: the sign-in page, the language
    # switch, /healthz, /readyz, /metrics (it answers 401/403 itself), the calendar feed (its secret token is
    # the credential) and the API (DRF's views authenticate themselves and answer 401/403).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "portal.security.middleware.TwoFactorRequiredMiddleware",
    "portal.accounts.middleware.PreferredLanguageMiddleware",
    "portal.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Around the view only: an API write and its answer in one transaction, Idempotency-Key (portal/api).
    "portal.api.idempotency.ApiWriteMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

# Form widgets are rendered by the project's template engine, so templates/django/forms/ can refine them.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.core.context_processors.portal",
            ],
        },
    }
]

# The application's connection: a PostgreSQL role that owns nothing and holds DML grants only (it cannot
# change the audit trail or disable its triggers). The migrations run as the owner of the schema,
# DATABASE_OWNER_URL (portal/ops/db_roles.py; `manage.py db_roles` creates both roles).
DATABASES = {"default": env.db("DATABASE_URL", default="postgres:///root")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASE_OWNER: dict = env.db("DATABASE_OWNER_URL") if env("DATABASE_OWNER_URL", default="") else {}
# The role the owner grants DML to after every migrate (DATABASE_URL's user).
DATABASE_APP_USER = DATABASES["default"].get("USER", "")
# A superuser's URL, used only by `manage.py db_roles` to create the two roles.
DATABASE_SUPERUSER_URL = env("DATABASE_SUPERUSER_URL", default="")
# A database host that does not answer fails the connection after this long (libpq's connect_timeout);
# while the database cannot be reached, requests are answered 503 with this Retry-After
# (portal/ops/unavailable.py).
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT_SECONDS", default=5)
)
DATABASE_RETRY_AFTER_SECONDS = env.int("DATABASE_RETRY_AFTER_SECONDS", default=30)


def replica_database(primary: dict, url: str) -> dict:
    """The "replica" alias: the server of `url`, or the primary itself when there is none (in the
    tests always a mirror of the test database). portal/ops/db.py routes to it."""
    replica = env.db_url_config(url) if url else dict(primary)
    for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "ATOMIC_REQUESTS"):
        replica.setdefault(key, primary.get(key))
    replica["TEST"] = {"MIRROR": "default"}
    return replica


# A streaming replica of the primary for the read-heavy report queries (optional).
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
DATABASES["replica"] = replica_database(DATABASES["default"], DATABASE_REPLICA_URL)
DATABASE_ROUTERS = ["portal.ops.db.PrimaryReplicaRouter"]
# The alias report queries read from: the replica only when it is a server of its own.
REPORTS_DATABASE = "replica" if DATABASE_REPLICA_URL else "default"
# The connections /readyz checks.
HEALTH_CHECK_DATABASES = ["default", "replica"] if DATABASE_REPLICA_URL else ["default"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule on the password: whichever way a password changes, the account's API tokens are revoked.
    {"NAME": "portal.accounts.passwords.PasswordChangeRevokesApiTokens"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account before any password is checked (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "fr")
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates day-first in English ("27 Nov 2026"); French keeps Django's own ("27 novembre 2026").
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media-not-served/"
STORAGES: dict[str, dict] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads and export files: the file system under MEDIA_ROOT (one host, or a shared volume), or an S3
# bucket (several web and worker hosts). boto3 finds the keys itself (AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY in the environment, or the host's role); files are private and never public.
STORAGE_BACKEND = env("STORAGE_BACKEND", default="filesystem")
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "region_name": env("AWS_S3_REGION_NAME", default="") or None,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "location": env("AWS_LOCATION", default=""),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }
elif STORAGE_BACKEND != "filesystem":
    raise ValueError(f"STORAGE_BACKEND must be filesystem or s3, not {STORAGE_BACKEND!r}.")

SESSION_COOKIE_HTTPONLY = True
# Sessions: a new key at sign-in (Django) and after the second factor; ended after 30 minutes without
# a request of the user's own, and 12 hours after signing in whatever happens (portal/security).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
# The idle time is counted to this resolution: a session is saved at most this often by requests.
SESSION_ACTIVITY_RESOLUTION_SECONDS = 60
# Requests a page makes by itself do not count as activity (SessionLimitsMiddleware saves the session
# on every other request, which is SESSION_SAVE_EVERY_REQUEST without the bell's poll).
SESSION_BACKGROUND_URL_NAMES = ("notifications:bell", "api:notification-unread-count")
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Sign-in lockout (django-axes, portal/security/lockout.py): the 5th wrong password for one username from
# one address locks that pair for AXES_COOLOFF_TIME; an address alone is locked after a higher count,
# whatever the usernames. An administrator unlocks sooner by deleting the "access attempts" in the admin.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=30)
AXES_HANDLER = "portal.security.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "portal.security.client.client_ip"
# Reverse proxies in front of the portal whose X-Forwarded-For entries are trusted (0: none, use the
# connection's address). Used by the lockout and the audit trail. MANDATORY behind a reverse proxy or
# load balancer: with 0 there, every client has the proxy's address, so the per-address lockout stops
# everyone at once and the audit trail records the proxy.
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout do not lengthen it: the time the page gives is the time it takes.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "portal.security.lockout.lockout_response"

# Two-factor sign-in (django-otp, TOTP) for these roles; an empty list turns the requirement off
# (e.g. OTP_REQUIRED_ROLES= in .env for a quick local demo). Keep it on everywhere else.
OTP_REQUIRED_ROLES = env.list(
    "OTP_REQUIRED_ROLES", default=["reviewer", "council_secretary", "administrator"]
)
OTP_TOTP_ISSUER = "Contact Country Portal"

# Content Security Policy (django-csp): no inline script or style anywhere. Vendor pages with fixed
# inline blocks (admin, API documentation) allow exactly those by hash (portal/security/csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Contact Country Portal <portal@localhost>")
# Seconds the mail server has to answer each step of a send (the connection, each command): a server
# that accepts the connection and never answers fails the attempt after this long, and it is retried.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# E-mails sent by one task over one connection to the mail server.
EMAIL_BATCH_SIZE = env.int("EMAIL_BATCH_SIZE", default=50)

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
# The cache (the API throttle's counts): in each process by default; CACHE_URL=redis://... shares it
# between processes and hosts, so that a user's limit holds across every web instance.
# A Redis cache fails open (portal/ops/cache.py): each command waits at most this long to connect and
# to read, a failure is a miss, and the cache is then skipped for CACHE_PAUSE_SECONDS in that process.
CACHE_SOCKET_TIMEOUT_SECONDS = env.float("CACHE_SOCKET_TIMEOUT_SECONDS", default=0.25)
CACHE_PAUSE_SECONDS = env.float("CACHE_PAUSE_SECONDS", default=10.0)


def fail_open_cache(config: dict) -> dict:
    """The cache of CACHE_URL; a Redis one fails open, with short socket timeouts."""
    if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        config["BACKEND"] = "portal.ops.cache.FailOpenRedisCache"
        config.setdefault("OPTIONS", {}).update(
            socket_connect_timeout=CACHE_SOCKET_TIMEOUT_SECONDS, socket_timeout=CACHE_SOCKET_TIMEOUT_SECONDS
        )
    return config


CACHES = {"default": fail_open_cache(env.cache("CACHE_URL", default="locmemcache://"))}
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
# The queues the workers consume (docker-compose.yml, make run): each task is routed to one of them.
CELERY_QUEUE_NAMES = ("notifications", "exports", "default")
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Workers keep their database connection from task to task (Celery closes it after each task
# otherwise: a new PostgreSQL connection per e-mail); it is renewed every 2 x CELERY_DB_REUSE_MAX tasks.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=500)
# Every connection to the broker, in web processes, workers and beat, gives up on a Redis that does not
# answer: BROKER_SOCKET_TIMEOUT_SECONDS for each command (longer than the workers' 1 s BRPOP), the
# connection timeout to connect. Without a socket timeout a publish to a frozen Redis (a task queuing
# another, Celery's own retries, beat) waits for ever. Publishes that fail are tried once more after a
# second (CELERY_TASK_PUBLISH_RETRY_POLICY), then raise: about 15 s in all on a frozen Redis. The
# portal's own publishes (portal/ops/broker.py) have shorter timeouts still and leave the work to the
# sweeps.
BROKER_SOCKET_TIMEOUT_SECONDS = env.float("BROKER_SOCKET_TIMEOUT_SECONDS", default=5.0)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2 * 60 * 60,
    "socket_timeout": BROKER_SOCKET_TIMEOUT_SECONDS,
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 1,
    "interval_max": 1,
}
# Every task is interrupted after the soft limit (SoftTimeLimitExceeded: it records where it stopped)
# and its process killed after the hard one, so a hung neighbour cannot hold a worker for ever. The
# exports have limits of their own (EXPORT_TASK_*).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=45)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=60)
# A task that failed on the database or the broker is retried with backoff (1, 2, 4 ... s, at most
# this many seconds apart) rather than dropped.
TASK_RETRY_BACKOFF_MAX_SECONDS = env.int("TASK_RETRY_BACKOFF_MAX_SECONDS", default=60)
# A published event not processed, or a queued e-mail not taken up, this many seconds after it was due
# has lost its task (a broker restart, a killed worker): the outbox sweep publishes it again.
TASK_LOST_AFTER_SECONDS = env.int("TASK_LOST_AFTER_SECONDS", default=30)
# How often beat runs the outbox sweep.
OUTBOX_SWEEP_SECONDS = env.int("OUTBOX_SWEEP_SECONDS", default=15)
# /readyz reports the notification queue as stuck when an event or an e-mail has waited this long.
QUEUE_STUCK_AFTER_SECONDS = env.int("QUEUE_STUCK_AFTER_SECONDS", default=120)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Synced into django-celery-beat's periodic tasks when beat starts.
CELERY_BEAT_SCHEDULE = {
    "notifications-outbox-sweep": {
        "task": "portal.notifications.tasks.outbox_sweep",
        "schedule": float(OUTBOX_SWEEP_SECONDS),
    },
    "notifications-reminders": {
        "task": "portal.notifications.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "notifications-digests": {
        "task": "portal.notifications.tasks.send_digests",
        "schedule": crontab(hour=7, minute=30),
    },
    "reports-expire-exports": {"task": "portal.reports.tasks.exports_expire", "schedule": crontab(minute=15)},
    "reports-requeue-exports": {"task": "portal.reports.tasks.exports_requeue", "schedule": 300.0},
    "api-idempotency-keys-expire": {"task": "portal.api.tasks.idempotency_keys_expire", "schedule": 3600.0},
    "workprogrammes-silence-expiry": {
        "task": "workprogrammes.silence_expire_due",
        "schedule": crontab(minute="*/15"),
    },
}

# Notifications: review service level, escalation after a further delay, council meeting reminder.
REVIEW_SERVICE_LEVEL_DAYS = env.int("REVIEW_SERVICE_LEVEL_DAYS", default=10)
ESCALATION_DAYS = env.int("ESCALATION_DAYS", default=5)
COUNCIL_REMINDER_DAYS = env.int("COUNCIL_REMINDER_DAYS", default=3)

# The API: session (browser) or per-user token; errors in one body; per-user throttling.
API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="3000/hour")
# Hours the answer to a POST sent with an Idempotency-Key is kept for its retries (portal/api).
IDEMPOTENCY_KEY_HOURS = env.int("IDEMPOTENCY_KEY_HOURS", default=24)
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.PortalAutoSchema",
    # Token first, so that an anonymous request is answered 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.api.authentication.PortalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["portal.api.permissions.HasPortalRole"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.PagePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["portal.api.throttling.PortalUserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": API_THROTTLE_RATE},
    "EXCEPTION_HANDLER": "portal.api.exceptions.exception_handler",
    # JSON for programs; the browsable API for a signed-in person's browser (it asks for HTML).
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "portal.api.parsers.PortalJSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Tokens are named and stored as digests (portal.api.models.ApiToken); their expiry is chosen per token.
KNOX_TOKEN_MODEL = "api.ApiToken"  # noqa: S105  (a model label, not a secret)
# knox's own migrations create its default token table even though the model is swapped for ours; that
# orphan table references users and would block the test database's flush, so knox is left unmigrated.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {"TOKEN_TTL": None, "AUTH_HEADER_PREFIX": "Token", "AUTO_REFRESH": False}
SPECTACULAR_SETTINGS = {
    "TITLE": "Contact Country Cooperation Portal API",
    "DESCRIPTION": (
        "Everything the portal's pages do, for programs: partners, operations and contributions, the "
        "activity catalogue, work programmes, inclusion requests and their workflow, the North Atlantic "
        "Council's decisions, and notifications. It applies the same rules as the pages.\n\n"
        "**Authentication**: a session cookie (browser), or a personal token created on the account's "
        "API tokens page, sent as `Authorization: Token <token>`. A revoked or expired token, or one of a "
        "deactivated user, is refused (401).\n\n"
        '**Errors** always have the body `{"error": {"code", "message", "fields"}}`: 400 with '
        "`fields` for invalid input (a field the operation does not accept is refused with a reason, "
        "never ignored; a request's `status` changes only through its workflow actions), 401, 403, 404 "
        "(also for records you may not see), 409 for a workflow action the record's current state does "
        "not allow, 412 when an `If-Match` header no longer matches, 428 when a workflow action comes "
        "without one, 429 when throttled.\n\n"
        "**Retrying safely**: every write and its answer are one transaction, so an error answer means "
        "nothing was saved. A POST (a create or a workflow action) may send an `Idempotency-Key` header "
        "(e.g. a new UUID per operation): the first successful answer is kept for a day, and a retry "
        "with the same key gets it again (header `Idempotent-Replayed: true`) instead of writing twice; "
        "the same key with another request is refused with 422. While the database cannot be reached "
        "the answer is 503 with `Retry-After`.\n\n"
        "**Versions**: detail responses carry a strong `ETag`. Workflow actions (a request's transitions, "
        "the Council's decision, rescheduling, programme and activity steps) require `If-Match` with "
        "the ETag of your last GET: "
        "without it, or with `*` or a weak tag, the answer is 428; when stale, 412; nothing changes in "
        "either case. The writes on a Council meeting's agenda (agenda, decision sheet, silence) require "
        "the ETag of the meeting (`GET /council/meetings/{id}/`) the same way. On updates `If-Match` is "
        "optional; when sent, a weak tag is a 428 and a stale one a 412.\n\n"
        "**Pages**: large collections (activities, contributions, requests, notifications) use cursor "
        "pagination (`next`/`previous` links); the others numbered pages with `count`. `page_size` "
        "goes up to 200.\n\n"
        "**Languages**: `Accept-Language: fr` gives French messages and bilingual fields (`name` in the "
        "request's language, with `name_en` and `name_fr` beside it)."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Several models have a `status` or `kind`: name each enum after its choices class.
    "ENUM_NAME_OVERRIDES": {
        "PartnerStatusEnum": "partners.models.PartnerStatus",
        "PartnerEngagementLevelEnum": "partners.models.PartnerEngagementLevel",
        "PartnershipFrameworkKindEnum": "partners.models.PartnershipFrameworkKind",
        "MilestoneKindEnum": "partners.models.MilestoneKind",
        "DialogueMeetingKindEnum": "partners.models.DialogueMeetingKind",
        "ContributionKindEnum": "operations.models.ContributionKind",
        "CatalogueItemKindEnum": "workprogrammes.catalogue.models.CatalogueItemKind",
        "WorkProgrammeKindEnum": "workprogrammes.programmes.models.WorkProgrammeKind",
        "WorkProgrammeStatusEnum": "workprogrammes.programmes.models.WorkProgrammeStatus",
        "ProgrammeActivityStatusEnum": "workprogrammes.programmes.models.ProgrammeActivityStatus",
        "MarkingEnum": "portal.core.models.Marking",
        "InclusionRequestStatusEnum": "workprogrammes.requests.models.InclusionRequestStatus",
        "CommentVisibilityEnum": "workprogrammes.requests.models.CommentVisibility",
        "CouncilMeetingKindEnum": "workprogrammes.council.models.CouncilMeetingKind",
        "CouncilMeetingStatusEnum": "workprogrammes.council.models.CouncilMeetingStatus",
        "AgendaItemStatusEnum": "workprogrammes.council.models.AgendaItemStatus",
        "CouncilDecisionOutcomeEnum": "workprogrammes.council.models.CouncilDecisionOutcome",
        "NotificationModeEnum": "portal.notifications.models.NotificationMode",
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
}

PGHISTORY_ADMIN_MODEL = "pghistory.MiddlewareEvents"
# Every history event table refuses UPDATE and DELETE, whoever sends them: pghistory declares a pgtrigger
# Protect trigger ("append_only") in each event model's Meta, installed by the migrations.
PGHISTORY_APPEND_ONLY = True

# The request id (django-guid, portal/ops/request_id.py): a load balancer's X-Request-ID or a new one,
# returned in the response and carried in the headers of the tasks the request queues.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": False,  # a load balancer's id is kept, once screened (RequestIdScreenMiddleware)
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
    "INTEGRATIONS": [CeleryIntegration()],
}

# Logs: one JSON object a line (LOG_FORMAT=json, the default) or plain text (LOG_FORMAT=plain), each
# record with the request id and, in a Celery task, the task's name and id.
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "filters": {
        "request_id": {"()": "django_guid.log_filters.CorrelationId", "correlation_id_field": "request_id"},
        "task": {"()": "portal.ops.request_id.TaskLogFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "task"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # django-guid reports at INFO, for every request and task, where it took the id from.
        "django_guid": {"level": "WARNING"},
        # WeasyPrint and fontTools report every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Markings: the clearance a user needs to see a record, and the banner shown with it.
DEFAULT_MARKING = "NU"

# Reports: exports of more rows than this are prepared by a Celery job (queue "exports") rather than
# downloaded at once; their files are deleted after the TTL (the record of the export stays).
CELERY_TASK_ROUTES = {
    "portal.notifications.tasks.*": {"queue": "notifications"},
    "portal.reports.tasks.*": {"queue": "exports"},
}
EXPORT_ASYNC_THRESHOLD_ROWS = env.int("EXPORT_ASYNC_THRESHOLD_ROWS", default=20000)
EXPORT_FILE_TTL_HOURS = env.int("EXPORT_FILE_TTL_HOURS", default=72)
# Time limits of one background export (soft, then hard), in seconds.
EXPORT_TASK_SOFT_TIME_LIMIT = env.int("EXPORT_TASK_SOFT_TIME_LIMIT", default=30 * 60)
EXPORT_TASK_TIME_LIMIT = env.int("EXPORT_TASK_TIME_LIMIT", default=35 * 60)

# Inclusion requests: the largest attachment accepted (bytes).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)

# Operations (portal/ops): the workers' heartbeat in Redis, which /readyz and the metrics read; the token
# Prometheus sends to /metrics (staff can read it signed in); counters kept in Redis for the installation.
# A worker killed outright is reported by /readyz at most WORKER_HEARTBEAT_MAX_AGE_SECONDS after its
# last heartbeat.
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=5)
WORKER_HEARTBEAT_MAX_AGE_SECONDS = env.int("WORKER_HEARTBEAT_MAX_AGE_SECONDS", default=15)
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_SHARED_COUNTERS = env.bool("METRICS_SHARED_COUNTERS", default=True)

# Errors to Sentry only when SENTRY_DSN is set.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from portal.ops.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default=""),
        release=env("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
