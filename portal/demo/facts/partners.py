"""The demo's partners: the Contact Countries of the source text and the partners around them."""

from __future__ import annotations

from typing import Any

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
