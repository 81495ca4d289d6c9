"""Demo inclusion requests and two North Atlantic Council meetings, made through the workflow services.

Every request is written by the workflow services (workprogrammes/requests/ and council/), so its
status changes, revisions, agenda items, decisions and notification events are the ones the portal
itself would write, with the same rules: the desk's officer asks, `reviewer` reviews, `secretary` manages the
Council, and nobody reviews or decides what they asked for.

A request is found by its partner and title: one that exists is left as it is (whatever happened to it
since), so a second run creates nothing. The steps are dated back from now so the timelines, the
review queue's due dates, the meeting held three weeks ago, the meeting in ten days and the silence
deadline in three days read naturally whenever the demo is loaded.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone

from partners.models import Partner
from portal.accounts.models import User
from workprogrammes.catalogue.models import CatalogueItem
from workprogrammes.council import decision_services, silence_services
from workprogrammes.council import services as council_services
from workprogrammes.council.models import (
    AgendaItem,
    CouncilDecision,
    CouncilDecisionOutcome,
    CouncilMeeting,
    CouncilMeetingStatus,
)
from workprogrammes.requests import services
from workprogrammes.requests.discussion_models import Comment
from workprogrammes.requests.models import CommentVisibility, InclusionRequest, RequestRevision, StatusChange
from workprogrammes.workflow_steps import RequestStep, request_step

if TYPE_CHECKING:
    from .loader import Tally

PAST, UPCOMING = "past", "upcoming"
# How many days ago the past meeting was held, and in how many days the upcoming one sits.
PAST_MEETING_DAYS_AGO = 21
UPCOMING_MEETING_IN_DAYS = 10
SILENCE_DAYS = 3
MEETING_NOTES = {
    PAST: "Regular meeting of the North Atlantic Council: partnership items (Contact Countries).",
    UPCOMING: "Regular meeting of the North Atlantic Council: partnership items (Contact Countries), "
    "next session.",
}
# The first reference number tried for each meeting (the next free one is taken).
MEETING_NUMBERS = {PAST: 31, UPCOMING: 36}

OFFICER_ACTIONS = frozenset({"submit", "withdraw"})


@dataclass(frozen=True)
class Step:
    """One workflow step, dated `days_ago` days before the load."""

    action: str  # submit (also a resubmission), start_review, return, recommend, not_recommend,
    # send, close_exempt, withdraw, reschedule (onto the upcoming meeting)
    days_ago: float
    reason: str = ""
    actor: str = ""  # the default: the requester for officer actions, `reviewer` for the others


@dataclass(frozen=True)
class DemoRequest:
    title: str
    partner: str
    item: str
    officer: str
    starts_in: int  # days from the load
    place: str
    justification: str
    mutual_benefit: str
    steps: tuple[Step, ...] = ()
    meeting: str = ""  # PAST or UPCOMING: put on that meeting's agenda once awaiting the Council
    agenda_days_ago: float = 0
    outcome: str = ""  # the past meeting's decision on it
    conditions: str = ""
    silence: bool = False  # put under the silence procedure (upcoming meeting)
    after: tuple[Step, ...] = ()  # steps after the agenda: a rescheduling, a withdrawal
    releasability: str = ""
    comments: tuple[tuple[str, str, str], ...] = ()  # (author, visibility, body)

    @property
    def key(self) -> tuple[str, str]:
        """What finds the request again: its partner and its title."""
        return (self.partner, self.title)


S = Step
SHARED, INTERNAL = CommentVisibility.SHARED, CommentVisibility.INTERNAL

# To the Council: submitted, reviewed, recommended and sent, `d` days before the agenda was built.
TO_COUNCIL = (S("submit", 16), S("start_review", 15), S("recommend", 12), S("send", 11))


def _shifted(steps: tuple[Step, ...], days: float) -> tuple[Step, ...]:
    return tuple(Step(s.action, s.days_ago + days, s.reason, s.actor) for s in steps)


REQUESTS: list[DemoRequest] = [
    # --- Decided at the meeting held three weeks ago ----------------------------------------------
    DemoRequest(
        title="Two officers on the CIMIC Staff Course",
        partner="JP",
        item="NSO-EDU-004",
        officer="officer",
        starts_in=48,
        place="Oberammergau",
        justification=(
            "The Japan Self-Defense Forces ask for two places on the Civil-Military Cooperation Staff "
            "Course for officers of the Joint Staff who will plan Japan's civil-military liaison with "
            "NATO-led and UN missions. Japan has funded development projects in Afghanistan through "
            "provincial reconstruction teams and wants its planners to work to the same CIMIC doctrine."
        ),
        mutual_benefit=(
            "Japan brings its experience of humanitarian and disaster relief coordination in the "
            "Asia-Pacific, which the course's syndicate work lacks; in return Japanese planners learn "
            "NATO's CIMIC procedures. Japan offers two places on its own disaster-relief coordination "
            "seminar in Tokyo to NATO School staff."
        ),
        steps=_shifted(TO_COUNCIL, 28),
        meeting=PAST,
        agenda_days_ago=28,
        outcome=CouncilDecisionOutcome.APPROVED,
        comments=(
            (
                "secretary",
                SHARED,
                "Approved at the meeting; the NATO School has been told to hold two places.",
            ),
        ),
    ),
    DemoRequest(
        title="Frigate and staff element in the maritime interoperability exercise",
        partner="AU",
        item="EXE-004",
        officer="officer",
        starts_in=75,
        place="Northwood",
        justification=(
            "The Royal Australian Navy proposes to take part with one Anzac-class frigate and a staff "
            "element of six officers in the live maritime interoperability exercise led by Allied "
            "Maritime Command, building on its contribution to counter-piracy operations off the Horn "
            "of Africa."
        ),
        mutual_benefit=(
            "Allied navies exercise with a partner that operates alongside them in the Indian Ocean; "
            "Australia tests its procedures against NATO standards before its next deployment. "
            "Australia hosts NATO observers in its own Exercise Kakadu in return."
        ),
        steps=(
            S("submit", 42),
            S("start_review", 41),
            S(
                "return",
                40,
                "Say which units would take part, and whether they join the live-fire serials or only "
                "the command post phase.",
            ),
            S("submit", 37),
            S("start_review", 36),
            S("recommend", 34),
            S("send", 33, actor="secretary"),
        ),
        meeting=PAST,
        agenda_days_ago=28,
        outcome=CouncilDecisionOutcome.APPROVED,
        conditions=(
            "Approved for one frigate and a staff element; the partner's units take part in the live-fire "
            "serials as observers only."
        ),
        comments=(
            (
                "officer",
                SHARED,
                "Resubmitted: HMAS Arunta and a staff element of six, command post phase and manoeuvres; "
                "observers only during the live-fire serials.",
            ),
        ),
    ),
    DemoRequest(
        title="Cyber defence information exchange",
        partner="KR",
        item="INF-006",
        officer="officer",
        starts_in=30,
        place="Brussels",
        justification=(
            "The Republic of Korea's Cyber Operations Command asks to open staff talks on cyber defence: "
            "an exchange of information on threats to military networks and on the lessons of recent "
            "incidents, as a first step towards cooperation with the Cooperative Cyber Defence Centre of "
            "Excellence."
        ),
        mutual_benefit=(
            "Korea shares its analysis of state-sponsored intrusions targeting defence networks in the "
            "region, which Allies see little of; NATO shares its cyber defence policy and incident "
            "handling practice. Each side keeps control of what it releases."
        ),
        steps=_shifted(TO_COUNCIL, 28),
        meeting=PAST,
        agenda_days_ago=28,
        outcome=CouncilDecisionOutcome.APPROVED,
    ),
    DemoRequest(
        title="Staff talks on countering terrorism",
        partner="PK",
        item="INF-002",
        officer="officer2",
        starts_in=40,
        place="Brussels",
        justification=(
            "Pakistan's Ministry of Defence asks for staff talks with the International Staff on "
            "countering terrorism, covering border security and the lessons of operations in the "
            "north-west."
        ),
        mutual_benefit=(
            "Allies would hear Pakistan's assessment of cross-border threats; Pakistan would gain "
            "insight into NATO's counter-terrorism policy. The request does not yet say what Pakistan "
            "would share in return."
        ),
        steps=(
            S("submit", 45),
            S("start_review", 44),
            S(
                "not_recommend",
                38,
                "The statement of mutual benefit is one-sided: nothing says what information Pakistan "
                "would release, and the talks would touch restricted material.",
            ),
            S("send", 36),
        ),
        meeting=PAST,
        agenda_days_ago=28,
        outcome=CouncilDecisionOutcome.REJECTED,
        conditions="Not agreed at this stage; the desk may propose a narrower exchange on border security.",
        comments=(
            (
                "reviewer",
                INTERNAL,
                "Two delegations raised concerns informally; the Council will want a reciprocal offer.",
            ),
        ),
    ),
    DemoRequest(
        title="Observers in the Crisis Management Exercise",
        partner="MN",
        item="EXE-001",
        officer="officer",
        starts_in=95,
        place="Brussels",
        justification=(
            "Mongolia, a troop contributor to ISAF and to KFOR, asks to send two observers from its "
            "Ministry of Defence to the annual Crisis Management Exercise to follow the consultation and "
            "decision-making procedures it joins when it contributes to NATO-led operations."
        ),
        mutual_benefit=(
            "Mongolia understands how the Alliance decides in a crisis before it commits forces again; "
            "Allies benefit from a contributor that plans with them from the start. Mongolia offers "
            "places in its Khaan Quest peacekeeping exercise."
        ),
        steps=_shifted(TO_COUNCIL, 28),
        meeting=PAST,
        agenda_days_ago=28,
        outcome=CouncilDecisionOutcome.DEFERRED,
        conditions=(
            "Deferred: Allies asked for the exercise's releasability annex before deciding on observers "
            "from partners."
        ),
        comments=(
            (
                "secretary",
                SHARED,
                "Deferred at the meeting; it can go back on an agenda once the releasability annex is "
                "agreed.",
            ),
        ),
    ),
    DemoRequest(
        title="Consequence management field exercise",
        partner="CO",
        item="EXE-005",
        officer="officer2",
        starts_in=60,
        place="Brussels",
        justification=(
            "Colombia's Unidad Nacional para la Gestión del Riesgo de Desastres and its armed forces ask "
            "to take part with a search-and-rescue team in the consequence management field exercise "
            "run by the Euro-Atlantic Disaster Response Coordination Centre."
        ),
        mutual_benefit=(
            "Colombia contributes a team experienced in urban search and rescue after earthquakes and "
            "landslides; it learns the Centre's request-and-offer procedures it could use in a disaster "
            "at home."
        ),
        steps=_shifted(TO_COUNCIL, 28),
        meeting=PAST,
        agenda_days_ago=28,
        outcome=CouncilDecisionOutcome.DEFERRED,
        conditions="Deferred to the next meeting, pending the exercise's final scenario.",
        after=(S("reschedule", 20, actor="secretary"),),
    ),
    # --- Before the upcoming meeting ----------------------------------------------------------------
    DemoRequest(
        title="Pre-deployment exercise for a provincial reconstruction team",
        partner="NZ",
        item="EXE-003",
        officer="officer",
        starts_in=38,
        place="Bydgoszcz",
        justification=(
            "The New Zealand Defence Force asks to train the headquarters of its next provincial "
            "reconstruction team in the tactical-level pre-deployment exercise at the Joint Force "
            "Training Centre, alongside the Allied units it will work with in theatre."
        ),
        mutual_benefit=(
            "The team arrives in theatre trained on the same procedures as its Allied neighbours; New "
            "Zealand provides role-players with experience of the province, whom the exercise lacks."
        ),
        steps=_shifted(TO_COUNCIL, 3),
        meeting=UPCOMING,
        agenda_days_ago=3,
        comments=(
            ("reviewer", SHARED, "Recommended; the Training Centre confirms it can take a team of 24."),
        ),
    ),
    DemoRequest(
        title="Two naval officers on the Counter-Piracy Course",
        partner="CL",
        item="MIO-EDU-002",
        officer="officer2",
        starts_in=34,
        place="Souda Bay",
        justification=(
            "The Chilean Navy asks for two places on the Counter-Piracy Course for officers who will "
            "serve in multinational maritime security operations."
        ),
        mutual_benefit=(
            "Chile, which served alongside Allies in SFOR in Bosnia and Herzegovina, shares its "
            "experience of maritime patrol in the South-East Pacific; its officers learn NATO's boarding "
            "and interdiction procedures."
        ),
        steps=_shifted(TO_COUNCIL, 3),
        meeting=UPCOMING,
        agenda_days_ago=3,
        silence=True,
        comments=(
            (
                "secretary",
                INTERNAL,
                "No delegation asked to discuss it: put under silence so the places can be confirmed "
                "before the course fills.",
            ),
        ),
    ),
    DemoRequest(
        title="Liaison officer at the KFOR headquarters",
        partner="AR",
        item="OPS-001",
        officer="officer2",
        starts_in=55,
        place="Pristina",
        justification=(
            "Argentina, which has contributed to KFOR since 1999, asks to post a liaison officer at the "
            "KFOR headquarters to coordinate its medical and social assistance with the force's plans."
        ),
        mutual_benefit=(
            "The force knows where Argentina's medical teams work and can plan around them; Argentina's "
            "contribution is planned with the force instead of beside it."
        ),
        steps=_shifted(TO_COUNCIL, 4),
        meeting=UPCOMING,
        agenda_days_ago=3,
        releasability="Releasable to Argentina",
    ),
    DemoRequest(
        title="Place on the NATO Regional Cooperation Course",
        partner="PK",
        item="NDC-EDU-002",
        officer="officer2",
        starts_in=120,
        place="Rome",
        justification=(
            "Pakistan asks for one place on the NATO Regional Cooperation Course for a colonel of its "
            "Joint Staff Headquarters."
        ),
        mutual_benefit=(
            "The course hears a Pakistani view of regional security; Pakistan's officer learns how the "
            "Alliance works with its partners."
        ),
        steps=_shifted(TO_COUNCIL, 4),
        meeting=UPCOMING,
        agenda_days_ago=3,
        after=(
            S(
                "withdraw",
                1,
                "Pakistan cannot release the nominated officer for this session; it will ask again next "
                "year.",
            ),
        ),
    ),
    DemoRequest(
        title="Two places on the Cyber Defence Monitoring Course",
        partner="KR",
        item="CCD-EDU-001",
        officer="officer",
        starts_in=70,
        place="Tallinn",
        justification=(
            "Following the staff talks on cyber defence, Korea asks for two places on the Cyber Defence "
            "Monitoring Course for network defenders of its Cyber Operations Command."
        ),
        mutual_benefit=(
            "Korean analysts bring experience of monitoring a heavily targeted defence network; they "
            "learn the Centre's monitoring methods and NATO's incident reporting."
        ),
        steps=(S("submit", 9), S("start_review", 8), S("recommend", 3), S("send", 2, actor="secretary")),
    ),
    # --- With the desks and the reviewers ---------------------------------------------------------
    DemoRequest(
        title="Live-fire cyber defence exercise",
        partner="JP",
        item="EXE-006",
        officer="officer",
        starts_in=150,
        place="Tallinn",
        justification=(
            "Japan's Cyber Defense Command would like to field a blue team in the live-fire cyber "
            "defence exercise. Draft: the team's size is still being discussed with Tokyo."
        ),
        mutual_benefit=(
            "Allied teams face a partner's team with different tools and procedures; Japan tests its "
            "defenders against realistic attacks."
        ),
    ),
    DemoRequest(
        title="English language training for staff officers",
        partner="IQ",
        item="LNG-001",
        officer="officer2",
        starts_in=90,
        place="Baghdad",
        justification=(
            "Iraq's Ministry of Defence asks for a mobile English language course for twenty staff "
            "officers of the Joint Operations Command, who work with Allied advisers every day."
        ),
        mutual_benefit=(
            "Allied advisers and Iraqi officers understand each other without interpreters; Iraq hosts "
            "the course and provides the classrooms and security."
        ),
    ),
    DemoRequest(
        title="Place on the NATO Regional Cooperation Course",
        partner="AU",
        item="NDC-EDU-002",
        officer="officer",
        starts_in=110,
        place="Rome",
        justification=(
            "Australia asks for one place on the NATO Regional Cooperation Course for a civilian of its "
            "Department of Defence who follows NATO's partnerships."
        ),
        mutual_benefit=(
            "The course hears an Asia-Pacific view of regional security; Australia offers a speaker from "
            "the Australian Defence College on security in the Indo-Pacific."
        ),
        steps=(S("submit", 2),),
        comments=(
            (
                "officer",
                SHARED,
                "The nominee's security clearance is confirmed by the Australian Mission.",
            ),
        ),
    ),
    DemoRequest(
        title="Two places on the CIS Security Course",
        partner="IQ",
        item="NCISS-EDU-001",
        officer="officer2",
        starts_in=45,
        place="Latina",
        justification=(
            "Iraq asks for two places on the Communication and Information Systems Security Course for "
            "officers who protect the networks of its Joint Operations Command."
        ),
        mutual_benefit=(
            "Iraqi officers learn the security practice of the networks they connect to when working "
            "with the NATO Mission; the School hears of the threats to a network in an operational "
            "theatre."
        ),
        steps=(S("submit", 12),),
    ),
    DemoRequest(
        title="Maritime situational awareness information sharing",
        partner="JP",
        item="INF-005",
        officer="officer",
        starts_in=25,
        place="Northwood",
        justification=(
            "Japan proposes to exchange maritime situational awareness information with Allied Maritime "
            "Command on shipping in the Gulf of Aden, where the Japan Maritime Self-Defense Force "
            "escorts merchant ships."
        ),
        mutual_benefit=(
            "Both sides see more of the same sea: Japan's escort reports complement NATO's picture, and "
            "Japan receives the Command's assessments of piracy threats."
        ),
        steps=(S("submit", 8), S("start_review", 7)),
        releasability="Releasable to Japan",
        comments=(
            (
                "reviewer",
                INTERNAL,
                "Asked Maritime Command whether the existing information-sharing arrangement covers "
                "material releasable to Japan.",
            ),
        ),
    ),
    DemoRequest(
        title="Seminar on language training for peace support operations",
        partner="CL",
        item="LNG-004",
        officer="officer2",
        starts_in=52,
        place="Brussels",
        justification=(
            "Chile's peacekeeping training centre (CECOPAC) asks to send two instructors to the seminar "
            "on language training for peace support operations."
        ),
        mutual_benefit=(
            "The seminar hears how CECOPAC prepares Spanish-speaking contingents for multinational "
            "missions; Chile's instructors bring back the Bureau's standards."
        ),
        steps=(S("submit", 11), S("start_review", 9)),
    ),
    DemoRequest(
        title="Evaluation under the Operational Capabilities Concept",
        partner="NZ",
        item="INT-001",
        officer="officer",
        starts_in=130,
        place="Wellington",
        justification=(
            "New Zealand asks for an evaluation of a land force unit under the Operational Capabilities "
            "Concept, to confirm it can work with Allied forces."
        ),
        mutual_benefit=(
            "Allies can count on an evaluated New Zealand unit; New Zealand learns where its unit differs "
            "from NATO standards."
        ),
        steps=(
            S("submit", 15),
            S("start_review", 14),
            S(
                "return",
                12,
                "State which unit would be evaluated, at which level, and who bears the cost of the "
                "evaluation team.",
            ),
        ),
        comments=(
            (
                "officer",
                SHARED,
                "Asked the New Zealand Defence Force which unit it proposes; the answer is expected this "
                "week.",
            ),
        ),
    ),
    DemoRequest(
        title="NATO Operational Planning Course",
        partner="KR",
        item="NSO-EDU-002",
        officer="officer",
        starts_in=85,
        place="Oberammergau",
        justification=(
            "Korea asks for two places on the NATO Operational Planning Course for officers of its Joint "
            "Chiefs of Staff, who planned Korea's contribution to ISAF."
        ),
        mutual_benefit=(
            "Korean planners learn the Alliance's planning process they work with when contributing to "
            "operations; the course hears a contributor's experience of force generation."
        ),
        steps=(S("submit", 10), S("start_review", 9), S("recommend", 4)),
    ),
    DemoRequest(
        title="Terrorism and Media Course",
        partner="CO",
        item="DAT-EDU-002",
        officer="officer2",
        starts_in=40,
        place="Ankara",
        justification=(
            "Colombia asks for three places on the Terrorism and Media Course for public affairs officers "
            "of its armed forces."
        ),
        mutual_benefit=(
            "Colombia shares how it communicated during decades of internal conflict; its officers learn "
            "the Centre's approach to strategic communications."
        ),
        steps=(
            S("submit", 13),
            S("start_review", 12),
            S(
                "not_recommend",
                5,
                "This session is full; partner places go to nations that asked first. Ask for the next "
                "session, and for one place rather than three.",
            ),
        ),
    ),
    DemoRequest(
        title="NATO Orientation Course",
        partner="AU",
        item="NSO-EDU-001",
        officer="officer",
        starts_in=20,
        place="Oberammergau",
        justification=(
            "Australia asks for a place on the NATO Orientation Course for the new defence attaché of "
            "its Mission to NATO."
        ),
        mutual_benefit=(
            "The attaché starts with a working knowledge of NATO's structures; the course hears a "
            "partner's perspective."
        ),
        steps=(
            S("submit", 25),
            S("start_review", 24),
            S("close_exempt", 23, "An open course of the Partnership Cooperation Menu: no Council decision."),
        ),
    ),
    DemoRequest(
        title="Interoperability standards seminar",
        partner="AR",
        item="INT-002",
        officer="officer2",
        starts_in=28,
        place="Norfolk",
        justification=(
            "Argentina asks to send two officers to the interoperability standards seminar on the "
            "STANAGs its contingents in KFOR apply."
        ),
        mutual_benefit=(
            "Argentina applies the standards its forces already use with Allies more consistently; the "
            "seminar hears a contributor's experience of applying them."
        ),
        steps=(
            S("submit", 18),
            S("start_review", 17),
            S(
                "close_exempt",
                16,
                "Open seminar: the Council has already opened it to partners across the globe.",
            ),
        ),
    ),
    DemoRequest(
        title="Civil emergency planning seminar",
        partner="NZ",
        item="CEP-001",
        officer="officer",
        starts_in=15,
        place="Brussels",
        justification=(
            "New Zealand asks to send an official of its National Emergency Management Agency to the "
            "civil emergency planning seminar."
        ),
        mutual_benefit=(
            "The seminar hears New Zealand's experience of earthquake response; New Zealand compares its "
            "planning with the Allies'."
        ),
        steps=(
            S("submit", 9),
            S("start_review", 8),
            S(
                "withdraw",
                6,
                "The nominated official cannot travel on these dates; New Zealand will ask next year.",
            ),
        ),
    ),
]

COUNTED: tuple[type[models.Model], ...] = (
    InclusionRequest,
    RequestRevision,
    StatusChange,
    Comment,
    CouncilMeeting,
    AgendaItem,
    CouncilDecision,
)


def _counts() -> dict[type[models.Model], int]:
    return {model: model._default_manager.count() for model in COUNTED}


def load_requests(
    tally: Tally, *, partners: dict[str, Partner], catalogue: dict[str, CatalogueItem]
) -> list[InclusionRequest]:
    """Create the demo requests that do not exist yet, each walked through the workflow services."""
    missing = [
        spec
        for spec in REQUESTS
        if not InclusionRequest.objects.filter(partner=partners[spec.partner], title=spec.title).exists()
    ]
    if not missing:
        return []
    before = _counts()
    now = timezone.now()
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["officer", "officer2", "reviewer", "secretary"])
    }
    created = {
        spec.key: _create(spec, partners=partners, catalogue=catalogue, people=people, now=now)
        for spec in missing
    }
    for spec in missing:
        created[spec.key] = _walk(created[spec.key], spec.steps, spec=spec, people=people, now=now)
    past = [spec for spec in missing if spec.meeting == PAST]
    upcoming_needed = any(
        spec.meeting == UPCOMING or any(step.action == "reschedule" for step in spec.after)
        for spec in missing
    )
    upcoming = _upcoming_meeting(people["secretary"], now=now) if upcoming_needed else None
    if past:
        _hold_past_meeting(past, created, people["secretary"], now=now)
    # A deferred request goes back on the upcoming agenda first, then the new items follow it.
    for spec in missing:
        for step in spec.after:
            if step.action == "reschedule":
                assert upcoming is not None
                created[spec.key] = council_services.inclusion_request_reschedule(
                    actor=people[step.actor or "secretary"],
                    request=created[spec.key],
                    meeting=upcoming,
                    now=now - datetime.timedelta(days=step.days_ago),
                )
    if upcoming is not None:
        _build_upcoming_agenda(
            [spec for spec in missing if spec.meeting == UPCOMING],
            created,
            upcoming,
            people["secretary"],
            now=now,
        )
    for spec in missing:
        later = tuple(step for step in spec.after if step.action != "reschedule")
        created[spec.key] = _walk(created[spec.key], later, spec=spec, people=people, now=now)
    for spec in missing:
        for author, visibility, body in spec.comments:
            services.comment_add(
                actor=people[author], request=created[spec.key], body=body, visibility=visibility
            )
    after = _counts()
    for model, count in after.items():
        if count > before[model]:
            tally.created[str(model._meta.verbose_name_plural)] += count - before[model]
    return list(created.values())


def _create(
    spec: DemoRequest,
    *,
    partners: dict[str, Partner],
    catalogue: dict[str, CatalogueItem],
    people: dict[str, User],
    now: datetime.datetime,
) -> InclusionRequest:
    item = catalogue[spec.item]
    start = timezone.localdate(now) + datetime.timedelta(days=spec.starts_in)
    end = start + datetime.timedelta(days=min(item.duration_days or 1, 60) - 1)
    return services.inclusion_request_create(
        actor=people[spec.officer],
        partner=partners[spec.partner],
        catalogue_item=item,
        title=spec.title,
        start_date=start,
        end_date=end,
        place=spec.place,
        justification=spec.justification,
        mutual_benefit=spec.mutual_benefit,
        marking=item.marking,
        releasability=spec.releasability,
    )


# The demo's steps taken through the workflow's entry point, by the action of their row.
REQUEST_STEPS = {
    "submit": "submit",
    "start_review": "start_review",
    "return": "return",
    "recommend": "recommend",
    "not_recommend": "not_recommend",
    "send": "send_to_council",
    "close_exempt": "close_exempt",
}


def _walk(
    request: InclusionRequest,
    steps: tuple[Step, ...],
    *,
    spec: DemoRequest,
    people: dict[str, User],
    now: datetime.datetime,
) -> InclusionRequest:
    for step in steps:
        at = now - datetime.timedelta(days=step.days_ago)
        actor = people[step.actor or (spec.officer if step.action in OFFICER_ACTIONS else "reviewer")]
        if step.action in REQUEST_STEPS:
            stepped = request_step(
                request=request,
                step=RequestStep(actor=actor, action=REQUEST_STEPS[step.action], reason=step.reason, now=at),
            )
            assert isinstance(stepped, InclusionRequest)  # the request's own steps return it
            request = stepped
        elif step.action == "withdraw":
            request = council_services.inclusion_request_withdraw(
                actor=actor, request=request, reason=step.reason, now=at
            )
        else:
            raise ValueError(f"Unknown demo step {step.action!r}")
    return request


def _free_reference(year: int, number: int) -> str:
    while CouncilMeeting.objects.filter(reference__iexact=f"C-M({year}){number:04d}").exists():
        number += 1
    return f"C-M({year}){number:04d}"


def _new_meeting(which: str, secretary: User, *, date: datetime.date) -> CouncilMeeting:
    return council_services.council_meeting_create(
        actor=secretary,
        date=date,
        reference=_free_reference(date.year, MEETING_NUMBERS[which]),
        notes=MEETING_NOTES[which],
    )


def _upcoming_meeting(secretary: User, *, now: datetime.datetime) -> CouncilMeeting:
    """The demo's planned meeting, or a new one in ten days."""
    meeting = CouncilMeeting.objects.filter(
        notes=MEETING_NOTES[UPCOMING], status=CouncilMeetingStatus.PLANNED
    ).first()
    if meeting is not None:
        return meeting
    date = timezone.localdate(now) + datetime.timedelta(days=UPCOMING_MEETING_IN_DAYS)
    return _new_meeting(UPCOMING, secretary, date=date)


def _hold_past_meeting(
    specs: list[DemoRequest],
    created: dict[tuple[str, str], InclusionRequest],
    secretary: User,
    *,
    now: datetime.datetime,
) -> None:
    """The meeting three weeks ago: its agenda, then its decision sheet (approved, with exceptions)."""
    held_at = now - datetime.timedelta(days=PAST_MEETING_DAYS_AGO)
    meeting = _new_meeting(PAST, secretary, date=timezone.localdate(held_at))
    agenda_at = now - datetime.timedelta(days=max(spec.agenda_days_ago for spec in specs))
    items = council_services.agenda_build(
        actor=secretary, meeting=meeting, requests=[created[spec.key] for spec in specs], now=agenda_at
    )
    by_spec = dict(zip([spec.key for spec in specs], items, strict=True))
    decision_services.council_sheet_record(
        actor=secretary,
        meeting=meeting,
        default_outcome=CouncilDecisionOutcome.APPROVED,
        reference=meeting.reference.replace("C-M", "C-DS"),
        exceptions={
            by_spec[spec.key].pk: spec.outcome
            for spec in specs
            if spec.outcome != CouncilDecisionOutcome.APPROVED
        },
        item_conditions={by_spec[spec.key].pk: spec.conditions for spec in specs if spec.conditions},
        now=held_at,
    )
    for spec in specs:
        created[spec.key].refresh_from_db()


def _build_upcoming_agenda(
    specs: list[DemoRequest],
    created: dict[tuple[str, str], InclusionRequest],
    meeting: CouncilMeeting,
    secretary: User,
    *,
    now: datetime.datetime,
) -> None:
    """The upcoming meeting's agenda, with one item under silence until three days from now."""
    if not specs:
        return
    agenda_at = now - datetime.timedelta(days=max(spec.agenda_days_ago for spec in specs))
    items = council_services.agenda_build(
        actor=secretary, meeting=meeting, requests=[created[spec.key] for spec in specs], now=agenda_at
    )
    silenced = [item for spec, item in zip(specs, items, strict=True) if spec.silence]
    if silenced:
        deadline = (now + datetime.timedelta(days=SILENCE_DAYS)).replace(minute=0, second=0, microsecond=0)
        silence_services.silence_start(
            actor=secretary, items=silenced, deadline=deadline, now=now - datetime.timedelta(days=1)
        )
    for spec in specs:
        created[spec.key].refresh_from_db()
