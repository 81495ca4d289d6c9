"""The API: authentication, throttling, tokens and the schema."""

from .environment import env

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
