"""The demo's annual programmes, their activities, and the outcomes of the activities held."""

from __future__ import annotations

import datetime
import random

from partners.models import Partner
from portal.accounts.models import User
from workprogrammes.catalogue.models import CatalogueItem
from workprogrammes.programmes.models import ActivityOutcome, Objective, ProgrammeActivity, WorkProgramme

from .catalogue import INSTITUTION_PLACES
from .facts.dialogue import PARTNER_OF
from .facts.partners import PARTNERS
from .facts.people import USERS
from .upsert import Tally, upsert

# Where a mobile activity is held: the partner's capital.
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
    ipcp_from = next(p.get("ipcp_from") for p in PARTNERS if p["iso_code"] == iso_code)
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
        of_en, of_fr = PARTNER_OF[iso_code]
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
        username__in=[row["username"] for row in USERS if "officer" in row["roles"]]
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
