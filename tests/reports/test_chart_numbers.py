"""Chart axes in the PDFs write numbers as the reader's language does: "1 500" and "2,5" in French."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import weasyprint
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portal.core.charts import ChartSpec, Series
from tests.factories import ContributionFactory, OperationFactory

NBSP = "\u00a0"


def _chart(values: list[float]) -> ChartSpec:
    return ChartSpec(
        key="personnel",
        kind="bar",
        title="Peak personnel",
        category_label="Year",
        labels=[str(2007 + i) for i in range(len(values))],
        series=[Series("ISAF", values)],
    )


def _svg_texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_french_axis_numbers_are_grouped_with_a_non_breaking_space() -> None:
    with translation.override("fr"):
        texts = _svg_texts(_chart([500, 1100, 1550]).svg())

    assert f"1{NBSP}500" in texts and f"2{NBSP}000" in texts
    assert not any("," in text for text in texts if text[:1].isdigit())


def test_english_axis_numbers_are_grouped_with_a_comma() -> None:
    with translation.override("en"):
        texts = _svg_texts(_chart([500, 1100, 1550]).svg())

    assert "1,500" in texts and "2,000" in texts


def test_french_axis_decimals_take_a_comma() -> None:
    with translation.override("fr"):
        french = _svg_texts(_chart([3, 7.5, 9]).svg())
    with translation.override("en"):
        english = _svg_texts(_chart([3, 7.5, 9]).svg())

    assert "2,5" in french and "7,5" in french
    assert "2.5" in english and "7.5" in english


@pytest.mark.django_db
def test_a_french_partner_pdf_draws_its_chart_axis_in_french(
    analyst_client: Client, partner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    isaf = OperationFactory(acronym_en="ISAF", name_en="International Security Assistance Force")
    for year, personnel in ((2007, 500), (2009, 1100), (2011, 1550)):
        ContributionFactory(
            partner=partner, operation=isaf, period_start=datetime.date(year, 1, 1), personnel=personnel
        )
    printed: list[str] = []
    real_html = weasyprint.HTML

    def html(*, string: str, **kwargs: Any) -> Any:
        printed.append(string)
        return real_html(string=string, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", html)
    analyst_client.cookies["django_language"] = "fr"

    response = analyst_client.get(reverse("reports:partner-pdf") + "?partner=JP")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    (page,) = printed
    svg = page[page.index("<svg") : page.index("</svg>")]
    texts = _svg_texts(svg)
    assert f"1{NBSP}500" in texts and f"2{NBSP}000" in texts
    assert "1,500" not in svg and "2,000" not in svg
    assert f"1{NBSP}550" in page, "the chart's data table"
