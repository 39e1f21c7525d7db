"""Signed webhook deliveries: HMAC-SHA256 over a timestamp and the body.

A sender signs each delivery with the shared secret and puts the result in
the ``Fiat-Signature`` header as ``t=<unix time>,v1=<hex digest>``. The
digest is HMAC-SHA256, keyed with the secret, of the timestamp, a full
stop and the raw request body. Signing the timestamp with the body means a
captured delivery cannot be replayed once it is older than the tolerance,
and the digest is compared in constant time.
"""

import hashlib
import hmac
from dataclasses import dataclass

SIGNATURE_HEADER = "Fiat-Signature"
SCHEME = "v1"
# How far the signed time may lie from the receiver's clock, either way.
TOLERANCE_SECONDS = 300


class InvalidSignatureError(ValueError):
    """A delivery whose signature is missing, malformed, wrong or stale."""


@dataclass(frozen=True)
class SignatureHeader:
    timestamp: int
    digests: tuple[str, ...]


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """Return the header value that signs ``body`` at ``timestamp``."""
    return f"t={timestamp},{SCHEME}={_digest(body, secret, timestamp)}"


def verify(header: str | None, body: bytes, secret: str, *, now: float) -> int:
    """Check a delivery's signature and return its signed timestamp.

    Raise InvalidSignatureError when the header is missing or malformed,
    when the signed time is more than TOLERANCE_SECONDS from ``now`` (unix
    seconds), or when no digest matches.
    """
    parsed = parse_header(header)
    age = now - parsed.timestamp
    if abs(age) > TOLERANCE_SECONDS:
        raise InvalidSignatureError(
            f"The signed timestamp is {int(age)} seconds from now; at most "
            f"{TOLERANCE_SECONDS} are accepted. Sign each delivery when it is sent."
        )
    expected = _digest(body, secret, parsed.timestamp)
    if not any(hmac.compare_digest(expected, digest) for digest in parsed.digests):
        raise InvalidSignatureError(
            "The signature does not match the body. Sign the raw body with the "
            "shared secret."
        )
    return parsed.timestamp


def parse_header(header: str | None) -> SignatureHeader:
    if not header:
        raise InvalidSignatureError(f"The {SIGNATURE_HEADER} header is missing.")
    timestamp = None
    digests = []
    for part in header.split(","):
        key, _separator, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == SCHEME and value:
            digests.append(value)
    if timestamp is None or not digests:
        raise InvalidSignatureError(
            f"Invalid {SIGNATURE_HEADER} header {header[:100]!r}: expected "
            f"t=<unix time>,{SCHEME}=<hex digest>."
        )
    return SignatureHeader(timestamp, tuple(digests))


def _digest(body: bytes, secret: str, timestamp: int) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
