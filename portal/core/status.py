"""One look per status value, the same on every page, dashboard and e-mail.

portal.css has a `.portal-status--<value>` rule per entry with these exact colours (a test holds them
together); e-mails, which cannot use the style sheet, render the tag with these colours inline.
Values shared by several models (e.g. `draft`) mean the same stage and deliberately look the same.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StatusStyle:
    background: str
    text: str
    border: str

    @property
    def inline_css(self) -> str:
        return f"background-color:{self.background};color:{self.text};border:1px solid {self.border}"


def _solid(colour: str) -> StatusStyle:
    return StatusStyle(background=colour, text="#ffffff", border=colour)


def _outline(background: str, text: str, border: str) -> StatusStyle:
    return StatusStyle(background=background, text=text, border=border)


STATUS_STYLES: dict[str, StatusStyle] = {
    # Work programmes
    "draft": _solid("#565c65"),
    "proposed": _outline("#d9e8f6", "#162e51", "#2378c3"),
    "agreed": _solid("#4d8055"),
    "active": _solid("#00756a"),
    "closed": _solid("#1b1b1b"),
    # Programme activities
    "planned": _outline("#f0f0f0", "#1b1b1b", "#a9aeb1"),
    "confirmed": _solid("#2e6276"),
    "held": _solid("#5e519e"),
    "reported": _solid("#1a5e4d"),
    "cancelled": _outline("#f8e1de", "#6f3331", "#b50909"),
    # Inclusion requests
    "submitted": _solid("#005ea2"),
    "under_review": _solid("#1a4480"),
    "returned": _solid("#c05600"),
    "recommended": _solid("#00687d"),
    "not_recommended": _solid("#9c3d10"),
    "awaiting_council": _solid("#4a50c4"),
    "silence": _solid("#54278f"),
    "approved": _solid("#216e1f"),
    "approved_exempt": _outline("#e3f5e1", "#154c21", "#216e1f"),
    "rejected": _solid("#b50909"),
    "deferred": _solid("#7a591a"),
    "withdrawn": _outline("#ffffff", "#3d4551", "#71767a"),
    # Council agenda items ("under_silence" is the request's "silence" seen from the agenda)
    "scheduled": _outline("#e7e6f7", "#2e2a5f", "#4a50c4"),
    "under_silence": _solid("#54278f"),
    "silence_broken": _solid("#8b0a03"),
    "decided": _solid("#3d4551"),
    # Catalogue imports
    "previewed": _outline("#fef0c8", "#5c410a", "#c2850c"),
    "applied": _solid("#19563e"),
    "discarded": _outline("#f0f0f0", "#565c65", "#a9aeb1"),
    # Partners
    "former": _outline("#dfe1e2", "#1b1b1b", "#71767a"),
}

UNKNOWN_STATUS_STYLE = _outline("#ffffff", "#1b1b1b", "#1b1b1b")


def status_style(value: str) -> StatusStyle:
    """The look of a status value; an unknown value gets a plain outline rather than an error."""
    return STATUS_STYLES.get(value, UNKNOWN_STATUS_STYLE)
