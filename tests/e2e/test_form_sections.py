"""A form's sections stand apart: each section title after the first has room above it, clear of the
field before it (it once sat against the list box above), at both widths and in both languages."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Space (px) between a section title and the bottom of whatever the form shows above it.
MINIMUM_GAP = 24

GAPS = """
() => [...document.querySelectorAll("form.portal-form > fieldset > legend.usa-legend--large")].slice(1)
  .map((legend) => {
    const previous = legend.parentElement.previousElementSibling;
    return {
      title: legend.textContent.trim(),
      gap: legend.getBoundingClientRect().top - previous.getBoundingClientRect().bottom,
    };
  })
"""


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("width", [1280, 390])
def test_each_section_title_of_the_request_form_has_room_above(visit, language: str, width: int) -> None:
    officer = visit("officer", language=language)
    officer.page.set_viewport_size({"width": width, "height": 900})
    officer.goto("/requests/new/")
    sections = officer.page.evaluate(GAPS)
    assert len(sections) >= 2
    cramped = [f"{s['title']!r}: {s['gap']:.0f} px" for s in sections if s["gap"] < MINIMUM_GAP]
    assert not cramped, f"section titles too close to what is above at {width} px ({language}): {cramped}"
