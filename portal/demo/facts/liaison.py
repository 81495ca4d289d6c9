"""The partners' liaison arrangements: officers posted to operational headquarters, SHAPE and NATO
Headquarters."""

from __future__ import annotations

import datetime
from typing import Any

D = datetime.date


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
