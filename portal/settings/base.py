"""Settings shared by every environment; everything that varies is read from the environment.

The core of Django here; the rest by subject, gathered at the end: security.py (sessions, sign-in, CSP),
tasks.py (e-mail, Redis, cache, Celery), api.py, ops.py (request ids, logs, metrics, Sentry).
"""

from django.utils.translation import gettext_lazy as _

from .environment import BASE_DIR, env

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
    "django_prometheus",
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
    # HTTP metrics (django-prometheus): every request past the probes, by route, method and status. Both
    # sit here, together, so that a response any later middleware gives (a redirect, a 400) is counted.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "portal.ops.middleware.HttpMetricsMiddleware",
    "portal.ops.middleware.AccessLogMiddleware",
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
    # Django's ModelBackend, reading a session's user with their roles in one query.
    "portal.accounts.backends.PortalModelBackend",
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

PGHISTORY_ADMIN_MODEL = "pghistory.MiddlewareEvents"
# Every history event table refuses UPDATE and DELETE, whoever sends them: pghistory declares a pgtrigger
# Protect trigger ("append_only") in each event model's Meta, installed by the migrations.
PGHISTORY_APPEND_ONLY = True

# Markings: the clearance a user needs to see a record, and the banner shown with it.
DEFAULT_MARKING = "NU"

# Inclusion requests: the largest attachment accepted (bytes).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)

from .api import *  # noqa: E402, F403
from .ops import *  # noqa: E402, F403
from .security import *  # noqa: E402, F403
from .tasks import *  # noqa: E402, F403

# Beat's schedules (tasks.py) in the portal's time.
CELERY_TIMEZONE = TIME_ZONE
