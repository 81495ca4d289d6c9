"""Load the demo data set: one function per area, each idempotent.

Every row is found by its natural key and written only when a value differs, so a second run changes
nothing: no new rows, no updates, and no new history events. The inclusion requests and council
meetings (requests.py) go through the workflow services instead: each is created once and then left
as it is.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pghistory
from django.db import models, transaction
from django.db.models import Max
from django.utils import translation
from modeltranslation.translator import NotRegistered, translator

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
from portal.notifications.models import Delivery, Event
from portal.notifications.fan_out import event_fan_out
from workprogrammes.catalogue.models import CatalogueItem
from workprogrammes.programmes.models import ActivityOutcome, Objective, ProgrammeActivity, WorkProgramme

from . import facts
from .catalogue import (
    AUDIENCE_CONTACT,
    AUDIENCE_PARTNERS,
    CATALOGUE,
    EXEMPTIONS,
    INSTITUTION_PLACES,
    KIND_DESCRIPTIONS,
)
from .requests import load_requests

M = TypeVar("M", bound=models.Model)

CAPITALS = {
    "AU": "Canberra",
    "JP": "Tokyo",
    "KR": "Seoul",
    "NZ": "Wellington",
    "AR": "Buenos Aires",
    "CL": "Santiago",
    "AF": "Kabul",
    "CO": "Bogotá",
    "IQ": "Baghdad",
    "MN": "Ulaanbaatar",
    "PK": "Islamabad",
    "SG": "Singapore",
}


@dataclass
class Tally:
    """How many rows of each model a run created and updated."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)

    def record(self, model: type[models.Model], *, created: bool, updated: bool) -> None:
        name = model._meta.verbose_name_plural
        if created:
            self.created[str(name)] += 1
        elif updated:
            self.updated[str(name)] += 1


def _translated_originals(model: type[models.Model]) -> dict[str, str]:
    """Map each `<field>_<lang>` column of a bilingual model to its original field."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return {}
    return {tf.name: original for original, tfields in options.all_fields.items() for tf in tfields}


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    if isinstance(value, models.Model):
        return bool(getattr(obj, f"{name}_id") != value.pk)
    return bool(getattr(obj, name) != value)


def upsert(model: type[M], tally: Tally, lookup: dict[str, Any], values: dict[str, Any]) -> M:
    """Find the row by its natural key; create it, or save only the fields whose value differs."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        tally.record(model, created=True, updated=False)
        return obj
    changed = [name for name, value in values.items() if _differs(obj, name, value)]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        update_fields = set(changed)
        # modeltranslation keeps the original column (the default language's value) in step only
        # when the original field is saved too.
        originals = _translated_originals(model)
        update_fields |= {originals[name] for name in changed if name in originals}
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            update_fields.add("updated_at")
        obj.save(update_fields=sorted(update_fields))
        tally.record(model, created=False, updated=True)
    return obj


def set_m2m(manager: Any, wanted: list[models.Model]) -> None:
    """Make a many-to-many relation hold exactly these rows, touching nothing when it already does."""
    if set(manager.values_list("pk", flat=True)) != {obj.pk for obj in wanted}:
        manager.set(wanted)


def _load_by_code(model: type[M], tally: Tally, rows: list[dict[str, Any]]) -> dict[str, M]:
    """Reference rows whose natural key is their `code`."""
    loaded = {}
    for row in rows:
        values = {name: value for name, value in row.items() if name != "code"}
        loaded[row["code"]] = upsert(model, tally, {"code": row["code"]}, values)
    return loaded


def load_regions(tally: Tally) -> dict[str, Region]:
    return _load_by_code(Region, tally, facts.REGIONS)


def load_frameworks(tally: Tally) -> dict[str, PartnershipFramework]:
    return _load_by_code(PartnershipFramework, tally, facts.FRAMEWORKS)


def load_areas(tally: Tally) -> dict[str, CooperationArea]:
    return _load_by_code(CooperationArea, tally, facts.AREAS)


def load_partners(
    tally: Tally,
    *,
    regions: dict[str, Region],
    frameworks: dict[str, PartnershipFramework],
    areas: dict[str, CooperationArea],
) -> dict[str, Partner]:
    partners: dict[str, Partner] = {}
    for row in facts.PARTNERS:
        values = {
            "name_en": row["name_en"],
            "name_fr": row["name_fr"],
            "region": regions[row["region"]],
            "framework": frameworks[facts.CONTACT_FRAMEWORK],
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
    return _load_by_code(Operation, tally, facts.OPERATIONS)


def load_contributions(
    tally: Tally, *, partners: dict[str, Partner], operations: dict[str, Operation]
) -> list[Contribution]:
    rows = []
    for row in facts.CONTRIBUTIONS:
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
    for row in facts.LIAISON:
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
    for row in facts.MILESTONES:
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
    for iso_code, date, kind, location, titles in facts.DIALOGUE:
        title_en, title_fr = titles or facts.dialogue_title(kind, iso_code)
        summary_en, summary_fr = (
            facts.DIALOGUE_SUMMARY if date.year >= 2008 else facts.DIALOGUE_SUMMARY_BEFORE_2008
        )
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


# The objective an activity of each catalogue kind usually serves (Bucharest, 2008).
KIND_OBJECTIVES = {
    "exercise": Objective.SUPPORT_FOR_OPERATIONS,
    "operation": Objective.SUPPORT_FOR_OPERATIONS,
    "education": Objective.SECURITY_COOPERATION,
    "language": Objective.SECURITY_COOPERATION,
    "other": Objective.SECURITY_COOPERATION,
    "information": Objective.COMMON_UNDERSTANDING,
    "dialogue": Objective.COMMON_UNDERSTANDING,
}

ACTIVITY_STATUSES = {
    WorkProgramme.Status.CLOSED: (["reported", "held", "cancelled"], [60, 25, 15]),
    WorkProgramme.Status.ACTIVE: (["held", "confirmed", "planned", "cancelled"], [35, 35, 25, 5]),
    WorkProgramme.Status.AGREED: (["confirmed", "planned"], [50, 50]),
    WorkProgramme.Status.PROPOSED: (["planned"], [100]),
    WorkProgramme.Status.DRAFT: (["planned"], [100]),
}

# (partner, year, status) beyond the 2008-2012 programmes: later ITPPs and a few still being negotiated.
EXTRA_PROGRAMMES: list[tuple[str, int, str]] = [
    ("AU", 2023, WorkProgramme.Status.ACTIVE),
    ("JP", 2023, WorkProgramme.Status.ACTIVE),
    ("KR", 2023, WorkProgramme.Status.AGREED),
    ("NZ", 2023, WorkProgramme.Status.PROPOSED),
    ("CO", 2018, WorkProgramme.Status.CLOSED),
    ("IQ", 2013, WorkProgramme.Status.DRAFT),
]
PROGRAMME_YEARS = {
    "AU": range(2008, 2013),
    "JP": range(2008, 2013),
    "KR": range(2008, 2013),
    "NZ": range(2008, 2013),
    "MN": range(2009, 2013),
    "PK": range(2011, 2013),
    "IQ": range(2011, 2013),
}

OBJECTIVES_TEXT: dict[str, tuple[str, str]] = {
    WorkProgramme.Kind.ITCP: (
        "Individual Tailored Cooperation Package of Activities with {en} for {year}. Objectives (2008 "
        "Bucharest Summit): support for operations; security cooperation; enhanced common understanding "
        "to advance shared security interests and democratic values.",
        "Ensemble de mesures de coopération taillées sur mesure (ITCP) {of} pour {year}. Objectifs (sommet "
        "de Bucarest, 2008)\u00a0: soutien aux opérations\u00a0; coopération en matière de sécurité\u00a0; "
        "meilleure "
        "compréhension mutuelle au service d'intérêts de sécurité et de valeurs démocratiques communs.",
    ),
    WorkProgramme.Kind.IPCP: (
        "Individual Partnership and Cooperation Programme with {en} for {year}, approved by the North "
        "Atlantic Council and the partner: support for operations, security cooperation, enhanced common "
        "understanding.",
        "Programme individuel de partenariat et de coopération {of} pour {year}, approuvé par le Conseil de "
        "l'Atlantique Nord et le partenaire\u00a0: soutien aux opérations, coopération en matière de "
        "sécurité, "
        "meilleure compréhension mutuelle.",
    ),
    WorkProgramme.Kind.ITPP: (
        "Individually Tailored Partnership Programme with {en} from {year}: strategic objectives, "
        "partnership goals and supporting activities.",
        "Programme de partenariat individuel taillé sur mesure {of} à partir de {year}\u00a0: objectifs "
        "stratégiques, objectifs de partenariat et activités à l'appui.",
    ),
}

REVIEW_TITLE = ("Annual review of the programme", "Examen annuel du programme")


def _programme_kind(iso_code: str, year: int) -> str:
    if year >= 2021:
        return WorkProgramme.Kind.ITPP
    ipcp_from = next(p.get("ipcp_from") for p in facts.PARTNERS if p["iso_code"] == iso_code)
    if ipcp_from is not None and year >= ipcp_from:
        return WorkProgramme.Kind.IPCP
    return WorkProgramme.Kind.ITCP


def _programme_plan() -> list[tuple[str, int, str]]:
    plan: list[tuple[str, int, str]] = [
        (iso_code, year, WorkProgramme.Status.CLOSED)
        for iso_code, years in PROGRAMME_YEARS.items()
        for year in years
    ]
    return plan + EXTRA_PROGRAMMES


def load_programmes(
    tally: Tally, *, partners: dict[str, Partner], catalogue: dict[str, CatalogueItem]
) -> list[WorkProgramme]:
    programmes = []
    items = sorted(catalogue.values(), key=lambda item: item.code)
    for number, (iso_code, year, status) in enumerate(_programme_plan(), start=1):
        partner = partners[iso_code]
        kind = _programme_kind(iso_code, year)
        of_en, of_fr = facts.PARTNER_OF[iso_code]
        text_en, text_fr = OBJECTIVES_TEXT[kind]
        agreed = status not in (WorkProgramme.Status.DRAFT, WorkProgramme.Status.PROPOSED)
        values = {
            "kind": kind,
            "status": status,
            "objectives_en": text_en.format(en=of_en, year=year),
            "objectives_fr": text_fr.format(of=of_fr, year=year),
            "agreed_on": datetime.date(year - 1, 12, 1 + number % 20) if agreed else None,
            "agreement_reference": f"PO({year - 1}){100 + number:04d}" if agreed else "",
        }
        programme = upsert(WorkProgramme, tally, {"partner": partner, "year": year}, values)
        _load_activities(tally, programme=programme, items=items)
        programmes.append(programme)
    return programmes


def _load_activities(tally: Tally, *, programme: WorkProgramme, items: list[CatalogueItem]) -> None:
    # Seeded by partner and year, so each programme draws the same activities on every run.
    rng = random.Random(f"{programme.partner.iso_code}-{programme.year}")
    year_start = datetime.date(programme.year, 1, 1)
    offered = [
        item
        for item in items
        if item.active_from is not None
        and item.active_from <= year_start
        and (item.deactivated_on is None or item.deactivated_on.year >= programme.year)
    ]
    chosen = rng.sample(offered, k=min(len(offered), rng.randint(7, 12)))
    statuses, weights = ACTIVITY_STATUSES[WorkProgramme.Status(programme.status)]
    iso_code = programme.partner.iso_code
    partner_name = getattr(programme.partner, "name_en")  # noqa: B009 - a modeltranslation column
    for item in chosen:
        objective = KIND_OBJECTIVES[item.kind] if rng.random() < 0.8 else rng.choice(list(Objective))
        duration = min(item.duration_days or 1, 60)
        start = datetime.date(programme.year, rng.randint(1, 12), rng.randint(1, 28))
        end = start + datetime.timedelta(days=duration - 1)
        if end.year != programme.year:
            end = datetime.date(programme.year, 12, 31)
            start = end - datetime.timedelta(days=duration - 1)
        restricted = item.marking >= 20
        mobile = item.delivery == "mobile"
        values = {
            "title_fr": getattr(item, "title_fr"),  # noqa: B009 - a modeltranslation column
            "catalogue_item": item,
            "objective": objective,
            "start_date": start,
            "end_date": end,
            "place": CAPITALS[iso_code] if mobile else INSTITUTION_PLACES[item.institution],
            "lead": item.institution,
            "status": rng.choices(statuses, weights)[0],
            "marking": item.marking,
            "releasability": f"Releasable to {partner_name}" if restricted else "",
        }
        title_en = getattr(item, "title_en")  # noqa: B009 - a modeltranslation column
        upsert(ProgrammeActivity, tally, {"programme": programme, "title_en": title_en}, values)
    review_en, review_fr = REVIEW_TITLE
    upsert(
        ProgrammeActivity,
        tally,
        {"programme": programme, "title_en": review_en},
        {
            "title_fr": review_fr,
            "catalogue_item": None,
            "objective": Objective.COMMON_UNDERSTANDING,
            "start_date": datetime.date(programme.year, 11, 15),
            "end_date": datetime.date(programme.year, 11, 15),
            "place": "Brussels",
            "lead": "NATO Headquarters (International Staff)",
            "status": rng.choices(statuses, weights)[0],
            "marking": 10,
            "releasability": "",
        },
    )


# What officers wrote after the activities the demo's programmes reported: the lesson and the follow-up
# given by kind of catalogue item (the review meeting has none), the figures drawn per activity.
OUTCOME_NOTES: dict[str, tuple[str, str]] = {
    "exercise": (
        "Liaison officers joined the planning cell from the first conference: the partner's staff knew the "
        "procedures before the live phase.",
        "Invite the partner to the initial planning conference of next year's exercise.",
    ),
    "operation": (
        "Pre-deployment briefings on the command arrangements saved days once in theatre.",
        "Share the briefing pack with the partner's next rotation.",
    ),
    "education": (
        "Book interpreters early: the first day lost time on terminology.",
        "Offer two places on the follow-on course.",
    ),
    "language": (
        "Testing before the course placed students at the right level.",
        "Repeat the placement test for the next intake.",
    ),
    "information": (
        "A single point of contact at the partner's mission made the exchange regular.",
        "Agree a quarterly exchange schedule.",
    ),
    "dialogue": (
        "Agreeing the agenda a month ahead left time for substantive preparation.",
        "Prepare a joint summary for the next high-level talks.",
    ),
    "other": (
        "Clear joining instructions reduced questions from the delegation.",
        "",
    ),
}


def load_outcomes(tally: Tally) -> None:
    """The outcome of every activity the demo's programmes report (participants, rating, lessons and
    follow-up), recorded by an officer of the partner's desk two weeks after the activity ended."""
    reported = ProgrammeActivity.objects.filter(status=ProgrammeActivity.Status.REPORTED).select_related(
        "programme__partner", "catalogue_item"
    )
    # The first demo officer of each partner's desk (officer before officer2).
    officers: dict[int, User] = {}
    demo_officers = User.objects.filter(
        username__in=[row["username"] for row in facts.USERS if "officer" in row["roles"]]
    ).order_by("username")
    for officer in demo_officers:
        for partner_id in officer.desk_partner_ids:
            officers.setdefault(partner_id, officer)
    fallback = demo_officers.first()
    for activity in reported:
        programme = activity.programme
        title = getattr(activity, "title_en")  # noqa: B009 - a modeltranslation column
        # Seeded by the activity's natural key, so every run (and every database) draws the same figures.
        rng = random.Random(f"outcome-{programme.partner.iso_code}-{programme.year}-{title}")
        kind = activity.catalogue_item.kind if activity.catalogue_item is not None else "dialogue"
        lessons, follow_up = OUTCOME_NOTES.get(kind, OUTCOME_NOTES["other"])
        recorded_by = officers.get(programme.partner_id, fallback)
        if recorded_by is None:
            continue
        values = {
            "participants": rng.randint(6, 40),
            "rating": rng.choices([2, 3, 4, 5], [5, 25, 45, 25])[0],
            "lessons": lessons if rng.random() < 0.7 else "",
            "follow_up": follow_up if rng.random() < 0.6 else "",
            "recorded_by": recorded_by,
            "recorded_at": datetime.datetime.combine(
                activity.end_date + datetime.timedelta(days=14), datetime.time(10), tzinfo=datetime.UTC
            ),
        }
        upsert(ActivityOutcome, tally, {"activity": activity}, values)


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
        for row in facts.DESKS
    }
    logins = []
    for row in facts.USERS:
        user = User.objects.filter(username=row["username"]).first()
        if user is None:
            user_desks = [desks[d["code"]] for d in facts.DESKS if row["username"] in d["members"]]
            user = user_create(
                username=row["username"],
                email=f"{row['username']}@hq.nato.example",
                password=facts.DEMO_PASSWORD,
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
    for row in facts.DESKS:
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
