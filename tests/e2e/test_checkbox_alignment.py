"""Row checkboxes sit on their row's line: in the review queue and the agenda builder, each row's
checkbox is centred on the first line of the row's text (it once sat half a row below it)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from workprogrammes.council.models import CouncilMeeting
from workprogrammes.requests.models import InclusionRequest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# How far apart (px) the checkbox's centre and the centre of the row's first line of text may be (the
# misaligned box sat 3.2 px low at 1280 px).
TOLERANCE = 1.5

# For each row with a checkbox: the centre of the drawn box (the label's ::before, the input itself
# being hidden by the design system) and the centre of the first line of text in the row's next cell.
MEASURE = """
(selector) => [...document.querySelectorAll(selector)].map((input) => {
  const row = input.closest("tr");
  const label = row.querySelector(`label[for="${input.id}"]`);
  const box = getComputedStyle(label, "::before");
  const labelRect = label.getBoundingClientRect();
  const boxTop = labelRect.top + parseFloat(box.top || "0") + parseFloat(box.marginTop || "0");
  const checkbox = boxTop + parseFloat(box.height) / 2;
  const cell = input.closest("td, th").nextElementSibling;
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.textContent.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT),
  });
  const range = document.createRange();
  range.selectNodeContents(walker.nextNode());
  const line = range.getClientRects()[0];
  return {
    id: input.id, checkbox, text: line.top + line.height / 2, boxHeight: parseFloat(box.height),
    labelTop: labelRect.top, lineTop: line.top, lineHeight: line.height,
    cellTop: cell.getBoundingClientRect().top + parseFloat(getComputedStyle(cell).paddingTop),
  };
})
"""


def _misaligned(page: Any, selector: str) -> list[str]:
    rows = page.evaluate(MEASURE, selector)
    assert rows, f"no row checkbox matches {selector} on {page.url}"
    for row in rows:
        assert row["boxHeight"] > 0, f"{row['id']}: the checkbox is not drawn"
    return [
        f"{row['id']}: checkbox centre {row['checkbox']:.1f}, text centre {row['text']:.1f} (label top "
        f"{row['labelTop']:.1f}, cell content top {row['cellTop']:.1f}, text line {row['lineTop']:.1f} + "
        f"{row['lineHeight']:.1f})"
        for row in rows
        if abs(row["checkbox"] - row["text"]) > TOLERANCE
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_row_checkboxes_sit_on_their_rows_line_in_the_queue_and_the_agenda_builder(visit, width: int) -> None:
    # Requests awaiting the Council are the agenda builder's rows.
    waiting = InclusionRequest.objects.filter(status=InclusionRequest.Status.SUBMITTED).order_by("pk")[:2]
    InclusionRequest.objects.filter(pk__in=[r.pk for r in waiting]).update(
        status=InclusionRequest.Status.AWAITING_COUNCIL
    )
    meeting = CouncilMeeting.objects.order_by("-date").first()
    assert meeting is not None, "the demo data has council meetings"
    problems = []
    # The queue's rows are ticked by those who have bulk actions to take (a reviewer); the agenda's by
    # the secretary.
    for username, path, selector in (
        ("reviewer", "/requests/queue/", "input[name=requests][id^=pick-]"),
        ("secretary", f"/council/meetings/{meeting.pk}/agenda/", "input[name=requests][id^=agenda-]"),
    ):
        visitor = visit(username)
        page = visitor.page
        page.set_viewport_size({"width": width, "height": 900})
        visitor.goto(path)
        expect(page.locator(selector).first).to_be_attached()
        problems += [f"{path} at {width} px: {problem}" for problem in _misaligned(page, selector)]
    assert not problems, "\n".join(problems)
