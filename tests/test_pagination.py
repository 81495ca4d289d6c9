"""The pagination bar under every list: its links keep the filters and sorting where the address had them,
and it reads the same in English and French."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from portal.core.pagination import PageLink, paginate


def _bar(query: str, count: int = 200, per_page: int = 10) -> dict:
    return paginate(RequestFactory().get(f"/requests/queue/?{query}"), list(range(count)), per_page=per_page)


def test_every_link_keeps_the_filters_and_the_page_where_it_was() -> None:
    bar = _bar("status=under_review&page=7&sort=-due&q=a%26b")
    numbers = [link.number for link in bar["page_links"]]

    assert numbers == [1, None, 5, 6, 7, 8, 9, None, 20]
    assert bar["page_links"][4] == PageLink(
        7, "?status=under_review&page=7&sort=-due&q=a%26b", "Page 7", True
    )
    assert bar["previous_url"] == "?status=under_review&page=6&sort=-due&q=a%26b"
    assert bar["next_url"] == "?status=under_review&page=8&sort=-due&q=a%26b"
    assert [link.current for link in bar["page_links"]].count(True) == 1


def test_a_first_page_adds_the_page_at_the_end_and_has_no_previous_link() -> None:
    bar = _bar("partner=3")
    assert bar["page_obj"].number == 1
    assert bar["previous_url"] == ""
    assert bar["next_url"] == "?partner=3&page=2"
    assert bar["page_links"][1].url == "?partner=3&page=2"


def test_a_page_past_the_last_shows_the_last_and_one_page_shows_no_bar() -> None:
    assert _bar("page=99")["page_obj"].number == 20
    assert _bar("page=99")["next_url"] == ""
    single = _bar("page=1", count=5)
    assert single["page_links"] == [] and single["previous_url"] == single["next_url"] == ""


@pytest.mark.parametrize(("language", "label"), [("en", "Page 2"), ("fr", "Page 2")])
def test_the_links_are_labelled_in_the_pages_language(language: str, label: str) -> None:
    with translation.override(language):
        assert _bar("")["page_links"][1].label == label
