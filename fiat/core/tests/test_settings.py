"""Settings from the environment, and Django's deployment check."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

PRODUCTION_ENV = {
    "FIAT_SECRET_KEY": "k3J9x-production-secret-with-enough-entropy-0123456789abcd",
    "FIAT_ALLOWED_HOSTS": "fiat.example.nl",
    "FIAT_CSRF_TRUSTED_ORIGINS": "https://fiat.example.nl",
    "FIAT_BASE_URL": "https://fiat.example.nl",
    "FIAT_HTTPS": "1",
}


def _run_fiat(*args: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "FIAT_DATA_DIR": str(tmp_path), **env}
    full_env.pop("DATABASE_URL", None)
    # The browser tests allow sync database calls from async code; the
    # deployment check rightly rejects that setting.
    full_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-m", "fiat", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_passes_with_production_settings(tmp_path):
    result = _run_fiat(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV,
        tmp_path=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_warns_without_https(tmp_path):
    env = {**PRODUCTION_ENV, "FIAT_HTTPS": "0"}

    result = _run_fiat(
        "check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path
    )

    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr


def test_invalid_boolean_names_the_variable(tmp_path):
    result = _run_fiat("check", env={"FIAT_HTTPS": "maybe"}, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "FIAT_HTTPS='maybe' is not a boolean" in result.stderr


def test_secret_key_is_generated_once(tmp_path):
    _run_fiat("check", env={}, tmp_path=tmp_path)
    first_key = (tmp_path / "secret_key").read_text()

    _run_fiat("check", env={}, tmp_path=tmp_path)

    assert (tmp_path / "secret_key").read_text() == first_key
    assert len(first_key) >= 50


@pytest.mark.sqlite
@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]

    assert journal_mode == "wal"


def test_company_currency_and_zone_have_defaults():
    assert settings.FIAT_CURRENCY == "EUR"
    assert settings.TIME_ZONE == "Europe/Amsterdam"
