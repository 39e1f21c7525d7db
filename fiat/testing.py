"""Test support shared by the apps: running Fiat in a subprocess.

A subprocess does not inherit the test database that pytest-django set up
in this process, so it gets the database and data folder through the
environment.
"""

import os

from django.conf import settings
from django.db import connection


def database_url_for_subprocess() -> str:
    """Return a DATABASE_URL that points a subprocess at the test database."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    host = database["HOST"] or "127.0.0.1"
    port = database["PORT"] or 5432
    return f"postgres://{database['USER']}@{host}:{port}/{database['NAME']}"


def subprocess_environment(**overrides: str) -> dict[str, str]:
    """Return an environment for a ``fiat`` subprocess on this test's data."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fiat.settings",
        "FIAT_DATA_DIR": str(settings.DATA_DIR),
        "PYTHONUNBUFFERED": "1",
    }
    environment.update(overrides)
    return environment
