"""Bearer tokens for the JSON API.

A token is ``fiat_`` followed by 43 URL-safe characters (256 random bits).
Only its SHA-256 digest is stored, so a copy of the database contains no
working token. The first 12 characters are stored as a prefix, which lets a
user tell tokens apart in lists and revoke one. The plain token is returned
once, by ``create_token``, and cannot be recovered later.
"""

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from fiat.core.models import ApiToken, User

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "fiat_"
PREFIX_LENGTH = 12
# A client sends the token with each request. Recording every use would turn
# each read into a write, so last_used_at is only as precise as this interval.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# Longer input cannot be a token, so it is rejected before hashing.
MAX_TOKEN_LENGTH = 100


class AmbiguousPrefixError(Exception):
    """More than one token starts with the given prefix."""

    def __init__(self, prefix: str, count: int) -> None:
        self.prefix = prefix
        self.count = count
        super().__init__(
            f"{count} active tokens start with {prefix!r}, so it does not "
            "name a single token."
        )


def hash_token(raw: str) -> str:
    """Return the SHA-256 hex digest under which ``raw`` is stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user`` and return it with its plain text.

    The plain text is not stored: show it to the user now or never.
    """
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:PREFIX_LENGTH], digest=hash_token(raw)
    )
    logger.info(
        "API token %s (%s) created for user %s",
        token.prefix,
        name,
        user.pk,
        extra={"token_id": token.pk, "user_id": user.pk},
    )
    return token, raw


def authenticate_token(raw: str, *, now: datetime | None = None) -> User | None:
    """Return the active user who owns the unrevoked token ``raw``, or None.

    The lookup is by digest, so its timing reveals nothing about how much
    of a guessed token matches a real one. A successful use is recorded in
    ``last_used_at`` at most once per ``LAST_USED_RESOLUTION``.
    """
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=hash_token(raw), revoked_at=None, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    _record_use(token, now or timezone.now())
    return token.user


def _record_use(token: ApiToken, now: datetime) -> bool:
    threshold = now - LAST_USED_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > threshold:
        return False
    # The condition is part of the UPDATE, so of several concurrent requests
    # only the first one writes, and an older time never replaces a newer one.
    updated = ApiToken.objects.filter(
        Q(last_used_at=None) | Q(last_used_at__lte=threshold), pk=token.pk
    ).update(last_used_at=now)
    token.last_used_at = now
    return bool(updated)


def revoke_token(token: ApiToken, *, now: datetime | None = None) -> bool:
    """Revoke ``token`` and return whether this call revoked it.

    Revoking a token that is already revoked changes nothing and keeps the
    first revocation time.
    """
    now = now or timezone.now()
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(
        revoked_at=now
    )
    token.refresh_from_db(fields=["revoked_at"])
    if updated:
        logger.info(
            "API token %s revoked",
            token.prefix,
            extra={"token_id": token.pk, "user_id": token.user_id},
        )
    return bool(updated)


def find_token_by_prefix(prefix: str, *, user: User | None = None) -> ApiToken | None:
    """Return the unrevoked token starting with ``prefix``, or None.

    A longer ``prefix``, such as the whole token, is cut to the stored
    length. ``user`` limits the search to that user's tokens. Raise
    ``AmbiguousPrefixError`` when several tokens match, because revoking the
    wrong one would leave the leaked one working.
    """
    if len(prefix) < PREFIX_LENGTH:
        return None
    tokens = ApiToken.objects.filter(prefix=prefix[:PREFIX_LENGTH], revoked_at=None)
    if user is not None:
        tokens = tokens.filter(user=user)
    matches = list(tokens[:2])
    if len(matches) > 1:
        raise AmbiguousPrefixError(prefix, tokens.count())
    return matches[0] if matches else None
