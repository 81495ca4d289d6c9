"""The demo's desks and users, and their published password."""

from __future__ import annotations

from typing import Any

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
