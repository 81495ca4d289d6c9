"""Full-text search in English and French (PostgreSQL text search, served by GIN expression indexes).

A model that is searched declares a GIN index on its search vector, e.g.
`GinIndex(bilingual_vector("name"), name="partner_search_idx")`, and its selector filters with the very
same expression: `.alias(found=bilingual_vector("name")).filter(found=search_query(q))`. PostgreSQL uses
the index only when the query's expression is the index's, so both come from these functions.

Each word typed matches the words of the text that start with it (`jap` finds Japan), after the
language's stemming (`linguistique` finds "Formation linguistique", `courses` finds "course").
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchVector

# English text is read with English stemming and French text with French stemming.
LANGUAGE_CONFIGS = (("en", "english"), ("fr", "french"))
_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 8


def bilingual_vector(*fields: str) -> SearchVector:
    """The search vector of bilingual fields: their `_en` columns in English, `_fr` columns in French."""
    vectors = [
        SearchVector(*(f"{name}_{code}" for name in fields), config=config)
        for code, config in LANGUAGE_CONFIGS
    ]
    return vectors[0] + vectors[1]  # type: ignore[return-value]


def text_vector(*fields: str) -> SearchVector:
    """The search vector of text written in either language: the same columns read both ways."""
    vectors = [SearchVector(*fields, config=config) for _code, config in LANGUAGE_CONFIGS]
    return vectors[0] + vectors[1]  # type: ignore[return-value]


def search_words(q: str) -> list[str]:
    """The words of a search, without the operators of PostgreSQL's query syntax."""
    return _WORD.findall(q.lower())[:MAX_WORDS]


def search_query(q: str) -> SearchQuery | None:
    """Every word as a prefix, in English or in French; None when the text has no word to search."""
    words = search_words(q)
    if not words:
        return None
    raw = " & ".join(f"{word}:*" for word in words)
    english, french = (
        SearchQuery(raw, config=config, search_type="raw") for _code, config in LANGUAGE_CONFIGS
    )
    return english | french
