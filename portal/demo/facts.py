"""The demo data set's facts: the source text's (NATO's relations with Contact Countries) and public
facts around them, in English and French.

Figures marked `SOURCE_ESTIMATE` are plausible values for the demo, not official figures.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

D = datetime.date

SOURCE_TEXT = "NATO's relations with Contact Countries (official text)"
SOURCE_REVIEW = "NATO Review, 2011"
SOURCE_ESTIMATE = "Demo estimate (not an official figure)"

REGIONS: list[dict[str, Any]] = [
    {"code": "asia-pacific", "name_en": "Asia-Pacific", "name_fr": "Asie-Pacifique"},
    {"code": "latin-america", "name_en": "Latin America", "name_fr": "Amérique latine"},
    {"code": "middle-east", "name_en": "Middle East", "name_fr": "Moyen-Orient"},
    {
        "code": "south-central-asia",
        "name_en": "South and Central Asia",
        "name_fr": "Asie du Sud et Asie centrale",
    },
]

CONTACT_FRAMEWORK = "contact-countries"

FRAMEWORKS: list[dict[str, Any]] = [
    {
        "code": CONTACT_FRAMEWORK,
        "kind": "contact",
        "acronym_en": "CC",
        "acronym_fr": "PC",
        "name_en": "Contact Countries / partners across the globe",
        "name_fr": "Pays de contact / partenaires mondiaux",
        "description_en": (
            "Countries outside NATO's formal partnerships that share similar strategic concerns and key "
            "Alliance values, often referred to as “other partners across the globe” or “Contact "
            "Countries”. Each chooses in which areas it wishes to be engaged with NATO, and the extent of "
            "this cooperation. Any inclusion of Contact Countries in Alliance activities requires approval "
            "of the North Atlantic Council, except in certain cases. Cooperation should be mutually "
            "beneficial and reciprocal."
        ),
        "description_fr": (
            "Pays extérieurs aux partenariats formels de l'OTAN qui partagent des préoccupations "
            "stratégiques semblables et des valeurs clés de l'Alliance, souvent appelés «\u00a0autres "
            "partenaires "
            "à travers le monde\u00a0» ou «\u00a0pays de contact\u00a0». Chacun choisit les domaines dans "
            "lesquels il "
            "souhaite s'engager avec l'OTAN et l'étendue de cette coopération. Toute participation de pays "
            "de contact à des activités de l'Alliance requiert l'approbation du Conseil de l'Atlantique "
            "Nord, sauf dans certains cas. La coopération doit reposer sur les avantages mutuels et la "
            "réciprocité."
        ),
    },
    {
        "code": "eapc",
        "kind": "formal",
        "acronym_en": "EAPC",
        "acronym_fr": "CPEA",
        "name_en": "Euro-Atlantic Partnership Council",
        "name_fr": "Conseil de partenariat euro-atlantique",
        "description_en": (
            "Multilateral forum for dialogue and consultation between the Allies and partner countries in "
            "the Euro-Atlantic area. Formal partnership, kept as reference."
        ),
        "description_fr": (
            "Forum multilatéral de dialogue et de consultation entre les Alliés et les pays partenaires de "
            "la zone euro-atlantique. Partenariat formel, conservé pour référence."
        ),
    },
    {
        "code": "pfp",
        "kind": "formal",
        "acronym_en": "PfP",
        "acronym_fr": "PPP",
        "name_en": "Partnership for Peace",
        "name_fr": "Partenariat pour la paix",
        "description_en": (
            "Programme of practical bilateral cooperation between NATO and individual Euro-Atlantic "
            "partner countries. Formal partnership, kept as reference."
        ),
        "description_fr": (
            "Programme de coopération bilatérale concrète entre l'OTAN et chacun des pays partenaires "
            "euro-atlantiques. Partenariat formel, conservé pour référence."
        ),
    },
    {
        "code": "md",
        "kind": "formal",
        "acronym_en": "MD",
        "acronym_fr": "DM",
        "name_en": "Mediterranean Dialogue",
        "name_fr": "Dialogue méditerranéen",
        "description_en": (
            "NATO's partnership forum with countries of the Mediterranean region. Formal partnership, kept "
            "as reference."
        ),
        "description_fr": (
            "Forum de partenariat de l'OTAN avec des pays de la région méditerranéenne. Partenariat formel, "
            "conservé pour référence."
        ),
    },
    {
        "code": "ici",
        "kind": "formal",
        "acronym_en": "ICI",
        "acronym_fr": "ICI",
        "name_en": "Istanbul Cooperation Initiative",
        "name_fr": "Initiative de coopération d'Istanbul",
        "description_en": (
            "NATO's partnership with countries of the broader Middle East region. Formal partnership, kept "
            "as reference."
        ),
        "description_fr": (
            "Partenariat de l'OTAN avec des pays de la région élargie du Moyen-Orient. Partenariat formel, "
            "conservé pour référence."
        ),
    },
]

# The first five are the activity kinds the source text lists; the rest are areas partners choose today.
AREAS: list[dict[str, Any]] = [
    {
        "code": "joint-exercises",
        "name_en": "Joint exercises",
        "name_fr": "Exercices conjoints",
        "description_en": "Partner participation in NATO and Allied exercises, from command-post to live.",
        "description_fr": (
            "Participation des partenaires aux exercices de l'OTAN et des Alliés, des exercices de poste "
            "de commandement aux exercices réels."
        ),
    },
    {
        "code": "joint-operations",
        "name_en": "Joint operations",
        "name_fr": "Opérations conjointes",
        "description_en": "Contributions to NATO-led operations, their planning and force generation.",
        "description_fr": (
            "Contributions aux opérations dirigées par l'OTAN, à leur planification et à la génération "
            "de leurs forces."
        ),
    },
    {
        "code": "language-training",
        "name_en": "Language training and advice",
        "name_fr": "Formation et conseil linguistiques",
        "description_en": "Language courses, testing and advice for partner personnel.",
        "description_fr": "Cours de langue, évaluation et conseils pour le personnel des partenaires.",
    },
    {
        "code": "information-exchange",
        "name_en": "Information exchange",
        "name_fr": "Échange d'informations",
        "description_en": "Briefings, staff talks and sharing of information on common concerns.",
        "description_fr": (
            "Exposés, entretiens entre services et partage d'informations sur des préoccupations communes."
        ),
    },
    {
        "code": "education-training",
        "name_en": "Education and training",
        "name_fr": "Enseignement et formation",
        "description_en": "Courses at NATO schools and colleges and training events.",
        "description_fr": "Cours dans les écoles et collèges de l'OTAN et activités de formation.",
    },
    {
        "code": "counter-terrorism",
        "name_en": "Countering terrorism",
        "name_fr": "Lutte contre le terrorisme",
        "description_en": "Cooperation on a strategic priority shared by Allies and partners.",
        "description_fr": "Coopération sur une priorité stratégique commune aux Alliés et aux partenaires.",
    },
    {
        "code": "political-dialogue",
        "name_en": "Political dialogue and consultation",
        "name_fr": "Dialogue politique et consultation",
        "description_en": (
            "Meetings of the North Atlantic Council with partner ministers, high-level talks and meetings "
            "with ambassadors."
        ),
        "description_fr": (
            "Réunions du Conseil de l'Atlantique Nord avec les ministres des partenaires, entretiens de haut "
            "niveau et réunions avec les ambassadeurs."
        ),
    },
    {
        "code": "crisis-management",
        "name_en": "Crisis management and civil emergency planning",
        "name_fr": "Gestion des crises et plans civils d'urgence",
        "description_en": "Crisis management procedures, disaster response and civil preparedness.",
        "description_fr": (
            "Procédures de gestion des crises, réaction aux catastrophes et préparation du secteur civil."
        ),
    },
    {
        "code": "interoperability",
        "name_en": "Military interoperability",
        "name_fr": "Interopérabilité militaire",
        "description_en": "Standards, evaluation and feedback so that partner forces can work with NATO's.",
        "description_fr": (
            "Normes, évaluation et retour d'information pour que les forces des partenaires puissent "
            "travailler avec celles de l'OTAN."
        ),
    },
    {
        "code": "cyber-defence",
        "name_en": "Cyber defence",
        "name_fr": "Cyberdéfense",
        "description_en": "Protection of networks, exercises and exchange of good practice.",
        "description_fr": "Protection des réseaux, exercices et échange de bonnes pratiques.",
    },
    {
        "code": "maritime-security",
        "name_en": "Maritime security",
        "name_fr": "Sécurité maritime",
        "description_en": "Counter-piracy, maritime interdiction and situational awareness at sea.",
        "description_fr": (
            "Lutte contre la piraterie, interdiction maritime et connaissance de la situation en mer."
        ),
    },
    {
        "code": "science",
        "name_en": "Science for Peace and Security",
        "name_fr": "La science au service de la paix et de la sécurité",
        "description_en": "Practical cooperation in civil science and innovation on security challenges.",
        "description_fr": (
            "Coopération concrète dans les domaines de la science civile et de l'innovation face aux défis "
            "de sécurité."
        ),
    },
]

# `ipcp_from`: the year the partner's programme became an IPCP; `programme_years`: years with a programme.
PARTNERS: list[dict[str, Any]] = [
    {
        "iso_code": "AU",
        "name_en": "Australia",
        "name_fr": "Australie",
        "region": "asia-pacific",
        "engagement_level": "contributor",
        "dialogue_since": 2005,
        "status": "active",
        "areas": [
            "joint-exercises",
            "joint-operations",
            "information-exchange",
            "education-training",
            "interoperability",
            "counter-terrorism",
            "cyber-defence",
            "maritime-security",
            "political-dialogue",
        ],
        "summary_en": (
            "A Contact Country that works alongside the Allies in the International Security Assistance "
            "Force (ISAF) in Afghanistan, with troops and contributions to the Afghan National Army Trust "
            "Fund."
        ),
        "summary_fr": (
            "Pays de contact qui travaille aux côtés des Alliés au sein de la Force internationale "
            "d'assistance à la sécurité (FIAS) en Afghanistan, avec des troupes et des contributions au "
            "fonds d'affectation spéciale pour l'Armée nationale afghane."
        ),
        "ipcp_from": 2013,
    },
    {
        "iso_code": "JP",
        "name_en": "Japan",
        "name_fr": "Japon",
        "region": "asia-pacific",
        "engagement_level": "cooperating",
        "dialogue_since": 1990,
        "status": "active",
        "areas": [
            "information-exchange",
            "political-dialogue",
            "education-training",
            "crisis-management",
            "cyber-defence",
            "maritime-security",
            "science",
        ],
        "summary_en": (
            "Political dialogue with NATO began in 1990. Japan supports ISAF's efforts of stabilisation in "
            "Afghanistan without being involved militarily, by funding various development projects and "
            "dispatching liaison officers."
        ),
        "summary_fr": (
            "Le dialogue politique avec l'OTAN a commencé en 1990. Le Japon soutient les efforts de "
            "stabilisation de la FIAS en Afghanistan sans engagement militaire, en finançant divers projets "
            "de développement et en détachant des officiers de liaison."
        ),
        "ipcp_from": 2014,
    },
    {
        "iso_code": "KR",
        "name_en": "Republic of Korea",
        "name_fr": "République de Corée",
        "region": "asia-pacific",
        "engagement_level": "contributor",
        "dialogue_since": 2005,
        "status": "active",
        "areas": [
            "joint-exercises",
            "joint-operations",
            "information-exchange",
            "education-training",
            "interoperability",
            "cyber-defence",
        ],
        "summary_en": (
            "A Contact Country contributing to ISAF, with a Provincial Reconstruction Team in Regional "
            "Command East."
        ),
        "summary_fr": (
            "Pays de contact qui contribue à la FIAS, avec une équipe de reconstruction provinciale au sein "
            "du Commandement régional Est."
        ),
        "ipcp_from": 2012,
    },
    {
        "iso_code": "NZ",
        "name_en": "New Zealand",
        "name_fr": "Nouvelle-Zélande",
        "region": "asia-pacific",
        "engagement_level": "contributor",
        "dialogue_since": 2001,
        "status": "active",
        "areas": [
            "joint-exercises",
            "joint-operations",
            "education-training",
            "interoperability",
            "information-exchange",
            "maritime-security",
        ],
        "summary_en": "A Contact Country that works alongside the Allies as part of ISAF in Afghanistan.",
        "summary_fr": (
            "Pays de contact qui travaille aux côtés des Alliés au sein de la FIAS en Afghanistan."
        ),
        "ipcp_from": 2012,
    },
    {
        "iso_code": "AR",
        "name_en": "Argentina",
        "name_fr": "Argentine",
        "region": "latin-america",
        "engagement_level": "contributor",
        "dialogue_since": None,
        "status": "active",
        "areas": ["joint-operations", "education-training", "language-training", "crisis-management"],
        "summary_en": (
            "Argentinean forces worked alongside NATO Allies in ensuring security in Bosnia and "
            "Herzegovina. In Kosovo, Argentina has helped NATO personnel in providing medical and social "
            "assistance to the local population and cooperated on peace agreement implementation since "
            "1999."
        ),
        "summary_fr": (
            "Des forces argentines ont travaillé aux côtés des Alliés de l'OTAN pour assurer la sécurité en "
            "Bosnie-Herzégovine. Au Kosovo, l'Argentine aide depuis 1999 le personnel de l'OTAN à fournir "
            "une assistance médicale et sociale à la population locale et coopère à la mise en œuvre de "
            "l'accord de paix."
        ),
    },
    {
        "iso_code": "CL",
        "name_en": "Chile",
        "name_fr": "Chili",
        "region": "latin-america",
        "engagement_level": "contributor",
        "dialogue_since": None,
        "status": "active",
        "areas": ["joint-operations", "joint-exercises", "education-training", "language-training"],
        "summary_en": (
            "Chilean forces worked alongside NATO Allies in ensuring security in Bosnia and Herzegovina."
        ),
        "summary_fr": (
            "Des forces chiliennes ont travaillé aux côtés des Alliés de l'OTAN pour assurer la sécurité en "
            "Bosnie-Herzégovine."
        ),
    },
    {
        "iso_code": "AF",
        "name_en": "Afghanistan",
        "name_fr": "Afghanistan",
        "region": "south-central-asia",
        "engagement_level": "cooperating",
        "dialogue_since": 2002,
        "status": "active",
        "areas": ["education-training", "language-training", "counter-terrorism", "political-dialogue"],
        "summary_en": "A partner across the globe; host nation of ISAF and of the Resolute Support Mission.",
        "summary_fr": (
            "Partenaire à travers le monde\u00a0; pays hôte de la FIAS et de la mission Resolute Support."
        ),
    },
    {
        "iso_code": "CO",
        "name_en": "Colombia",
        "name_fr": "Colombie",
        "region": "latin-america",
        "engagement_level": "cooperating",
        "dialogue_since": 2013,
        "status": "active",
        "areas": [
            "education-training",
            "language-training",
            "counter-terrorism",
            "maritime-security",
            "interoperability",
        ],
        "summary_en": (
            "A partner across the globe cooperating in education and training, countering terrorism and "
            "maritime security."
        ),
        "summary_fr": (
            "Partenaire à travers le monde qui coopère en matière d'enseignement et de formation, de lutte "
            "contre le terrorisme et de sécurité maritime."
        ),
        "ipcp_from": 2017,
    },
    {
        "iso_code": "IQ",
        "name_en": "Iraq",
        "name_fr": "Iraq",
        "region": "middle-east",
        "engagement_level": "cooperating",
        "dialogue_since": 2004,
        "status": "active",
        "areas": ["education-training", "language-training", "counter-terrorism", "crisis-management"],
        "summary_en": (
            "A partner across the globe; NATO trained Iraqi security forces through the NATO Training "
            "Mission – Iraq."
        ),
        "summary_fr": (
            "Partenaire à travers le monde\u00a0; l'OTAN a formé les forces de sécurité iraquiennes au "
            "moyen de "
            "la Mission OTAN de formation en Iraq."
        ),
        "ipcp_from": 2012,
    },
    {
        "iso_code": "MN",
        "name_en": "Mongolia",
        "name_fr": "Mongolie",
        "region": "asia-pacific",
        "engagement_level": "contributor",
        "dialogue_since": 2005,
        "status": "active",
        "areas": [
            "joint-operations",
            "joint-exercises",
            "education-training",
            "language-training",
            "interoperability",
        ],
        "summary_en": "A partner across the globe that contributed troops to KFOR and ISAF.",
        "summary_fr": "Partenaire à travers le monde qui a fourni des troupes à la KFOR et à la FIAS.",
        "ipcp_from": 2012,
    },
    {
        "iso_code": "PK",
        "name_en": "Pakistan",
        "name_fr": "Pakistan",
        "region": "south-central-asia",
        "engagement_level": "informed",
        "dialogue_since": 2005,
        "status": "active",
        "areas": [
            "political-dialogue",
            "information-exchange",
            "education-training",
            "counter-terrorism",
            "crisis-management",
        ],
        "summary_en": (
            "A partner across the globe in political dialogue with NATO on regional security, notably on "
            "Afghanistan."
        ),
        "summary_fr": (
            "Partenaire à travers le monde engagé dans un dialogue politique avec l'OTAN sur la sécurité "
            "régionale, notamment sur l'Afghanistan."
        ),
        "ipcp_from": 2012,
    },
    {
        "iso_code": "SG",
        "name_en": "Singapore",
        "name_fr": "Singapour",
        "region": "asia-pacific",
        "engagement_level": "contributor",
        "dialogue_since": None,
        "status": "former",
        "areas": ["joint-operations", "information-exchange", "maritime-security"],
        "summary_en": (
            "Contributed to ISAF from 2007 to 2013 without a formal partnership; no current programme."
        ),
        "summary_fr": (
            "A contribué à la FIAS de 2007 à 2013 sans partenariat formel\u00a0; aucun programme en cours."
        ),
    },
]

OPERATIONS: list[dict[str, Any]] = [
    {
        "code": "isaf",
        "acronym_en": "ISAF",
        "acronym_fr": "FIAS",
        "name_en": "International Security Assistance Force",
        "name_fr": "Force internationale d'assistance à la sécurité",
        "theatre_en": "Afghanistan",
        "theatre_fr": "Afghanistan",
        "start_date": D(2003, 8, 11),
        "end_date": D(2014, 12, 31),
        "description_en": (
            "NATO-led security mission in Afghanistan. Contact Countries such as Australia and New Zealand "
            "work alongside the Allies; others, like Japan, support its efforts of stabilisation without "
            "being involved militarily."
        ),
        "description_fr": (
            "Mission de sécurité dirigée par l'OTAN en Afghanistan. Des pays de contact comme l'Australie "
            "et la Nouvelle-Zélande y travaillent aux côtés des Alliés\u00a0; d'autres, comme le Japon, "
            "soutiennent ses efforts de stabilisation sans engagement militaire."
        ),
    },
    {
        "code": "kfor",
        "acronym_en": "KFOR",
        "acronym_fr": "KFOR",
        "name_en": "Kosovo Force",
        "name_fr": "Force pour le Kosovo",
        "theatre_en": "Kosovo",
        "theatre_fr": "Kosovo",
        "start_date": D(1999, 6, 12),
        "end_date": None,
        "description_en": "NATO-led peace-support operation in Kosovo.",
        "description_fr": "Opération de soutien de la paix dirigée par l'OTAN au Kosovo.",
    },
    {
        "code": "sfor",
        "acronym_en": "SFOR",
        "acronym_fr": "SFOR",
        "name_en": "Stabilisation Force",
        "name_fr": "Force de stabilisation",
        "theatre_en": "Bosnia and Herzegovina",
        "theatre_fr": "Bosnie-Herzégovine",
        "start_date": D(1996, 12, 20),
        "end_date": D(2004, 12, 2),
        "description_en": (
            "NATO-led stabilisation force in Bosnia and Herzegovina, in which Argentinean and Chilean "
            "forces worked alongside the Allies."
        ),
        "description_fr": (
            "Force de stabilisation dirigée par l'OTAN en Bosnie-Herzégovine, au sein de laquelle des "
            "forces argentines et chiliennes ont travaillé aux côtés des Alliés."
        ),
    },
    {
        "code": "ifor",
        "acronym_en": "IFOR",
        "acronym_fr": "IFOR",
        "name_en": "Implementation Force",
        "name_fr": "Force de mise en œuvre",
        "theatre_en": "Bosnia and Herzegovina",
        "theatre_fr": "Bosnie-Herzégovine",
        "start_date": D(1995, 12, 20),
        "end_date": D(1996, 12, 20),
        "description_en": "NATO-led force implementing the military aspects of the Dayton Peace Agreement.",
        "description_fr": (
            "Force dirigée par l'OTAN chargée de mettre en œuvre les aspects militaires de l'accord de paix "
            "de Dayton."
        ),
    },
    {
        "code": "amis-support",
        "acronym_en": "AMIS support",
        "acronym_fr": "Soutien AMIS",
        "name_en": "NATO support to the African Union Mission in Sudan",
        "name_fr": "Soutien de l'OTAN à la Mission de l'Union africaine au Soudan",
        "theatre_en": "Darfur, Sudan",
        "theatre_fr": "Darfour (Soudan)",
        "start_date": D(2005, 7, 1),
        "end_date": D(2007, 12, 31),
        "description_en": (
            "Airlift and staff training in support of the African Union's mission in Darfur: one of the "
            "areas outside NATO's traditional region that increased the need for interaction with partners "
            "across the globe."
        ),
        "description_fr": (
            "Transport aérien et formation d'état-major à l'appui de la mission de l'Union africaine au "
            "Darfour\u00a0: l'une des zones extérieures à la région traditionnelle de l'OTAN qui ont accru "
            "le "
            "besoin d'interaction avec les partenaires à travers le monde."
        ),
    },
    {
        "code": "active-endeavour",
        "acronym_en": "OAE",
        "acronym_fr": "OAE",
        "name_en": "Operation Active Endeavour",
        "name_fr": "Opération Active Endeavour",
        "theatre_en": "Mediterranean Sea",
        "theatre_fr": "Mer Méditerranée",
        "start_date": D(2001, 10, 26),
        "end_date": D(2016, 11, 9),
        "description_en": "Maritime operation to deter, detect and disrupt terrorist activity at sea.",
        "description_fr": (
            "Opération maritime visant à dissuader, détecter et perturber les activités terroristes en mer."
        ),
    },
    {
        "code": "allied-protector",
        "acronym_en": "Allied Protector",
        "acronym_fr": "Allied Protector",
        "name_en": "Operation Allied Protector",
        "name_fr": "Opération Allied Protector",
        "theatre_en": "Gulf of Aden and Horn of Africa",
        "theatre_fr": "Golfe d'Aden et Corne de l'Afrique",
        "start_date": D(2009, 3, 24),
        "end_date": D(2009, 8, 17),
        "description_en": "Counter-piracy operation protecting shipping off the Horn of Africa.",
        "description_fr": (
            "Opération de lutte contre la piraterie protégeant la navigation au large de la Corne de "
            "l'Afrique."
        ),
    },
    {
        "code": "ocean-shield",
        "acronym_en": "Ocean Shield",
        "acronym_fr": "Ocean Shield",
        "name_en": "Operation Ocean Shield",
        "name_fr": "Opération Ocean Shield",
        "theatre_en": "Gulf of Aden and Horn of Africa",
        "theatre_fr": "Golfe d'Aden et Corne de l'Afrique",
        "start_date": D(2009, 8, 17),
        "end_date": D(2016, 12, 15),
        "description_en": "Counter-piracy operation off the Horn of Africa, following Allied Protector.",
        "description_fr": (
            "Opération de lutte contre la piraterie au large de la Corne de l'Afrique, qui a succédé à "
            "Allied Protector."
        ),
    },
    {
        "code": "ntm-i",
        "acronym_en": "NTM-I",
        "acronym_fr": "NTM-I",
        "name_en": "NATO Training Mission – Iraq",
        "name_fr": "Mission OTAN de formation en Iraq",
        "theatre_en": "Iraq",
        "theatre_fr": "Iraq",
        "start_date": D(2004, 8, 14),
        "end_date": D(2011, 12, 31),
        "description_en": "Training and mentoring of the Iraqi security forces.",
        "description_fr": "Formation et encadrement des forces de sécurité iraquiennes.",
    },
    {
        "code": "resolute-support",
        "acronym_en": "RSM",
        "acronym_fr": "RSM",
        "name_en": "Resolute Support Mission",
        "name_fr": "Mission Resolute Support",
        "theatre_en": "Afghanistan",
        "theatre_fr": "Afghanistan",
        "start_date": D(2015, 1, 1),
        "end_date": D(2021, 9, 1),
        "description_en": "Training, advice and assistance to the Afghan security forces after ISAF.",
        "description_fr": ("Formation, conseil et assistance aux forces de sécurité afghanes après la FIAS."),
    },
]

# The source text's wording on how contributing partners' forces are commanded and associated.
COMMAND_EN = (
    "Under the direct command of the Operational Commander through multinational divisional headquarters."
)
COMMAND_FR = (
    "Sous le commandement direct du commandant de l'opération, par l'intermédiaire de quartiers généraux "
    "divisionnaires multinationaux."
)
ASSOCIATION_EN = (
    "Involved in the decision-making process through association to the work of committees and the "
    "posting of liaison officers in the operational headquarters or to SHAPE."
)
ASSOCIATION_FR = (
    "Associé au processus décisionnel par sa participation aux travaux des comités et par l'affectation "
    "d'officiers de liaison au quartier général de l'opération ou au SHAPE."
)

_FRAMEWORK_TERMS: dict[str, Any] = {
    "command_arrangement_en": COMMAND_EN,
    "command_arrangement_fr": COMMAND_FR,
    "decision_making_association_en": ASSOCIATION_EN,
    "decision_making_association_fr": ASSOCIATION_FR,
    "planned_through_icc": True,
}

# Natural key of a contribution: partner, operation, kind, period start.
CONTRIBUTIONS: list[dict[str, Any]] = [
    {
        "partner": "AR",
        "operation": "sfor",
        "kind": "troops",
        "period_start": D(1996, 12, 20),
        "period_end": D(2004, 12, 2),
        **_FRAMEWORK_TERMS,
        "description_en": (
            "Argentinean forces worked alongside NATO Allies in ensuring security in Bosnia and Herzegovina."
        ),
        "description_fr": (
            "Des forces argentines ont travaillé aux côtés des Alliés de l'OTAN pour assurer la sécurité en "
            "Bosnie-Herzégovine."
        ),
        "source": SOURCE_TEXT,
    },
    {
        "partner": "CL",
        "operation": "sfor",
        "kind": "troops",
        "period_start": D(1996, 12, 20),
        "period_end": D(2004, 12, 2),
        **_FRAMEWORK_TERMS,
        "description_en": (
            "Chilean forces worked alongside NATO Allies in ensuring security in Bosnia and Herzegovina."
        ),
        "description_fr": (
            "Des forces chiliennes ont travaillé aux côtés des Alliés de l'OTAN pour assurer la sécurité en "
            "Bosnie-Herzégovine."
        ),
        "source": SOURCE_TEXT,
    },
    {
        "partner": "AR",
        "operation": "kfor",
        "kind": "medical_social",
        "period_start": D(1999, 6, 12),
        "period_end": None,
        "description_en": (
            "Since 1999, Argentina has helped NATO personnel in providing medical and social assistance to "
            "the local population."
        ),
        "description_fr": (
            "Depuis 1999, l'Argentine aide le personnel de l'OTAN à fournir une assistance médicale et "
            "sociale à la population locale."
        ),
        "source": SOURCE_TEXT,
    },
    {
        "partner": "AR",
        "operation": "kfor",
        "kind": "peace_implementation",
        "period_start": D(1999, 6, 12),
        "period_end": None,
        "description_en": "Cooperation on peace agreement implementation since 1999.",
        "description_fr": "Coopération à la mise en œuvre de l'accord de paix depuis 1999.",
        "source": SOURCE_TEXT,
    },
    # Australia's troops in ISAF as a time series: each row is the figure for one month.
    {
        "partner": "AU",
        "operation": "isaf",
        "kind": "troops",
        "period_start": D(2007, 1, 1),
        "period_end": D(2007, 1, 31),
        "personnel": 500,
        **_FRAMEWORK_TERMS,
        "description_en": "Australian troops working alongside the Allies in ISAF (January 2007).",
        "description_fr": (
            "Troupes australiennes travaillant aux côtés des Alliés au sein de la FIAS (janvier 2007)."
        ),
        "source": SOURCE_REVIEW,
    },
    {
        "partner": "AU",
        "operation": "isaf",
        "kind": "troops",
        "period_start": D(2011, 3, 1),
        "period_end": D(2011, 3, 31),
        "personnel": 1550,
        **_FRAMEWORK_TERMS,
        "description_en": "Australian troops working alongside the Allies in ISAF (March 2011).",
        "description_fr": (
            "Troupes australiennes travaillant aux côtés des Alliés au sein de la FIAS (mars 2011)."
        ),
        "source": SOURCE_REVIEW,
    },
    {
        "partner": "AU",
        "operation": "isaf",
        "kind": "trust_fund",
        "period_start": D(2007, 1, 1),
        "period_end": D(2011, 3, 31),
        "amount": Decimal("32000000.00"),
        "currency": "EUR",
        "description_en": "More than EUR 32 million given to the Afghan National Army Trust Fund.",
        "description_fr": (
            "Plus de 32 millions d'euros versés au fonds d'affectation spéciale pour l'Armée nationale "
            "afghane."
        ),
        "source": SOURCE_REVIEW,
    },
    {
        "partner": "KR",
        "operation": "isaf",
        "kind": "troops",
        "period_start": D(2011, 3, 1),
        "period_end": D(2011, 3, 31),
        "personnel": 426,
        **_FRAMEWORK_TERMS,
        "command_arrangement_en": "Regional Command East. " + COMMAND_EN,
        "command_arrangement_fr": "Commandement régional Est. " + COMMAND_FR,
        "description_en": "Korean troops in ISAF, Regional Command East (March 2011).",
        "description_fr": "Troupes coréennes au sein de la FIAS, Commandement régional Est (mars 2011).",
        "source": SOURCE_REVIEW,
    },
    {
        "partner": "NZ",
        "operation": "isaf",
        "kind": "troops",
        "period_start": D(2011, 3, 1),
        "period_end": D(2011, 3, 31),
        "personnel": 236,
        **_FRAMEWORK_TERMS,
        "description_en": "New Zealand troops working alongside the Allies in ISAF (March 2011).",
        "description_fr": (
            "Troupes néo-zélandaises travaillant aux côtés des Alliés au sein de la FIAS (mars 2011)."
        ),
        "source": SOURCE_REVIEW,
    },
    {
        "partner": "JP",
        "operation": "isaf",
        "kind": "development_funding",
        "period_start": D(2007, 1, 1),
        "period_end": D(2014, 12, 31),
        "description_en": (
            "Supports ISAF efforts of stabilisation in Afghanistan without being involved militarily, by "
            "funding various development projects."
        ),
        "description_fr": (
            "Soutient les efforts de stabilisation de la FIAS en Afghanistan sans engagement militaire, en "
            "finançant divers projets de développement."
        ),
        "source": SOURCE_TEXT,
    },
    {
        "partner": "JP",
        "operation": "isaf",
        "kind": "liaison_officers",
        "period_start": D(2009, 1, 1),
        "period_end": D(2014, 12, 31),
        "personnel": 2,
        "decision_making_association_en": "Liaison officers dispatched to the operational headquarters.",
        "decision_making_association_fr": (
            "Officiers de liaison détachés auprès du quartier général de l'opération."
        ),
        "description_en": "Dispatches liaison officers in support of ISAF.",
        "description_fr": "Détache des officiers de liaison à l'appui de la FIAS.",
        "source": SOURCE_TEXT,
    },
    {
        "partner": "MN",
        "operation": "kfor",
        "kind": "troops",
        "period_start": D(2005, 10, 1),
        "period_end": D(2007, 6, 30),
        "personnel": 36,
        **_FRAMEWORK_TERMS,
        "description_en": "Mongolian troops in KFOR.",
        "description_fr": "Troupes mongoles au sein de la KFOR.",
        "source": SOURCE_ESTIMATE,
    },
    {
        "partner": "MN",
        "operation": "isaf",
        "kind": "troops",
        "period_start": D(2010, 1, 1),
        "period_end": D(2014, 12, 31),
        "personnel": 120,
        **_FRAMEWORK_TERMS,
        "description_en": "Mongolian troops in ISAF.",
        "description_fr": "Troupes mongoles au sein de la FIAS.",
        "source": SOURCE_ESTIMATE,
    },
    {
        "partner": "MN",
        "operation": "resolute-support",
        "kind": "troops",
        "period_start": D(2015, 1, 1),
        "period_end": D(2021, 6, 30),
        "personnel": 120,
        **_FRAMEWORK_TERMS,
        "description_en": "Mongolian troops in the Resolute Support Mission.",
        "description_fr": "Troupes mongoles au sein de la mission Resolute Support.",
        "source": SOURCE_ESTIMATE,
    },
    {
        "partner": "AU",
        "operation": "resolute-support",
        "kind": "troops",
        "period_start": D(2015, 1, 1),
        "period_end": D(2021, 6, 30),
        "personnel": 300,
        **_FRAMEWORK_TERMS,
        "description_en": "Australian troops in the Resolute Support Mission.",
        "description_fr": "Troupes australiennes au sein de la mission Resolute Support.",
        "source": SOURCE_ESTIMATE,
    },
    {
        "partner": "NZ",
        "operation": "resolute-support",
        "kind": "troops",
        "period_start": D(2015, 1, 1),
        "period_end": D(2021, 6, 30),
        "personnel": 10,
        **_FRAMEWORK_TERMS,
        "description_en": "New Zealand trainers in the Resolute Support Mission.",
        "description_fr": "Formateurs néo-zélandais au sein de la mission Resolute Support.",
        "source": SOURCE_ESTIMATE,
    },
    {
        "partner": "SG",
        "operation": "isaf",
        "kind": "troops",
        "period_start": D(2007, 5, 1),
        "period_end": D(2013, 6, 30),
        "personnel": 40,
        **_FRAMEWORK_TERMS,
        "description_en": "Singaporean medical, engineering and training teams in ISAF.",
        "description_fr": ("Équipes singapouriennes médicales, du génie et de formation au sein de la FIAS."),
        "source": SOURCE_ESTIMATE,
    },
    {
        "partner": "CO",
        "operation": "ocean-shield",
        "kind": "other",
        "period_start": D(2015, 6, 1),
        "period_end": D(2015, 9, 30),
        "personnel": 100,
        **_FRAMEWORK_TERMS,
        "description_en": "A Colombian Navy frigate taking part in counter-piracy patrols.",
        "description_fr": (
            "Une frégate de la marine colombienne participant aux patrouilles de lutte contre la piraterie."
        ),
        "source": SOURCE_ESTIMATE,
    },
]

_ICC_NOTES_EN = (
    "Involvement in planning and force generation through the International Coordination Centre at "
    "SHAPE, Mons (Political-Military Framework)."
)
_ICC_NOTES_FR = (
    "Participation à la planification et à la génération de forces par l'intermédiaire du Centre de "
    "coordination international au SHAPE, à Mons (cadre politico-militaire)."
)
_SHAPE_NOTES_EN = "Temporary liaison arrangement with the strategic command."
_SHAPE_NOTES_FR = "Arrangement de liaison temporaire avec le commandement stratégique."

# Natural key: partner, post, start date.
LIAISON: list[dict[str, Any]] = [
    {
        "partner": "JP",
        "post": "operational_hq",
        "operation": "isaf",
        "officers": 2,
        "start_date": D(2009, 1, 1),
        "end_date": D(2014, 12, 31),
        "notes_en": "Liaison officers dispatched in support of ISAF's efforts of stabilisation.",
        "notes_fr": "Officiers de liaison détachés à l'appui des efforts de stabilisation de la FIAS.",
    },
    {
        "partner": "AU",
        "post": "icc",
        "operation": "isaf",
        "officers": 1,
        "start_date": D(2007, 1, 1),
        "end_date": D(2014, 12, 31),
        "notes_en": _ICC_NOTES_EN,
        "notes_fr": _ICC_NOTES_FR,
    },
    {
        "partner": "AU",
        "post": "operational_hq",
        "operation": "isaf",
        "officers": 3,
        "start_date": D(2007, 1, 1),
        "end_date": D(2014, 12, 31),
        "notes_en": "Liaison officers posted in the operational headquarters.",
        "notes_fr": "Officiers de liaison affectés au quartier général de l'opération.",
    },
    {
        "partner": "NZ",
        "post": "icc",
        "operation": "isaf",
        "officers": 1,
        "start_date": D(2007, 1, 1),
        "end_date": D(2014, 12, 31),
        "notes_en": _ICC_NOTES_EN,
        "notes_fr": _ICC_NOTES_FR,
    },
    {
        "partner": "KR",
        "post": "icc",
        "operation": "isaf",
        "officers": 1,
        "start_date": D(2010, 7, 1),
        "end_date": D(2014, 12, 31),
        "notes_en": _ICC_NOTES_EN,
        "notes_fr": _ICC_NOTES_FR,
    },
    {
        "partner": "MN",
        "post": "icc",
        "operation": "isaf",
        "officers": 1,
        "start_date": D(2010, 1, 1),
        "end_date": D(2014, 12, 31),
        "notes_en": _ICC_NOTES_EN,
        "notes_fr": _ICC_NOTES_FR,
    },
    {
        "partner": "AR",
        "post": "shape",
        "operation": "sfor",
        "officers": 1,
        "start_date": D(1997, 1, 1),
        "end_date": D(2004, 12, 2),
        "notes_en": _SHAPE_NOTES_EN,
        "notes_fr": _SHAPE_NOTES_FR,
    },
    {
        "partner": "CL",
        "post": "shape",
        "operation": "sfor",
        "officers": 1,
        "start_date": D(1997, 1, 1),
        "end_date": D(2004, 12, 2),
        "notes_en": _SHAPE_NOTES_EN,
        "notes_fr": _SHAPE_NOTES_FR,
    },
    {
        "partner": "AU",
        "post": "nato_hq",
        "operation": None,
        "officers": 1,
        "start_date": D(2013, 1, 1),
        "end_date": None,
        "notes_en": "Defence attaché accredited to NATO Headquarters.",
        "notes_fr": "Attaché de défense accrédité auprès du siège de l'OTAN.",
    },
]

BUCHAREST_OBJECTIVES_EN = (
    "support for operations",
    "security cooperation",
    "enhanced common understanding",
)
BUCHAREST_AVENUES_EN = (
    "meetings of the North Atlantic Council with ministers of the countries concerned",
    "high level talks",
    "meetings with ambassadors",
)

# Natural key: partner (None: Alliance-wide), kind, date.
MILESTONES: list[dict[str, Any]] = [
    {
        "partner": "JP",
        "date": D(1990, 1, 1),
        "date_precision": "year",
        "kind": "dialogue",
        "title_en": "Political dialogue with Japan begins",
        "title_fr": "Début du dialogue politique avec le Japon",
        "description_en": (
            "NATO has been cooperating with countries which are not formal partner countries since the "
            "1990s: a political dialogue with Japan began in 1990, on an ad hoc basis."
        ),
        "description_fr": (
            "L'OTAN coopère depuis les années 1990 avec des pays qui ne sont pas des pays partenaires "
            "formels\u00a0: un dialogue politique avec le Japon a commencé en 1990, sur une base ad hoc."
        ),
    },
    {
        "partner": None,
        "date": D(1998, 1, 1),
        "date_precision": "year",
        "kind": "policy",
        "title_en": "General guidelines on relations with Contact Countries",
        "title_fr": "Lignes directrices générales sur les relations avec les pays de contact",
        "description_en": (
            "The Allies established a set of general guidelines on relations with Contact Countries. The "
            "guidelines do not allow for a formal institutionalisation of relations, but reflect the "
            "Allies' desire to increase cooperation."
        ),
        "description_fr": (
            "Les Alliés ont établi un ensemble de lignes directrices générales sur les relations avec les "
            "pays de contact. Ces lignes directrices ne permettent pas une institutionnalisation formelle "
            "des relations, mais traduisent la volonté des Alliés d'accroître la coopération."
        ),
    },
    {
        "partner": "AR",
        "date": D(1999, 1, 1),
        "date_precision": "year",
        "kind": "operation",
        "title_en": "Argentina in Kosovo: medical and social assistance, peace agreement implementation",
        "title_fr": (
            "L'Argentine au Kosovo\u00a0: assistance médicale et sociale, mise en œuvre de l'accord de paix"
        ),
        "description_en": (
            "Argentina helps NATO personnel in providing medical and social assistance to the local "
            "population and cooperates on peace agreement implementation."
        ),
        "description_fr": (
            "L'Argentine aide le personnel de l'OTAN à fournir une assistance médicale et sociale à la "
            "population locale et coopère à la mise en œuvre de l'accord de paix."
        ),
    },
    {
        "partner": None,
        "date": D(2004, 1, 1),
        "date_precision": "year",
        "kind": "policy",
        "title_en": "The term “Contact Countries” agreed by the Allies",
        "title_fr": "Les Alliés conviennent du terme «\u00a0pays de contact\u00a0»",
        "description_en": (
            "Following extensive debate, the term Contact Countries was agreed by the Allies; more "
            "recently, the term “other partners across the globe” is also being used."
        ),
        "description_fr": (
            "À l'issue d'un long débat, les Alliés sont convenus du terme «\u00a0pays de "
            "contact\u00a0»\u00a0; plus "
            "récemment, l'expression «\u00a0autres partenaires à travers le monde\u00a0» est également "
            "employée."
        ),
    },
    {
        "partner": None,
        "date": D(2006, 11, 28),
        "date_precision": "day",
        "kind": "summit",
        "title_en": "Riga Summit: operational relevance of relations with Contact Countries",
        "title_fr": "Sommet de Riga\u00a0: pertinence opérationnelle des relations avec les pays de contact",
        "description_en": (
            "NATO pledged to increase the operational relevance of relations with interested Contact "
            "Countries, and took steps to strengthen its ability to work with current and potential "
            "contributors to NATO operations which share its interests and values. This decision marked a "
            "policy shift for the Alliance, allowing Contact Countries to have access, in principle, to any "
            "of the activities offered under NATO's structured partnerships."
        ),
        "description_fr": (
            "L'OTAN s'est engagée à accroître la pertinence opérationnelle de ses relations avec les pays "
            "de contact intéressés et a pris des mesures pour renforcer sa capacité à travailler avec les "
            "pays qui contribuent ou pourraient contribuer à ses opérations et qui partagent ses intérêts "
            "et ses valeurs. Cette décision a marqué un changement de politique pour l'Alliance\u00a0: les "
            "pays "
            "de contact peuvent avoir accès, en principe, à toutes les activités proposées dans le cadre "
            "des partenariats structurés de l'OTAN."
        ),
    },
    {
        "partner": None,
        "date": D(2008, 4, 2),
        "date_precision": "day",
        "kind": "summit",
        "title_en": "Bucharest Summit: objectives and avenues for political dialogue",
        "title_fr": "Sommet de Bucarest\u00a0: objectifs et voies de dialogue politique",
        "description_en": (
            "Decisions taken at the Bucharest Summit defined NATO's objectives for its relationships with "
            "partners across the globe: support for operations, security cooperation, and enhanced common "
            "understanding to advance shared security interests and democratic values. Avenues were "
            "created to enhance political dialogue: meetings of the North Atlantic Council with ministers "
            "of the countries concerned, high level talks, and meetings with ambassadors. Annual work "
            "programmes (Individual Tailored Cooperation Packages of Activities) were further developed."
        ),
        "description_fr": (
            "Les décisions prises au sommet de Bucarest ont défini les objectifs des relations de l'OTAN "
            "avec les partenaires à travers le monde\u00a0: soutien aux opérations, coopération en matière "
            "de "
            "sécurité et meilleure compréhension mutuelle, afin de promouvoir des intérêts de sécurité et "
            "des valeurs démocratiques communs. Des voies ont été créées pour renforcer le dialogue "
            "politique\u00a0: réunions du Conseil de l'Atlantique Nord avec les ministres des pays "
            "concernés, "
            "entretiens de haut niveau et réunions avec les ambassadeurs. Les programmes de travail annuels "
            "(ensembles de mesures de coopération taillées sur mesure, ITCP) ont été développés davantage."
        ),
    },
    {
        "partner": None,
        "date": D(2011, 4, 15),
        "date_precision": "day",
        "kind": "policy",
        "title_en": "Berlin partnership policy: one menu of activities for all partners",
        "title_fr": "Politique de partenariat de Berlin\u00a0: un seul menu d'activités pour tous les "
        "partenaires",
        "description_en": (
            "A more efficient and flexible partnership policy opens the Partnership Cooperation Menu to "
            "all partners; individual programmes become Individual Partnership and Cooperation Programmes."
        ),
        "description_fr": (
            "Une politique de partenariat plus efficace et plus souple ouvre le menu de coopération "
            "partenariale à tous les partenaires\u00a0; les programmes individuels deviennent des programmes "
            "individuels de partenariat et de coopération."
        ),
    },
]

# Each partner's programme agreements, as milestones (month precision: the month is public, not the day).
for _iso, _year, _month in (("MN", 2012, 3), ("NZ", 2012, 6), ("KR", 2012, 9), ("AU", 2013, 2)):
    MILESTONES.append(
        {
            "partner": _iso,
            "date": D(_year, _month, 1),
            "date_precision": "month",
            "kind": "agreement",
            "title_en": "Individual Partnership and Cooperation Programme agreed",
            "title_fr": "Adoption du programme individuel de partenariat et de coopération",
            "description_en": "The annual ITCP gives way to a programme approved by the NAC and the partner.",
            "description_fr": (
                "L'ITCP annuel laisse place à un programme approuvé par le Conseil de l'Atlantique Nord et "
                "le partenaire."
            ),
        }
    )
for _iso in ("AU", "JP", "KR", "NZ"):
    MILESTONES.append(
        {
            "partner": _iso,
            "date": D(2023, 1, 1),
            "date_precision": "year",
            "kind": "agreement",
            "title_en": "Individually Tailored Partnership Programme",
            "title_fr": "Programme de partenariat individuel taillé sur mesure",
            "description_en": "Strategic objectives, partnership goals and supporting activities.",
            "description_fr": "Objectifs stratégiques, objectifs de partenariat et activités à l'appui.",
        }
    )

# How titles name a partner: "the ambassador of the Republic of Korea", "l'ambassadeur du Japon".
PARTNER_OF: dict[str, tuple[str, str]] = {
    "AU": ("Australia", "de l'Australie"),
    "JP": ("Japan", "du Japon"),
    "KR": ("the Republic of Korea", "de la République de Corée"),
    "NZ": ("New Zealand", "de la Nouvelle-Zélande"),
    "AR": ("Argentina", "de l'Argentine"),
    "CL": ("Chile", "du Chili"),
    "AF": ("Afghanistan", "de l'Afghanistan"),
    "CO": ("Colombia", "de la Colombie"),
    "IQ": ("Iraq", "de l'Iraq"),
    "MN": ("Mongolia", "de la Mongolie"),
    "PK": ("Pakistan", "du Pakistan"),
    "SG": ("Singapore", "de Singapour"),
}

_DIALOGUE_KIND_TITLES = {
    "nac_ministers": (
        "North Atlantic Council meeting with a minister of {en}",
        "Réunion du Conseil de l'Atlantique Nord avec un ministre {fr}",
    ),
    "high_level": ("High-level talks with {en}", "Entretiens de haut niveau avec les autorités {fr}"),
    "ambassadors": ("Meeting with the ambassador of {en}", "Réunion avec l'ambassadeur {fr}"),
    "staff_talks": ("Staff talks with {en}", "Entretiens entre services avec les représentants {fr}"),
}

# (partner, date, kind, location, title override EN/FR or None). Natural key: partner, date, kind.
DIALOGUE: list[tuple[str, datetime.date, str, str, tuple[str, str] | None]] = [
    (
        "JP",
        D(2007, 1, 12),
        "nac_ministers",
        "Brussels",
        (
            "North Atlantic Council meeting with the Prime Minister of Japan",
            "Réunion du Conseil de l'Atlantique Nord avec le Premier ministre du Japon",
        ),
    ),
    ("JP", D(2009, 6, 15), "high_level", "Tokyo", None),
    ("JP", D(2010, 5, 20), "ambassadors", "Brussels", None),
    ("JP", D(2013, 4, 15), "high_level", "Tokyo", None),
    ("AU", D(2008, 4, 3), "nac_ministers", "Bucharest", None),
    ("AU", D(2010, 11, 19), "ambassadors", "Brussels", None),
    ("AU", D(2012, 6, 14), "high_level", "Brussels", None),
    ("KR", D(2009, 12, 3), "nac_ministers", "Brussels", None),
    ("KR", D(2011, 10, 12), "high_level", "Seoul", None),
    ("KR", D(2012, 9, 26), "ambassadors", "Brussels", None),
    ("NZ", D(2010, 2, 8), "ambassadors", "Brussels", None),
    ("NZ", D(2012, 6, 4), "high_level", "Brussels", None),
    ("MN", D(2012, 3, 19), "high_level", "Brussels", None),
    ("MN", D(2011, 5, 10), "staff_talks", "Ulaanbaatar", None),
    ("PK", D(2011, 1, 25), "high_level", "Brussels", None),
    ("PK", D(2012, 5, 21), "nac_ministers", "Chicago", None),
    ("IQ", D(2011, 9, 28), "ambassadors", "Brussels", None),
    ("CO", D(2013, 6, 25), "high_level", "Brussels", None),
    ("AR", D(2000, 3, 14), "staff_talks", "Brussels", None),
    ("CL", D(2001, 10, 2), "staff_talks", "Brussels", None),
]

DIALOGUE_SUMMARY = (
    "An avenue for enhanced political dialogue created at the 2008 Bucharest Summit.",
    "Une voie de dialogue politique renforcé créée au sommet de Bucarest en 2008.",
)
DIALOGUE_SUMMARY_BEFORE_2008 = (
    "Political dialogue on an ad hoc basis, before the avenues created at the 2008 Bucharest Summit.",
    "Dialogue politique sur une base ad hoc, avant les voies créées au sommet de Bucarest en 2008.",
)


def dialogue_title(kind: str, iso_code: str) -> tuple[str, str]:
    """A dialogue meeting's English and French titles from its kind and the partner."""
    en, fr = _DIALOGUE_KIND_TITLES[kind]
    of_en, of_fr = PARTNER_OF[iso_code]
    return en.format(en=of_en), fr.format(fr=of_fr)


DESKS: list[dict[str, Any]] = [
    {
        "code": "asia-pacific",
        "name_en": "Asia-Pacific desk",
        "name_fr": "Bureau Asie-Pacifique",
        "partners": ["AU", "JP", "KR", "NZ", "MN", "SG"],
        "head": "officer",
        "members": ["officer"],
    },
    {
        "code": "latin-america",
        "name_en": "Latin America desk",
        "name_fr": "Bureau Amérique latine",
        "partners": ["AR", "CL", "CO"],
        "head": "officer2",
        "members": ["officer2"],
    },
    {
        "code": "middle-east-south-asia",
        "name_en": "Middle East and South Asia desk",
        "name_fr": "Bureau Moyen-Orient et Asie du Sud",
        "partners": ["AF", "IQ", "PK"],
        "head": "officer2",
        "members": ["officer2"],
    },
]

# The one password of every demo user; long enough for the password validators.
DEMO_PASSWORD = "portal-demo-2026"  # noqa: S105 - a published demo credential, not a secret

USERS: list[dict[str, Any]] = [
    {
        "username": "viewer",
        "first_name": "Claire",
        "last_name": "Dubois",
        "roles": ["viewer"],
        "clearance": 10,
        "preferred_language": "fr",
    },
    {
        "username": "officer",
        "first_name": "James",
        "last_name": "Whitaker",
        "roles": ["officer"],
        "clearance": 20,
        "preferred_language": "en",
    },
    {
        "username": "officer2",
        "first_name": "Lucía",
        "last_name": "Fernández",
        "roles": ["officer"],
        "clearance": 20,
        "preferred_language": "en",
    },
    {
        "username": "reviewer",
        "first_name": "Anna",
        "last_name": "Kowalska",
        "roles": ["reviewer"],
        "clearance": 30,
        "preferred_language": "en",
    },
    {
        "username": "secretary",
        "first_name": "Pieter",
        "last_name": "de Vries",
        "roles": ["council_secretary"],
        "clearance": 40,
        "preferred_language": "fr",
    },
    {
        "username": "analyst",
        "first_name": "Sofia",
        "last_name": "Rossi",
        "roles": ["analyst"],
        "clearance": 30,
        "preferred_language": "en",
    },
    {
        "username": "admin",
        "first_name": "Ingrid",
        "last_name": "Larsen",
        "roles": ["administrator"],
        "clearance": 40,
        "preferred_language": "en",
        "is_staff": True,
        "is_superuser": True,
    },
]
