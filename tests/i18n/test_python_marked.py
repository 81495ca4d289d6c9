"""Python code marks the text it shows people: messages, form labels and hints, validation errors.

The project's modules are parsed (not imported) and every place where a literal string reaches a user
without gettext is named with its file and line: `messages.success(request, "...")`, `label="..."`,
`help_text="..."`, `empty_label="..."`, `verbose_name="..."`, `ValidationError("...")`. The API's
modules are left out: their help texts document the schema for programmers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
PACKAGES = ("partners", "operations", "workprogrammes", "portal")
SKIPPED_PARTS = frozenset({"migrations", "api", "settings", "demo", "management"})
MESSAGE_FUNCTIONS = frozenset({"debug", "info", "success", "warning", "error", "add_message"})
TEXT_KEYWORDS = frozenset({"label", "help_text", "empty_label", "verbose_name", "verbose_name_plural"})


def _is_literal_text(node: ast.AST | None) -> bool:
    """A string literal or f-string with words in it (not an empty string or a symbol)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(ch.isalpha() for ch in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(part, ast.Constant) and any(ch.isalpha() for ch in str(part.value))
            for part in node.values
        )
    return False


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def unmarked_strings(source: str) -> list[tuple[int, str]]:
    """(line, what) for each literal string shown to a user without gettext in a module's source."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        is_messages = (
            isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "messages"
            and name in MESSAGE_FUNCTIONS
        )
        if is_messages:
            text = node.args[-1] if name != "add_message" else (node.args[2] if len(node.args) > 2 else None)
            if node.args and _is_literal_text(text):
                found.append((node.lineno, f"messages.{name}(...)"))
        if name == "ValidationError" and node.args and _is_literal_text(node.args[0]):
            found.append((node.lineno, "ValidationError(...)"))
        for keyword in node.keywords:
            if keyword.arg in TEXT_KEYWORDS and _is_literal_text(keyword.value):
                found.append((keyword.value.lineno, f"{keyword.arg}=..."))
    return found


def _modules() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (BASE / package).rglob("*.py")
        if not SKIPPED_PARTS & set(path.relative_to(BASE).parts)
    )


def test_the_checker_finds_literal_text_and_accepts_gettext() -> None:
    source = """
from django.contrib import messages
from django.utils.translation import gettext as _
messages.success(request, "Saved.")
messages.error(request, _("Not saved."))
name = forms.CharField(label="Name", help_text=_("Your name"))
raise ValidationError(f"Bad {value}")
raise ValidationError(_("Bad"))
messages.info(request, " ".join(parts))
"""
    assert unmarked_strings(source) == [
        (4, "messages.success(...)"),
        (6, "label=..."),
        (7, "ValidationError(...)"),
    ]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(BASE).as_posix())
def test_module_marks_the_text_it_shows(path: Path) -> None:
    found = unmarked_strings(path.read_text())

    assert not found, "\n".join(f"{path.relative_to(BASE)}:{line}: {what}" for line, what in found)
