"""The request page's form fields, written once per language and description of the form (page_forms)."""

from django.template.loader import render_to_string
from django.utils import translation

from portal.accounts.models import User
from workprogrammes.requests.forms import CommentForm
from workprogrammes.requests.models import CommentVisibility
from workprogrammes.requests.page_forms import SEPARATOR, fields_html

NAMES = ("body", "visibility", "marking")
BOTH = [CommentVisibility.SHARED, CommentVisibility.INTERNAL]


def _one_by_one(form: CommentForm) -> str:
    return SEPARATOR.join(
        render_to_string("requests/includes/field.html", {"field": form[name]}) for name in NAMES
    )


def test_kept_markup_is_what_the_fields_write_one_by_one(reviewer: User) -> None:
    for language in ("en", "fr"):
        with translation.override(language):
            for _ in range(2):
                form = CommentForm(user=reviewer, visibilities=BOTH)
                assert fields_html(form, NAMES) == _one_by_one(form)


def test_each_language_and_each_choice_of_visibilities_has_its_own_markup(reviewer: User) -> None:
    with translation.override("en"):
        english = fields_html(CommentForm(user=reviewer, visibilities=BOTH), NAMES)
        shared_only = fields_html(CommentForm(user=reviewer, visibilities=["shared"]), NAMES)
    with translation.override("fr"):
        french = fields_html(CommentForm(user=reviewer, visibilities=BOTH), NAMES)
    assert 'value="internal"' in english
    assert 'value="internal"' not in shared_only
    assert english != french
    assert "Visible par" in french


def test_a_bound_form_is_written_with_what_was_typed_and_its_errors(reviewer: User) -> None:
    with translation.override("en"):
        fields_html(CommentForm(user=reviewer, visibilities=BOTH), NAMES)
        form = CommentForm(
            {"body": "", "visibility": "shared", "marking": "10"}, user=reviewer, visibilities=BOTH
        )
        form.is_valid()
        markup = fields_html(form, NAMES)
    assert markup == _one_by_one(form)
    assert "usa-error-message" in markup
