"""What each partner contributed to each operation, with the source text's wording on how their
forces were commanded and associated."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from .sources import SOURCE_ESTIMATE, SOURCE_REVIEW, SOURCE_TEXT

D = datetime.date


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
