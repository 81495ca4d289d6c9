"""The demo requests on the agenda of the Council's upcoming meeting."""

from __future__ import annotations

from .specs import INTERNAL, SHARED, TO_COUNCIL, UPCOMING, DemoRequest, S, shifted

BEFORE_UPCOMING_MEETING: list[DemoRequest] = [
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
        steps=shifted(TO_COUNCIL, 3),
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
        steps=shifted(TO_COUNCIL, 3),
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
        steps=shifted(TO_COUNCIL, 4),
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
        steps=shifted(TO_COUNCIL, 4),
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
]
