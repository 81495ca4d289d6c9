"""The demo requests still with the desks and the reviewers."""

from __future__ import annotations

from .specs import INTERNAL, SHARED, DemoRequest, S

IN_REVIEW: list[DemoRequest] = [
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
