"""Normalised invoice and order numbers, for finding the same number twice.

Suppliers and clerks write one number in many ways: "INV-00123", "inv 123"
and "INV/123" are the same invoice. The normalised form is upper case, has no
separators, and drops the leading zeros of every run of digits, so all three
become "INV123". A run of zeros alone keeps one zero.
"""

import re

# Characters that only separate parts of a number: spaces of every kind,
# dashes, slashes, dots, colons, underscores and the number sign.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015/\\.:_#]+")
_DIGIT_RUN = re.compile(r"[0-9]+")


def normalise_number(number: str) -> str:
    """Return ``number`` in the normalised form described above."""
    parts = _SEPARATORS.split(number.upper())
    return "".join(_DIGIT_RUN.sub(_strip_leading_zeros, part) for part in parts)


def _strip_leading_zeros(match: re.Match) -> str:
    return match.group().lstrip("0") or "0"
