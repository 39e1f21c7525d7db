"""Django settings for Fiat, read from the environment.

With no variable set, Fiat runs as the embedded setup: SQLite in WAL mode under
``FIAT_DATA_DIR`` (``./data`` by default), mail recorded in the outbox instead
of sent, and a secret key generated once and kept in the data folder. A
production deployment sets at least ``DATABASE_URL``, ``FIAT_SECRET_KEY``,
``FIAT_ALLOWED_HOSTS`` and ``FIAT_HTTPS=1``; the README lists every variable.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"{name}={value!r} is not a boolean; use 1 or 0.")


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


DATA_DIR = Path(os.environ.get("FIAT_DATA_DIR", Path.cwd() / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Return FIAT_SECRET_KEY, or a key generated once into the data folder."""
    if key := os.environ.get("FIAT_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("FIAT_DEBUG", "0")
ALLOWED_HOSTS = _env_list("FIAT_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = _env_list("FIAT_CSRF_TRUSTED_ORIGINS", "")

# Absolute address used in links that leave the site, such as e-mailed links.
FIAT_BASE_URL = os.environ.get("FIAT_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "fiat.core",
    "fiat.audit",
    "fiat.ledger",
    "fiat.notifications",
    "fiat.scheduler",
    "fiat.documents",
    "fiat.payables",
    "fiat.receivables",
    "fiat.approvals",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fiat.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "fiat.urls"
WSGI_APPLICATION = "fiat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "fiat.core.context_processors.fiat",
            ],
        },
    },
]


def _databases() -> dict:
    url = os.environ.get("DATABASE_URL")
    if not url:
        url = f"sqlite:///{DATA_DIR / 'fiat.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # IMMEDIATE takes the write lock when a transaction starts, so two
            # writers queue instead of failing on a lock upgrade.
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=30000;"
            ),
        }
        config["TEST"] = {"NAME": str(DATA_DIR / "test-fiat.sqlite3")}
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {}).update(
            {
                # Parameters are sent apart from the SQL, so that psycopg
                # prepares a statement once a connection has run it twice.
                # PostgreSQL then plans each statement once per connection
                # instead of on every request. Behind a connection pooler
                # that cannot keep prepared statements, set
                # FIAT_DATABASE_PREPARE=0.
                "server_side_binding": True,
                "prepare_threshold": (
                    2 if _env_bool("FIAT_DATABASE_PREPARE", "1") else None
                ),
            }
        )
    return {"default": config}


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: the interface speaks Dutch and English. Business dates
# are taken in the company's time zone, which is also Django's TIME_ZONE.
LANGUAGE_CODE = os.environ.get("FIAT_LANGUAGE", "nl")
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("FIAT_TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

# The company's own currency: ledgers, budgets and reports are kept in it.
FIAT_CURRENCY = os.environ.get("FIAT_CURRENCY", "EUR").upper()
# The ledger connector that books documents, as a dotted class path.
FIAT_LEDGER_CONNECTOR = os.environ.get(
    "FIAT_LEDGER_CONNECTOR", "fiat.ledger.connectors.BuiltInLedger"
)

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Project-wide assets (fiat.css); apps keep theirs in their own static/.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names let browsers cache for a year. Files are not compressed
        # here: with Brotli installed that made every collectstatic take about
        # a minute, and the TLS proxy in front compresses responses anyway.
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    },
}
MEDIA_ROOT = DATA_DIR / "files"
WHITENOISE_USE_FINDERS = DEBUG

# Mail. Every message is recorded in the outbox; FIAT_EMAIL_DELIVERY chooses
# where it then goes: "smtp" (EMAIL_HOST and friends), or "none" in the
# embedded setup, where the outbox page is the only mailbox.
EMAIL_BACKEND = "fiat.notifications.backends.OutboxBackend"
FIAT_EMAIL_DELIVERY = os.environ.get(
    "FIAT_EMAIL_DELIVERY", "smtp" if os.environ.get("EMAIL_HOST") else "none"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", "0")
EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL", "0")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("FIAT_FROM_EMAIL", "Fiat <fiat@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The outbox page lists sent mail in the web interface; on by default only
# when mail is not delivered anywhere else.
FIAT_OUTBOX_PAGE = _env_bool(
    "FIAT_OUTBOX_PAGE", "1" if FIAT_EMAIL_DELIVERY == "none" else "0"
)

# Supplier invoices saved into this folder are taken in every minute.
FIAT_DROP_DIR = Path(os.environ.get("FIAT_DROP_DIR", DATA_DIR / "drop"))
# The largest file taken in by upload, API, mail or drop folder, in bytes.
FIAT_MAX_DOCUMENT_BYTES = int(
    os.environ.get("FIAT_MAX_DOCUMENT_BYTES", str(50 * 1024 * 1024))
)

# Sales invoices: the number prefix ("F" gives F2026-00001) and the payment
# reference printed on them, "betalingskenmerk" (Dutch, 16 digits) or "rf"
# (ISO 11649, "RF" and check digits, accepted across SEPA).
FIAT_SALES_INVOICE_PREFIX = os.environ.get("FIAT_SALES_INVOICE_PREFIX", "F")
FIAT_PAYMENT_REFERENCE = os.environ.get("FIAT_PAYMENT_REFERENCE", "betalingskenmerk")
# The shared secret that signs "deal won" webhook deliveries (HMAC-SHA256);
# while it is empty the webhook rejects every delivery.
FIAT_SALES_WEBHOOK_SECRET = os.environ.get("FIAT_SALES_WEBHOOK_SECRET", "")
# HubSpot: the app's client secret signs its webhooks, and the private app's
# access token reads deals from the API at FIAT_HUBSPOT_API_URL (for HubSpot
# itself https://api.hubapi.com). A deal moving to one of the won stages
# (comma-separated internal stage ids) becomes an invoice.
FIAT_HUBSPOT_CLIENT_SECRET = os.environ.get("FIAT_HUBSPOT_CLIENT_SECRET", "")
FIAT_HUBSPOT_ACCESS_TOKEN = os.environ.get("FIAT_HUBSPOT_ACCESS_TOKEN", "")
FIAT_HUBSPOT_API_URL = os.environ.get("FIAT_HUBSPOT_API_URL", "")
FIAT_HUBSPOT_WON_STAGES = os.environ.get(
    "FIAT_HUBSPOT_WON_STAGES", "closedwon"
).split(",")
# Pipedrive: the HTTP Basic user and password set on the webhook, and the API
# token that reads deals from FIAT_PIPEDRIVE_API_URL (the company's
# https://<company>.pipedrive.com).
FIAT_PIPEDRIVE_WEBHOOK_USER = os.environ.get("FIAT_PIPEDRIVE_WEBHOOK_USER", "")
FIAT_PIPEDRIVE_WEBHOOK_PASSWORD = os.environ.get("FIAT_PIPEDRIVE_WEBHOOK_PASSWORD", "")
FIAT_PIPEDRIVE_API_TOKEN = os.environ.get("FIAT_PIPEDRIVE_API_TOKEN", "")
FIAT_PIPEDRIVE_API_URL = os.environ.get("FIAT_PIPEDRIVE_API_URL", "")

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "scheduled"],
    }
}

# Production hardening, switched on with FIAT_HTTPS=1 behind a TLS proxy.
FIAT_HTTPS = _env_bool("FIAT_HTTPS", "0")
SESSION_COOKIE_SECURE = FIAT_HTTPS
CSRF_COOKIE_SECURE = FIAT_HTTPS
# A form that fails the CSRF check gets a page that says how to go on.
CSRF_FAILURE_VIEW = "fiat.core.csrf.csrf_failure"
SECURE_SSL_REDIRECT = FIAT_HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if FIAT_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = FIAT_HTTPS
SECURE_HSTS_PRELOAD = FIAT_HTTPS
if FIAT_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "fiat": {"level": os.environ.get("FIAT_LOG_LEVEL", "INFO")},
        "django_tasks_db": {"level": "INFO"},
    },
}
