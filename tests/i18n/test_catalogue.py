"""The French catalogue translates every string the portal marks, and translates it well-formed.

`makemessages` is run on a copy of the project, so a string marked anywhere since the catalogue was last
updated shows up here as untranslated, without anyone having to remember to run it. Fuzzy entries
(guesses made by msgmerge) count as missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
# What makemessages must not read: the virtualenv, generated and vendored files, benchmarks.
IGNORED = (".venv", "var", "static/vendor", "bench", "node_modules", "test-output")
MARKINGS = re.compile(r"NATO (UNCLASSIFIED|RESTRICTED|CONFIDENTIAL|SECRET)")
COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".hypothesis",
    "var",
    "vendor",
    "node_modules",
    "test-output",
    "__pycache__",
    "*.mo",
    ".*_cache",
)


def _project_catalogues(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("locale/fr/LC_MESSAGES/*.po") if not any(part in IGNORED for part in p.parts)
    )


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory: pytest.TempPathFactory) -> dict[str, polib.POFile]:
    """The project's catalogues after makemessages has added every string marked today."""
    copy = tmp_path_factory.mktemp("i18n") / "project"
    shutil.copytree(BASE, copy, ignore=COPY_IGNORE, symlinks=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    ignores = [f"--ignore={pattern}" for pattern in IGNORED]
    for domain in ("django", "djangojs"):
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "fr", "-d", domain, *ignores],
            cwd=copy,
            env=env,
            check=True,
            capture_output=True,
        )
    return {p.relative_to(copy).as_posix(): polib.pofile(str(p)) for p in _project_catalogues(copy)}


def test_the_project_has_a_french_catalogue(fresh_catalogues: dict[str, polib.POFile]) -> None:
    assert "locale/fr/LC_MESSAGES/django.po" in fresh_catalogues
    assert len(fresh_catalogues["locale/fr/LC_MESSAGES/django.po"]) > 100


def test_every_marked_string_has_a_french_translation(fresh_catalogues: dict[str, polib.POFile]) -> None:
    missing = [
        f"{name}: {entry.msgid!r} ({', '.join(f'{path}:{line}' for path, line in entry.occurrences[:2])})"
        for name, catalogue in fresh_catalogues.items()
        for entry in catalogue
        if not entry.obsolete and (entry.fuzzy or not entry.translated())
    ]

    assert not missing, f"{len(missing)} strings lack a French translation:\n" + "\n".join(missing)


@pytest.mark.parametrize("path", _project_catalogues(BASE), ids=lambda p: p.relative_to(BASE).as_posix())
def test_catalogue_compiles_with_matching_placeholders(path: Path, tmp_path: Path) -> None:
    """msgfmt --check refuses a translation whose %(name)s placeholders differ from the original's."""
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(path)], capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr


def test_nato_terms_use_natos_french(fresh_catalogues: dict[str, polib.POFile]) -> None:
    """Translations keep NATO's own French names (OTAN, Conseil de l'Atlantique Nord, pays de contact)."""
    wrong = {
        "NATO": "OTAN",
        "North Atlantic Council": "Conseil de l'Atlantique Nord",
        "Contact Countr": "pays de contact",
        "Partnership for Peace": "Partenariat pour la paix",
        "Mediterranean Dialogue": "Dialogue méditerranéen",
        "Istanbul Cooperation Initiative": "Initiative de coopération d'Istanbul",
    }
    problems = []
    for catalogue in fresh_catalogues.values():
        for entry in catalogue:
            translation = " ".join([entry.msgstr, *entry.msgstr_plural.values()]).strip()
            if entry.obsolete or not translation:
                continue
            # Classification markings keep "NATO" in French too (NATO SANS CLASSIFICATION, NATO SECRET).
            english_text = MARKINGS.sub("", entry.msgid)
            for english, french in wrong.items():
                if english in english_text and french.lower() not in translation.lower():
                    problems.append(f"{entry.msgid!r} -> {translation!r}: expected {french!r}")
    assert not problems, "\n".join(problems)
