"""`.env.example` documents every environment variable the settings read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# env("NAME", ...), env.bool("NAME", ...), env.db("NAME"), ... as django-environ is called in the settings.
ENV_READ = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")
DOCUMENTED = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def test_env_example_names_every_variable_the_settings_read() -> None:
    read = {
        name
        for settings_file in (ROOT / "portal" / "settings").glob("*.py")
        for name in ENV_READ.findall(settings_file.read_text())
    }
    documented = set(DOCUMENTED.findall((ROOT / ".env.example").read_text()))

    assert {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"} <= read  # the pattern still finds the reads
    assert read - documented == set(), "add these to .env.example, each with a comment"
