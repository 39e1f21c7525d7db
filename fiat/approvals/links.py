"""Signed, expiring, single-use approval links for one approver and task.

A token is ``signing.dumps`` of the link row's id and a random nonce, with a
salt of its own, so a token altered by one character fails its signature.
The row stores only the nonce's SHA-256, which makes a database dump useless
for forging links. Checking a token never uses it up: only posting a
decision does (in ``fiat.approvals.engine``), because mail scanners open
links.
"""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.core import signing
from django.utils.translation import gettext_lazy as _

from fiat.approvals.models import ApprovalLink, Assignment
from fiat.core.dates import now as current_time

SALT = "fiat.approvals.link"

REFUSAL_MESSAGES = {
    "invalid": _("This approval link is not valid. Sign in to see your tasks."),
    "expired": _(
        "This approval link has expired. Sign in to decide from your task list."
    ),
    "used": _("This approval link has been used already. Sign in to see the decision."),
}


class LinkRefusedError(Exception):
    """A link that cannot be used; ``reason`` is invalid, expired or used."""

    def __init__(self, reason: str) -> None:
        super().__init__(str(REFUSAL_MESSAGES[reason]))
        self.reason = reason
        self.message = REFUSAL_MESSAGES[reason]


def _digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def make_link(
    assignment: Assignment, user, *, hours: int, at: datetime | None = None
) -> str:
    """Create a link for ``user`` to act on ``assignment`` and return its token.

    ``user`` is the approver, or the stand-in acting in the approver's place.
    """
    at = at or current_time()
    nonce = secrets.token_urlsafe(24)
    link = ApprovalLink.objects.create(
        assignment=assignment,
        user_id=user.pk,
        nonce_digest=_digest(nonce),
        expires_at=at + timedelta(hours=hours),
    )
    return signing.dumps({"l": link.pk, "n": nonce}, salt=SALT, compress=False)


def check_token(token: str, *, at: datetime | None = None) -> ApprovalLink:
    """Return the link the token stands for, if it can still be used.

    Raise LinkRefusedError otherwise; opening a page with a valid token does
    not use it up.
    """
    at = at or current_time()
    try:
        payload = signing.loads(token, salt=SALT)
        link_id = int(payload["l"])
        nonce = str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkRefusedError("invalid") from None
    try:
        link = ApprovalLink.objects.select_related(
            "user", "assignment__step__request"
        ).get(pk=link_id)
    except ApprovalLink.DoesNotExist:
        raise LinkRefusedError("invalid") from None
    if not hmac.compare_digest(link.nonce_digest, _digest(nonce)):
        raise LinkRefusedError("invalid")
    if link.used_at is not None:
        raise LinkRefusedError("used")
    if link.expires_at <= at:
        raise LinkRefusedError("expired")
    if not link.user.is_active:
        raise LinkRefusedError("invalid")
    return link


def request_id_of(token: str) -> int | None:
    """Return the id of the approval request a token was made for.

    Expiry and use are not checked, so the page of a used or expired link
    can still point to the request after signing in. Return None when the
    signature fails or the link row is gone.
    """
    try:
        link_id = int(signing.loads(token, salt=SALT)["l"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return (
        ApprovalLink.objects.filter(pk=link_id)
        .values_list("assignment__step__request_id", flat=True)
        .first()
    )
