"""Where the project lives and the environment every settings module reads (the .env file at the root
fills in what the environment does not set)."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
