"""The demo's reference lists: regions, partnership frameworks and areas of cooperation."""

from __future__ import annotations

from typing import Any

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
