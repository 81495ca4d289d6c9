"""Importing the catalogue: a preview (new, changed, invalid rows), then all or nothing; used items kept."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from tests.factories import CatalogueItemFactory, CooperationAreaFactory, ProgrammeActivityFactory
from workprogrammes.catalogue.models import CatalogueImport, CatalogueItem
from workprogrammes.catalogue.services import catalogue_import_apply, catalogue_import_preview

HEADER = (
    "code,title_en,title_fr,kind,area,needs_council_decision,exemption_reason_en,external_reference,"
    "duration_days,languages,marking,fee_eur\n"
)


@pytest.fixture
def areas(db):
    return {
        "education": CooperationAreaFactory(code="education", name_en="Education and training"),
        "exercises": CooperationAreaFactory(code="exercises", name_en="Joint exercises"),
    }


def csv_file(*lines: str, name: str = "catalogue.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + "".join(lines)).encode("utf-8"), content_type="text/csv")


GOOD_NEW = (
    "ACT-396,Crisis management course,Cours de gestion de crise,education,education,no,"
    'Open to all partners,ACT.396,5,"en, fr",NU,1200\n'
)
GOOD_CHANGED = "EX-0001,Steadfast Jazz,Steadfast Jazz FR,exercise,exercises,yes,,,10,en,NR,\n"
BAD = "BAD-1,,Sans titre,spaceflight,nowhere,maybe,,,0,en,NU,-5\n"


def test_preview_shows_new_changed_and_invalid_rows_and_writes_nothing(administrator, areas) -> None:
    CatalogueItemFactory(code="EX-0001", title_en="Steadfast", kind="exercise", area=areas["exercises"])

    preview = catalogue_import_preview(
        actor=administrator, uploaded_file=csv_file(GOOD_NEW, GOOD_CHANGED, BAD)
    )

    summary = preview.summary
    assert [row["code"] for row in summary["new"]] == ["ACT-396"]
    changed = summary["changed"][0]
    assert changed["code"] == "EX-0001" and changed["line"] == 3
    fields = {f["field"]: (f["old"], f["new"]) for f in changed["fields"]}
    assert fields["title_en"] == ("Steadfast", "Steadfast Jazz")
    assert fields["marking"] == ("10", "20")
    invalid = summary["invalid"][0]
    assert invalid["line"] == 4 and invalid["code"] == "BAD-1"
    reasons = " ".join(invalid["reasons"])
    for problem in ("title_en", "kind", "area", "needs_council_decision", "duration_days", "fee_eur"):
        assert problem in reasons
    assert len(preview.sha256) == 64
    assert not CatalogueItem.objects.filter(code="ACT-396").exists()
    assert CatalogueItem.objects.get(code="EX-0001").title_en == "Steadfast"


def test_a_file_with_a_bad_row_is_not_imported_at_all(administrator, areas) -> None:
    CatalogueItemFactory(code="EX-0001", title_en="Steadfast", kind="exercise", area=areas["exercises"])
    preview = catalogue_import_preview(
        actor=administrator, uploaded_file=csv_file(GOOD_NEW, GOOD_CHANGED, BAD)
    )

    with pytest.raises(ValidationError):
        catalogue_import_apply(actor=administrator, catalogue_import=preview)

    assert not CatalogueItem.objects.filter(code="ACT-396").exists()
    assert CatalogueItem.objects.get(code="EX-0001").title_en == "Steadfast"
    preview.refresh_from_db()
    assert preview.status == CatalogueImport.Status.PREVIEWED


def test_confirm_writes_exactly_the_preview_in_both_languages(administrator, areas) -> None:
    CatalogueItemFactory(code="EX-0001", title_en="Steadfast", kind="exercise", area=areas["exercises"])
    preview = catalogue_import_preview(actor=administrator, uploaded_file=csv_file(GOOD_NEW, GOOD_CHANGED))

    catalogue_import_apply(actor=administrator, catalogue_import=preview)

    new = CatalogueItem.objects.get(code="ACT-396")
    assert (new.title_en, new.title_fr, new.external_reference) == (
        "Crisis management course",
        "Cours de gestion de crise",
        "ACT.396",
    )
    assert new.needs_council_decision is False and new.exemption_reason_en == "Open to all partners"
    assert (new.duration_days, new.languages, str(new.fee_eur), new.area) == (
        5,
        ["en", "fr"],
        "1200.00",
        areas["education"],
    )
    changed = CatalogueItem.objects.get(code="EX-0001")
    assert (changed.title_en, changed.marking) == ("Steadfast Jazz", 20)
    preview.refresh_from_db()
    assert preview.status == CatalogueImport.Status.APPLIED and preview.applied_at is not None
    with pytest.raises(ValidationError):  # an import is applied once
        catalogue_import_apply(actor=administrator, catalogue_import=preview)


def test_a_preview_the_catalogue_moved_on_from_is_refused_entirely(administrator, areas) -> None:
    item = CatalogueItemFactory(
        code="EX-0001", title_en="Steadfast", kind="exercise", area=areas["exercises"]
    )
    preview = catalogue_import_preview(actor=administrator, uploaded_file=csv_file(GOOD_NEW, GOOD_CHANGED))
    item.title_en = "Changed meanwhile"
    item.save(update_fields=["title_en"])

    with pytest.raises(ValidationError):
        catalogue_import_apply(actor=administrator, catalogue_import=preview)

    # The new row came first in the file and was valid, yet it is not half-imported.
    assert not CatalogueItem.objects.filter(code="ACT-396").exists()


def test_whole_catalogue_file_deactivates_used_items_and_retires_unused_ones(administrator, areas) -> None:
    used = CatalogueItemFactory(code="USED-1", area=areas["education"])
    ProgrammeActivityFactory(catalogue_item=used)
    unused = CatalogueItemFactory(code="UNUSED-1", area=areas["education"])

    preview = catalogue_import_preview(
        actor=administrator, uploaded_file=csv_file(GOOD_NEW), deactivate_missing=True
    )
    actions = {row["code"]: row["action"] for row in preview.summary["missing"]}
    assert actions == {"USED-1": "deactivate", "UNUSED-1": "retire"}
    catalogue_import_apply(actor=administrator, catalogue_import=preview)

    used.refresh_from_db()
    unused.refresh_from_db()
    assert used.deactivated_on == datetime.date.today() and used.deleted_at is None
    assert unused.deleted_at is not None  # retired, still in the table
    assert CatalogueItem.objects.filter(code="UNUSED-1").exists()


def test_xlsx_is_read_with_its_line_numbers(administrator, areas) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["Code", "Title EN", "title_fr", "Kind", "Area", "Needs NAC decision", "ePRIME", "active_from"]
    )
    sheet.append(
        [
            "X-1",
            "Language advice",
            "Conseil linguistique",
            "Language training and advice",
            "education",
            "yes",
            "ACT.100",
            datetime.datetime(2024, 1, 1),
        ]
    )
    sheet.append(["X-2", "Dated badly", "", "language", "education", "yes", "", "next year"])
    data = io.BytesIO()
    workbook.save(data)
    upload = SimpleUploadedFile("catalogue.xlsx", data.getvalue())

    preview = catalogue_import_preview(actor=administrator, uploaded_file=upload)

    assert [row["code"] for row in preview.summary["new"]] == ["X-1"]
    assert preview.summary["invalid"][0]["line"] == 3
    assert preview.rows[0]["values"]["active_from"] == "2024-01-01"
    assert preview.rows[0]["values"]["kind"] == "language"


def test_an_unreadable_file_is_refused_before_any_preview(administrator, areas) -> None:
    with pytest.raises(ValidationError):
        catalogue_import_preview(
            actor=administrator, uploaded_file=SimpleUploadedFile("catalogue.pdf", b"%PDF-1.4")
        )
    with pytest.raises(ValidationError):
        catalogue_import_preview(
            actor=administrator, uploaded_file=SimpleUploadedFile("c.csv", b"name,title\nx,y\n")
        )
    assert not CatalogueImport.objects.exists()


def test_only_administrators_import(officer, areas) -> None:
    with pytest.raises(PermissionDenied):
        catalogue_import_preview(actor=officer, uploaded_file=csv_file(GOOD_NEW))


def test_import_pages_preview_then_confirm(administrator, officer, areas) -> None:
    client = Client()
    client.force_login(administrator)
    assert client.get(reverse("programmes:catalogue_import")).status_code == 200

    response = client.post(reverse("programmes:catalogue_import"), {"file": csv_file(GOOD_NEW, BAD)})

    preview = CatalogueImport.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("programmes:catalogue_import_preview", args=[preview.pk])).content.decode()
    assert "ACT-396" in page and "BAD-1" in page and "The file cannot be imported" in page
    assert 'value="apply"' not in page  # no confirm button while a row is invalid
    client.post(reverse("programmes:catalogue_import_preview", args=[preview.pk]), {"action": "apply"})
    assert not CatalogueItem.objects.filter(code="ACT-396").exists()

    client.post(reverse("programmes:catalogue_import"), {"file": csv_file(GOOD_NEW)})
    good = CatalogueImport.objects.latest("pk")
    client.post(reverse("programmes:catalogue_import_preview", args=[good.pk]), {"action": "apply"})
    assert CatalogueItem.objects.filter(code="ACT-396").exists()

    officer_client = Client()
    officer_client.force_login(officer)
    assert officer_client.get(reverse("programmes:catalogue_import")).status_code == 403
    assert (
        officer_client.get(reverse("programmes:catalogue_import_preview", args=[good.pk])).status_code == 403
    )


def test_upload_of_a_wrong_file_type_is_a_form_error(administrator, areas) -> None:
    client = Client()
    client.force_login(administrator)
    response = client.post(
        reverse("programmes:catalogue_import"), {"file": SimpleUploadedFile("c.docx", b"PK\x03\x04")}
    )
    assert response.status_code == 400
    assert "Upload a .csv or .xlsx file." in response.content.decode()


def test_columns_the_file_does_not_have_are_left_as_they_are(administrator, areas) -> None:
    CatalogueItemFactory(
        code="EX-0001",
        title_en="Steadfast",
        description_en="Kept as it is",
        institution="JFC Brunssum",
        kind="exercise",
        area=areas["exercises"],
        needs_council_decision=False,
        exemption_reason_en="Open exercise",
    )
    upload = SimpleUploadedFile(
        "short.csv",
        b"code,title_en,kind,area,needs_council_decision\nEX-0001,Steadfast Jazz,exercise,exercises,no\n",
    )

    preview = catalogue_import_preview(actor=administrator, uploaded_file=upload)
    assert [f["field"] for f in preview.summary["changed"][0]["fields"]] == ["title_en"]
    catalogue_import_apply(actor=administrator, catalogue_import=preview)

    item = CatalogueItem.objects.get(code="EX-0001")
    assert (item.title_en, item.description_en, item.institution, item.exemption_reason_en) == (
        "Steadfast Jazz",
        "Kept as it is",
        "JFC Brunssum",
        "Open exercise",
    )


def test_a_new_exempt_item_needs_its_reason(administrator, areas) -> None:
    upload = SimpleUploadedFile(
        "c.csv", b"code,title_en,kind,area,needs_council_decision\nNEW-1,Open course,education,education,no\n"
    )
    preview = catalogue_import_preview(actor=administrator, uploaded_file=upload)
    assert "exemption_reason_en" in " ".join(preview.summary["invalid"][0]["reasons"])
