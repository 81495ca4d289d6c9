"""The models of the work programmes app, gathered from its four parts so that Django registers them.

Each part defines its own: catalogue/models.py (the activity catalogue), programmes/models.py (annual
programmes and their activities), requests/models.py (inclusion requests and their workflow records) and
council/models.py (North Atlantic Council meetings, agendas and decisions). Code in the parts imports from
the part's own module; this one is for Django, the history tracking and code outside the app.
"""

from .catalogue.models import (
    CatalogueImport,
    CatalogueImportStatus,
    CatalogueItem,
    CatalogueItemDelivery,
    CatalogueItemKind,
)
from .council.models import (
    AgendaItem,
    AgendaItemStatus,
    CouncilDecision,
    CouncilDecisionOutcome,
    CouncilMeeting,
    CouncilMeetingKind,
    CouncilMeetingStatus,
)
from .programmes.models import (
    ActivityOutcome,
    Objective,
    ProgrammeActivity,
    ProgrammeActivityStatus,
    ProgrammeAmendment,
    ProgrammeStatusChange,
    WorkProgramme,
    WorkProgrammeKind,
    WorkProgrammeStatus,
)
from .requests.discussion_models import (
    Attachment,
    Comment,
    # The migrations name the attachments' upload path by this module (workprogrammes.models).
    attachment_upload_to,
)
from .requests.models import (
    CommentVisibility,
    InclusionRequest,
    InclusionRequestStatus,
    RequestRevision,
    StatusChange,
)

__all__ = [
    "HISTORY_TRACKED",
    "ActivityOutcome",
    "AgendaItem",
    "AgendaItemStatus",
    "Attachment",
    "CatalogueImport",
    "CatalogueImportStatus",
    "CatalogueItem",
    "CatalogueItemDelivery",
    "CatalogueItemKind",
    "Comment",
    "CommentVisibility",
    "CouncilDecision",
    "CouncilDecisionOutcome",
    "CouncilMeeting",
    "CouncilMeetingKind",
    "CouncilMeetingStatus",
    "InclusionRequest",
    "InclusionRequestStatus",
    "Objective",
    "ProgrammeActivity",
    "ProgrammeActivityStatus",
    "ProgrammeAmendment",
    "ProgrammeStatusChange",
    "RequestRevision",
    "StatusChange",
    "WorkProgramme",
    "WorkProgrammeKind",
    "WorkProgrammeStatus",
    "attachment_upload_to",
]

# The models whose every change is kept (portal/core/history.py; apps.py registers them).
HISTORY_TRACKED = (
    CatalogueItem,
    WorkProgramme,
    ProgrammeActivity,
    InclusionRequest,
    RequestRevision,
    StatusChange,
    Comment,
    Attachment,
    CouncilMeeting,
    AgendaItem,
    CouncilDecision,
    ProgrammeStatusChange,
    ProgrammeAmendment,
    ActivityOutcome,
    CatalogueImport,
)
