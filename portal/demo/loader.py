"""Load the demo data set: one function per area, each idempotent.

Every row is found by its natural key and written only when a value differs, so a second run changes
nothing: no new rows, no updates, and no new history events. The inclusion requests and council
meetings (requests.py) go through the workflow services instead: each is created once and then left
as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pghistory
from django.db import transaction
from django.db.models import Max
from django.utils import translation

from operations.models import Contribution, Operation
from partners.models import (
    CooperationArea,
    DialogueMeeting,
    LiaisonArrangement,
    Milestone,
    Partner,
    PartnershipFramework,
    Region,
)
from portal.accounts.models import Desk, User
from portal.accounts.services import roles_ensure, user_create
from portal.notifications.fan_out import event_fan_out
from portal.notifications.models import Delivery, Event
from workprogrammes.catalogue.models import CatalogueItem

from .catalogue import (
    AUDIENCE_CONTACT,
    AUDIENCE_PARTNERS,
    CATALOGUE,
    EXEMPTIONS,
    KIND_DESCRIPTIONS,
)
from .facts.contributions import CONTRIBUTIONS
from .facts.dialogue import (
    DIALOGUE,
    DIALOGUE_SUMMARY,
    DIALOGUE_SUMMARY_BEFORE_2008,
    dialogue_title,
)
from .facts.liaison import LIAISON
from .facts.milestones import MILESTONES
from .facts.operations import OPERATIONS
from .facts.partners import PARTNERS
from .facts.people import DEMO_PASSWORD, DESKS, USERS
from .facts.reference import AREAS, CONTACT_FRAMEWORK, FRAMEWORKS, REGIONS
from .programmes import load_outcomes, load_programmes
from .requests.load import load_requests
from .upsert import Tally, load_by_code, set_m2m, upsert


def load_regions(tally: Tally) -> dict[str, Region]:
    return load_by_code(Region, tally, REGIONS)


def load_frameworks(tally: Tally) -> dict[str, PartnershipFramework]:
    return load_by_code(PartnershipFramework, tally, FRAMEWORKS)


def load_areas(tally: Tally) -> dict[str, CooperationArea]:
    return load_by_code(CooperationArea, tally, AREAS)


def load_partners(
    tally: Tally,
    *,
    regions: dict[str, Region],
    frameworks: dict[str, PartnershipFramework],
    areas: dict[str, CooperationArea],
) -> dict[str, Partner]:
    partners: dict[str, Partner] = {}
    for row in PARTNERS:
        values = {
            "name_en": row["name_en"],
            "name_fr": row["name_fr"],
            "region": regions[row["region"]],
            "framework": frameworks[CONTACT_FRAMEWORK],
            "engagement_level": row["engagement_level"],
            "dialogue_since": row["dialogue_since"],
            "summary_en": row["summary_en"],
            "summary_fr": row["summary_fr"],
            "status": row["status"],
        }
        partner = upsert(Partner, tally, {"iso_code": row["iso_code"]}, values)
        set_m2m(partner.areas, [areas[code] for code in row["areas"]])
        partners[row["iso_code"]] = partner
    return partners


def load_operations(tally: Tally) -> dict[str, Operation]:
    return load_by_code(Operation, tally, OPERATIONS)


def load_contributions(
    tally: Tally, *, partners: dict[str, Partner], operations: dict[str, Operation]
) -> list[Contribution]:
    rows = []
    for row in CONTRIBUTIONS:
        lookup = {
            "partner": partners[row["partner"]],
            "operation": operations[row["operation"]],
            "kind": row["kind"],
            "period_start": row["period_start"],
        }
        defaults: dict[str, Any] = {
            "period_end": None,
            "personnel": None,
            "amount": None,
            "currency": "",
            "command_arrangement_en": "",
            "command_arrangement_fr": "",
            "decision_making_association_en": "",
            "decision_making_association_fr": "",
            "planned_through_icc": False,
        }
        values = defaults | {
            k: v for k, v in row.items() if k not in ("partner", "operation", "kind", "period_start")
        }
        rows.append(upsert(Contribution, tally, lookup, values))
    return rows


def load_liaison(
    tally: Tally, *, partners: dict[str, Partner], operations: dict[str, Operation]
) -> list[LiaisonArrangement]:
    rows = []
    for row in LIAISON:
        lookup = {"partner": partners[row["partner"]], "post": row["post"], "start_date": row["start_date"]}
        values = {
            "operation": operations[row["operation"]] if row["operation"] else None,
            "officers": row["officers"],
            "end_date": row["end_date"],
            "notes_en": row["notes_en"],
            "notes_fr": row["notes_fr"],
        }
        rows.append(upsert(LiaisonArrangement, tally, lookup, values))
    return rows


def load_milestones(tally: Tally, *, partners: dict[str, Partner]) -> list[Milestone]:
    rows = []
    for row in MILESTONES:
        lookup = {
            "partner": partners[row["partner"]] if row["partner"] else None,
            "kind": row["kind"],
            "date": row["date"],
        }
        values = {k: v for k, v in row.items() if k not in ("partner", "kind", "date")}
        rows.append(upsert(Milestone, tally, lookup, values))
    return rows


def load_dialogue(tally: Tally, *, partners: dict[str, Partner]) -> list[DialogueMeeting]:
    rows = []
    for iso_code, date, kind, location, titles in DIALOGUE:
        title_en, title_fr = titles or dialogue_title(kind, iso_code)
        summary_en, summary_fr = DIALOGUE_SUMMARY if date.year >= 2008 else DIALOGUE_SUMMARY_BEFORE_2008
        lookup = {"partner": partners[iso_code], "date": date, "kind": kind}
        values = {
            "title_en": title_en,
            "title_fr": title_fr,
            "location": location,
            "summary_en": summary_en,
            "summary_fr": summary_fr,
        }
        rows.append(upsert(DialogueMeeting, tally, lookup, values))
    return rows


def load_catalogue(tally: Tally, *, areas: dict[str, CooperationArea]) -> dict[str, CatalogueItem]:
    items: dict[str, CatalogueItem] = {}
    for item in CATALOGUE:
        kind_en, kind_fr = KIND_DESCRIPTIONS[item.kind]
        exemption_en, exemption_fr = EXEMPTIONS[item.exemption] if item.exemption else ("", "")
        values = {
            "title_en": item.title_en,
            "title_fr": item.title_fr,
            "description_en": f"{item.title_en}. {kind_en}",
            "description_fr": f"{item.title_fr}. {kind_fr}",
            "kind": item.kind,
            "area": areas[item.area],
            "needs_council_decision": item.exemption is None,
            "exemption_reason_en": exemption_en,
            "exemption_reason_fr": exemption_fr,
            "external_reference": item.external_reference,
            "institution": item.institution,
            "discipline": item.discipline,
            "level": item.level,
            "delivery": item.delivery,
            "duration_days": item.duration_days,
            "languages": list(item.languages),
            "active_from": datetime.date(item.active_from, 1, 1),
            "deactivated_on": datetime.date(item.deactivated_on, 12, 31) if item.deactivated_on else None,
            "marking": item.marking,
            "audience": AUDIENCE_PARTNERS if item.kind == "education" else AUDIENCE_CONTACT,
            "fee_eur": item.fee_eur,
        }
        items[item.code] = upsert(CatalogueItem, tally, {"code": item.code}, values)
    return items


@dataclass
class DemoLogin:
    username: str
    roles: list[str]
    created: bool


def load_desks_and_users(tally: Tally, *, partners: dict[str, Partner]) -> list[DemoLogin]:
    """The three desks and one user per role; existing users are left as they are (their password too)."""
    desks = {
        row["code"]: upsert(
            Desk, tally, {"code": row["code"]}, {"name_en": row["name_en"], "name_fr": row["name_fr"]}
        )
        for row in DESKS
    }
    logins = []
    for row in USERS:
        user = User.objects.filter(username=row["username"]).first()
        if user is None:
            user_desks = [desks[d["code"]] for d in DESKS if row["username"] in d["members"]]
            user = user_create(
                username=row["username"],
                email=f"{row['username']}@hq.nato.example",
                password=DEMO_PASSWORD,
                roles=row["roles"],
                desks=user_desks,
                clearance=row["clearance"],
                preferred_language=row["preferred_language"],
                first_name=row["first_name"],
                last_name=row["last_name"],
                is_staff=row.get("is_staff", False),
                is_superuser=row.get("is_superuser", False),
            )
            tally.record(User, created=True, updated=False)
            logins.append(DemoLogin(row["username"], row["roles"], created=True))
        else:
            logins.append(DemoLogin(row["username"], row["roles"], created=False))
    for row in DESKS:
        desk = desks[row["code"]]
        head = User.objects.get(username=row["head"])
        upsert(Desk, tally, {"code": row["code"]}, {"head": head})
        set_m2m(desk.partners, [partners[iso] for iso in row["partners"]])
        set_m2m(desk.members, list(User.objects.filter(username__in=row["members"])))
    return logins


@dataclass
class DemoResult:
    tally: Tally
    logins: list[DemoLogin]


def demo_load() -> DemoResult:
    """Load the whole demo data set in one transaction; running it again changes nothing."""
    tally = Tally()
    # Bilingual rows keep their original column in the default language: write with English active.
    with transaction.atomic(), translation.override("en"), pghistory.context(source="load_demo"):
        roles_ensure()
        regions = load_regions(tally)
        frameworks = load_frameworks(tally)
        areas = load_areas(tally)
        partners = load_partners(tally, regions=regions, frameworks=frameworks, areas=areas)
        operations = load_operations(tally)
        load_contributions(tally, partners=partners, operations=operations)
        load_liaison(tally, partners=partners, operations=operations)
        load_milestones(tally, partners=partners)
        load_dialogue(tally, partners=partners)
        catalogue = load_catalogue(tally, areas=areas)
        load_programmes(tally, partners=partners, catalogue=catalogue)
        logins = load_desks_and_users(tally, partners=partners)
        load_outcomes(tally)
        first_new_event = (Event.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
        load_requests(tally, partners=partners, catalogue=catalogue)
        demo_history_notify_quietly(first_event_id=first_new_event)
    return DemoResult(tally=tally, logins=logins)


def demo_history_notify_quietly(*, first_event_id: int) -> None:
    """The demo's past shows in the portal's notifications, but nobody is e-mailed about it.

    The requests' history is written through the services, which record an event per step: they are
    fanned out here (as a worker would) and their e-mails dropped, so that starting a worker after
    `load_demo` sends nothing about the past.
    """
    for event_id in Event.objects.filter(pk__gte=first_event_id, processed_at__isnull=True).values_list(
        "pk", flat=True
    ):
        event_fan_out(event_id=event_id)
    Delivery.objects.filter(event_id__gte=first_event_id, status=Delivery.Status.PENDING).delete()
