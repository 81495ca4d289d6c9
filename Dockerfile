# The portal's image: one image for web (gunicorn), worker and beat (celery) and the migrate job.
#   base:    Python 3.11 and the shared libraries the portal loads (WeasyPrint: Pango, HarfBuzz, a font)
#   deps:    the runtime dependencies, pinned by requirements.lock, in a virtualenv
#   assets:  the code with collected static files and compiled translations (needs gettext)
#   runtime: the virtualenv and the prepared code, run as an unprivileged user, with no build tools
# Build with `docker-compose build` (or `docker build -t ccportal .`); every layer can be pushed to a registry:
# nothing in it is secret.
# No secret is baked in: SECRET_KEY and the database and broker URLs come from the environment at run time.

FROM python:3.11-slim-bookworm AS base

RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1


FROM base AS deps

RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install uv==0.13.9

# Only the runtime dependencies of pyproject.toml, each at the version pinned in requirements.lock.
COPY pyproject.toml requirements.lock /build/
RUN UV_NO_CACHE=1 /opt/venv/bin/uv pip install --python /opt/venv/bin/python \
        -r /build/pyproject.toml --constraint /build/requirements.lock \
    && /opt/venv/bin/pip uninstall --yes uv


FROM deps AS assets

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . /app

# The production settings require a key; this throwaway value lives only in this step's environment,
# never in an image's configuration, and the stage itself is discarded.
RUN export SECRET_KEY=collectstatic-build-only ALLOWED_HOSTS=localhost \
        DJANGO_SETTINGS_MODULE=portal.settings.production STATIC_ROOT=/app/staticfiles \
    && /opt/venv/bin/python manage.py collectstatic --noinput --verbosity 0 \
    && /opt/venv/bin/python manage.py compilemessages --ignore=staticfiles --verbosity 0


FROM base AS runtime

ENV PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /app --no-create-home portal

COPY --from=deps /opt/venv /opt/venv
COPY --from=assets /app /app
RUN mkdir -p /app/media && chown portal:portal /app/media

USER portal
WORKDIR /app
EXPOSE 8000

# The web tier by default; docker-compose.yml gives workers, beat and migrate their own commands. No
# HEALTHCHECK here for the same reason: each service has its own (web: /healthz; workers: heartbeat).
CMD ["gunicorn", "--config", "python:portal.ops.gunicorn_conf", "portal.wsgi:application"]
