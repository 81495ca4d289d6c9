"""Record text in the page's language, falling back to the other language with a visible marker."""

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.template import engines
from django.test import Client
from django.utils import translation
from modeltranslation.translator import translator

from operations.models import Operation
from portal.accounts.models import User
from tests.factories import OperationFactory, PartnerFactory
from workprogrammes.catalogue.models import CatalogueItem


def _render(template: str, **context: object) -> str:
    return engines["django"].from_string("{% load bilingual %}" + template).render(context)


@pytest.mark.django_db
def test_tr_field_shows_the_pages_language() -> None:
    partner = PartnerFactory(name_en="Japan", name_fr="Japon")

    with translation.override("fr"):
        assert _render('{% tr_field p "name" %}', p=partner) == "Japon"
    with translation.override("en"):
        assert _render('{% tr_field p "name" %}', p=partner) == "Japan"


@pytest.mark.django_db
def test_tr_field_falls_back_to_english_with_a_marker_and_the_text_language() -> None:
    operation = OperationFactory(name_en="Kosovo Force", name_fr="")

    with translation.override("fr"):
        html = _render('{% tr_field o "name" %}', o=operation)

    assert html.startswith('<span lang="en">Kosovo Force</span>')
    assert '<span class="portal-lang-fallback" aria-hidden="true">(EN)</span>' in html
    assert "usa-sr-only" in html


@pytest.mark.django_db
def test_tr_field_falls_back_to_french_on_an_english_page() -> None:
    operation = OperationFactory(name_en="", name_fr="Force pour le Kosovo")

    with translation.override("en"):
        html = _render('{% tr_field o "name" %}', o=operation)

    assert html.startswith('<span lang="fr">Force pour le Kosovo</span>')
    assert "(FR)" in html


def test_tr_field_escapes_text_and_keeps_line_breaks_when_asked() -> None:
    record = {"description_en": "<b>One</b>\nTwo", "description_fr": ""}

    with translation.override("en"):
        assert _render('{% tr_field r "description" %}', r=record) == "&lt;b&gt;One&lt;/b&gt;\nTwo"
        assert (
            _render('{% tr_field r "description" multiline=True %}', r=record)
            == "&lt;b&gt;One&lt;/b&gt;<br>Two"
        )


def test_tr_field_shows_a_plain_field_as_it_is_and_nothing_for_none() -> None:
    assert _render('{% tr_field r "name" %}', r={"name": "Asia-Pacific desk"}) == "Asia-Pacific desk"
    assert _render('{% tr_field r "name" %}', r=None) == ""


def test_tr_text_gives_plain_text_for_attributes() -> None:
    with translation.override("fr"):
        assert _render('{{ r|tr_text:"name" }}', r={"name_en": "Japan", "name_fr": ""}) == "Japan"


def test_a_french_page_marks_an_operation_without_a_french_name(viewer: User) -> None:
    OperationFactory(code="kfor", acronym_en="KFOR", acronym_fr="KFOR", name_en="Kosovo Force", name_fr="")
    client = Client()
    client.force_login(viewer)
    client.cookies["django_language"] = "fr"

    html = client.get("/operations/").content.decode()

    assert '<span lang="en">Kosovo Force</span>' in html
    assert "(EN)" in html


def test_the_partner_directory_shows_french_names_on_french_pages(viewer: User) -> None:
    PartnerFactory(iso_code="KR", name_en="Republic of Korea", name_fr="République de Corée")
    client = Client()
    client.force_login(viewer)
    client.cookies["django_language"] = "fr"

    html = client.get("/partners/").content.decode()

    assert "République de Corée" in html
    assert "Republic of Korea" not in html


def _project_form_classes() -> list[type[forms.BaseForm]]:
    """Every form class defined in the project's own modules named forms.py or *_forms.py."""
    found: list[type[forms.BaseForm]] = []
    base = Path(settings.BASE_DIR)
    for package in ("partners", "operations", "workprogrammes", "portal"):
        for module_info in pkgutil.walk_packages([str(base / package)], prefix=f"{package}."):
            leaf = module_info.name.rsplit(".", 1)[-1]
            if leaf != "forms" and not leaf.endswith("_forms"):
                continue
            module = importlib.import_module(module_info.name)
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    found.append(cls)
    return found


def test_the_project_has_forms_to_check() -> None:
    names = {cls.__name__ for cls in _project_form_classes()}
    assert {"MilestoneForm", "ContributionForm"} <= names


@pytest.mark.parametrize("form_class", _project_form_classes(), ids=lambda cls: cls.__name__)
def test_edit_forms_take_bilingual_text_in_both_languages(form_class: type[forms.BaseForm]) -> None:
    """A form showing one language of a bilingual field shows the other; none edits the bare field."""
    fields = set(form_class.base_fields)
    model = getattr(getattr(form_class, "_meta", None), "model", None)
    translated: set[str] = set()
    if model is not None and model in translator.get_registered_models():
        translated = set(translator.get_options_for_model(model).fields)
    for name in fields:
        for suffix, other in (("_en", "_fr"), ("_fr", "_en")):
            if name.endswith(suffix):
                assert name.removesuffix(suffix) + other in fields, f"{name} without its other language"
    for name in translated:
        assert name not in fields, f"{name} edits one language only; use {name}_en and {name}_fr"


def test_catalogue_items_and_operations_are_bilingual_models() -> None:
    """The issue's bilingual data: partner names, catalogue titles and descriptions, operations."""
    assert {"title", "description"} <= set(translator.get_options_for_model(CatalogueItem).fields)
    assert {"name"} <= set(translator.get_options_for_model(Operation).fields)
