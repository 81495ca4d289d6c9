"""The demo requests the Council decided at the meeting held three weeks ago."""

from __future__ import annotations

from workprogrammes.council.models import CouncilDecisionOutcome

from .specs import INTERNAL, PAST, SHARED, TO_COUNCIL, DemoRequest, S, shifted

DECIDED: list[DemoRequest] = [
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
        steps=shifted(TO_COUNCIL, 28),
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
        steps=shifted(TO_COUNCIL, 28),
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
        steps=shifted(TO_COUNCIL, 28),
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
        steps=shifted(TO_COUNCIL, 28),
        meeting=PAST,
        agenda_days_ago=28,
        outcome=CouncilDecisionOutcome.DEFERRED,
        conditions="Deferred to the next meeting, pending the exercise's final scenario.",
        after=(S("reschedule", 20, actor="secretary"),),
    ),
]
