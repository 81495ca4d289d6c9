"""The milestones of the partnerships, the Alliance's and each partner's."""

from __future__ import annotations

import datetime
from typing import Any

D = datetime.date


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
