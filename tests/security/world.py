"""One small world for the access-control tests: a user per role, two desks, and one record of every kind
a URL can name, each on the first desk's partner (JP) unless said otherwise."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.accounts.models import Delegation, Role, User
from portal.api.services import api_token_create
from portal.core.models import Marking
from portal.notifications.models import Event, Notification
from portal.reports.models import CalendarFeed, ExportJob
from tests.factories import (
    CatalogueItemFactory,
    DeskFactory,
    MilestoneFactory,
    OperationFactory,
    PartnerFactory,
    ProgrammeActivityFactory,
    UserFactory,
    WorkProgrammeFactory,
)
from tests.workprogrammes.request_factories import (
    AgendaItemFactory,
    CouncilMeetingFactory,
    InclusionRequestFactory,
)
from workprogrammes.catalogue.models import CatalogueImport
from workprogrammes.requests import services as workflow_services

ROLES = (
    "anonymous",
    "viewer",
    "officer",
    "other_officer",
    "reviewer",
    "secretary",
    "analyst",
    "administrator",
)

# A small but real PDF: attachments are checked by their bytes.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/MediaBox[0 0 10 10]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class World:
    users: dict[str, User | None]
    objects: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def build_world(*, marking: int = Marking.NATO_UNCLASSIFIED) -> World:
    """Users of every role and the records the routes name; `marking` marks the records that carry one."""
    partner = PartnerFactory(iso_code="JP", name_en="Japan", name_fr="Japon")
    other_partner = PartnerFactory(iso_code="CL", name_en="Chile", name_fr="Chili")
    users: dict[str, User | None] = {
        "anonymous": None,
        "viewer": UserFactory(username="m_viewer", roles=[Role.VIEWER]),
        "officer": UserFactory(username="m_officer", roles=[Role.OFFICER]),
        "other_officer": UserFactory(username="m_other_officer", roles=[Role.OFFICER]),
        "reviewer": UserFactory(username="m_reviewer", roles=[Role.REVIEWER]),
        "secretary": UserFactory(username="m_secretary", roles=[Role.COUNCIL_SECRETARY]),
        "analyst": UserFactory(username="m_analyst", roles=[Role.ANALYST]),
        "administrator": UserFactory(username="m_administrator", roles=[Role.ADMINISTRATOR], is_staff=True),
    }
    officer, administrator = users["officer"], users["administrator"]
    assert officer is not None and administrator is not None
    desk = DeskFactory(code="m-asia", partners=[partner], members=[officer])
    DeskFactory(code="m-latam", partners=[other_partner], members=[users["other_officer"]])

    operation = OperationFactory(code="isaf")
    item = CatalogueItemFactory(needs_council_decision=True)
    programme = WorkProgrammeFactory(partner=partner, year=2027, marking=marking)
    activity = ProgrammeActivityFactory(programme=programme, catalogue_item=item, marking=marking)
    milestone = MilestoneFactory(partner=partner)
    request = InclusionRequestFactory(
        partner=partner,
        desk=desk,
        catalogue_item=item,
        requested_by=officer,
        submitted_by=officer,
        status="submitted",
        marking=marking,
    )
    attachment = workflow_services.attachment_add(
        actor=officer,
        request=request,
        upload=SimpleUploadedFile("note.pdf", PDF_BYTES, content_type="application/pdf"),
        marking=marking,
    )
    meeting = CouncilMeetingFactory(date=datetime.date(2027, 1, 20))
    agenda_item = AgendaItemFactory(
        meeting=meeting,
        request=InclusionRequestFactory(
            partner=partner, desk=desk, requested_by=officer, status="awaiting_council", marking=marking
        ),
    )
    event = Event.objects.create(
        kind="request.submitted",
        target_type=ContentType.objects.get_for_model(request),
        target_id=request.pk,
        actor=officer,
    )
    notification = Notification.objects.create(
        recipient=officer, event=event, kind="request.submitted", text="Submitted", url="/requests/"
    )
    delegation = Delegation.objects.create(
        principal=officer,
        delegate=users["viewer"],
        start_date=timezone.localdate(),
        end_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    token, _text = api_token_create(user=officer, name="script", expires_in_days=None)
    export_job = ExportJob.objects.create(user=users["analyst"], report="contributions", format="csv")
    feed = CalendarFeed.objects.create(user=users["viewer"])
    catalogue_import = CatalogueImport.objects.create(
        file_name="menu.csv", sha256="0" * 64, uploaded_by=administrator
    )
    return World(
        users=users,
        objects={
            "partner": partner,
            "other_partner": other_partner,
            "operation": operation,
            "item": item,
            "programme": programme,
            "activity": activity,
            "milestone": milestone,
            "request": request,
            "attachment": attachment,
            "meeting": meeting,
            "agenda_item": agenda_item,
            "notification": notification,
            "delegation": delegation,
            "token": token,
            "export_job": export_job,
            "feed": feed,
            "catalogue_import": catalogue_import,
        },
    )
