"""Political dialogue meetings with the partners, and how their titles name each partner."""

from __future__ import annotations

import datetime

D = datetime.date


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
