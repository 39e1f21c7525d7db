"""The secret that signs deliveries to the generic sales webhook.

FIAT_SALES_WEBHOOK_SECRET is the secret when it is set. Without it,
``fiat demo`` generates a random one into ``$FIAT_DATA_DIR``, beside the
generated Django secret key and readable by the server's user only. The
embedded setup's demo page signs its deals with it. The webhook checks every
delivery the same way whichever source the secret comes from, and while
neither exists it rejects every delivery.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings

DEMO_SECRET_FILENAME = "sales_webhook_secret"


def demo_secret_path() -> Path:
    return Path(settings.DATA_DIR) / DEMO_SECRET_FILENAME


def webhook_secret() -> str:
    """Return the configured secret, else the generated demo secret, else ""."""
    if settings.FIAT_SALES_WEBHOOK_SECRET:
        return settings.FIAT_SALES_WEBHOOK_SECRET
    try:
        return demo_secret_path().read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return ""


def ensure_demo_secret() -> bool:
    """Generate the demo secret unless a secret is configured or exists.

    Return whether a secret was written. The file is created with mode
    0600, so other users of the machine cannot read it.
    """
    if webhook_secret():
        return False
    path = demo_secret_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secrets.token_hex(32) + "\n")
    return True
