"""The NATO-led operations partners contributed to."""

from __future__ import annotations

import datetime
from typing import Any

D = datetime.date


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
