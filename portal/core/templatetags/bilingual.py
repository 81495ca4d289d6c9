"""Bilingual (English/French) record text in the page's language, marked where it falls back.

`{% tr_field partner "name" %}` shows `name_fr` on a French page and `name_en` on an English one. When
the page's language has no text, the other language's text is shown inside an element that carries its
`lang` (so screen readers pronounce it right) followed by a small visible tag, "(EN)" or "(FR)", and a
sentence for screen readers saying the translation is missing.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from portal.core.i18n import active_language, name_of

register = template.Library()

_OTHER = {"en": "fr", "fr": "en"}


def _read(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def bilingual_value(obj: Any, field: str) -> tuple[str, str | None]:
    """The field's text in the page's language, and the language it fell back to (None if it did not)."""
    if obj is None or obj == "":
        return "", None
    language = active_language()
    own = _read(obj, f"{field}_{language}")
    if own is None and _read(obj, f"{field}_{_OTHER[language]}") is None:
        # Not a bilingual field: show it as it is.
        value = _read(obj, field)
        return ("" if value is None else str(value)), None
    if own not in (None, ""):
        return str(own), None
    other = _OTHER[language]
    fallback = _read(obj, f"{field}_{other}")
    if fallback in (None, ""):
        return "", None
    return str(fallback), other


def _fallback_missing(fallback: str) -> str:
    if fallback == "en":
        return gettext("(not yet translated into French; shown in English)")
    return gettext("(not yet translated into English; shown in French)")


def _tagged(body: str, fallback: str) -> SafeString:
    """A bilingual text shown in its other language, for want of the page's."""
    return _in_other_language(body, fallback, _fallback_missing(fallback))


def _in_other_language(body: str, language: str, note: str) -> SafeString:
    """Text in another language than the page's: in an element with its `lang`, a visible "(EN)"/"(FR)"
    tag and a sentence for screen readers. The one way the portal marks such text."""
    return format_html(
        '<span lang="{}">{}</span> <span class="portal-lang-fallback" aria-hidden="true">({})</span>'
        '<span class="usa-sr-only"> {}</span>',
        language,
        body,
        language.upper(),
        note,
    )


@register.simple_tag
def tr_field(obj: Any, field: str, multiline: bool = False) -> SafeString:
    """A bilingual field of `obj` in the page's language, with the other language and a tag as fallback.

    `multiline=True` keeps the text's line breaks (for descriptions and summaries).
    """
    text, fallback = bilingual_value(obj, field)
    body = linebreaksbr(text, autoescape=True) if multiline else conditional_escape(text)
    if fallback is None:
        return SafeString(body)
    return _tagged(body, fallback)


def tr_pair(english: str | None, french: str | None, language: str) -> str:
    """`tr_field`'s markup for a bilingual text given as its two columns, `language` being the page's
    (`active_language()`, read once by a caller writing many rows). Single-line text only."""
    own, other, fallback = (french, english, "en") if language == "fr" else (english, french, "fr")
    if own:
        return escape(own)
    if not other:
        return ""
    return _tagged(escape(other), fallback)


@register.filter(is_safe=True)
def typed_text(value: Any) -> str:
    """Free text typed in English with no French version (a place, a host organisation, a title typed
    outside the catalogue): as it is on an English page, marked "(EN)" on a French one.

    `{{ activity.place|typed_text|default:"–" }}`: an empty value stays empty.
    """
    return typed(value, active_language())


def typed(value: Any, language: str) -> str:
    """`typed_text`'s markup for a page in `language` (read once by a caller writing many rows)."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if language == "en":
        return conditional_escape(text)
    return _in_other_language(conditional_escape(text), "en", gettext("(in English; no French version)"))


@register.filter
def tr_text(obj: Any, field: str) -> str:
    """The plain text of a bilingual field, with fallback but no markup: for attributes and titles."""
    return bilingual_value(obj, field)[0]


@register.filter
def of_name(name: Any) -> str:
    """A country's name after "of" in the page's language: "of Japan", "du Japon", "de l'Australie"."""
    return name_of(str(name or ""))


@register.simple_tag
def tr_activity_title(inclusion_request: Any) -> SafeString:
    """A request's activity title in the page's language, tagged "(EN)"/"(FR)" where it falls back.

    The title comes from the programme activity or the catalogue item (both bilingual); a title the
    officer typed for an activity outside the catalogue is shown as typed (`typed_text`).
    """
    activity = getattr(inclusion_request, "programme_activity", None)
    if activity is not None:
        return tr_field(activity, "title")
    if getattr(inclusion_request, "title", ""):
        return SafeString(typed_text(inclusion_request.title))
    return tr_field(getattr(inclusion_request, "catalogue_item", None), "title")
