"""The receiving company's own identifiers, which are never the supplier's.

A purchase invoice prints the customer's VAT number, KvK number, IBAN and
name beside the supplier's. A caller that knows the company reading the
invoice passes them in, and every value that matches one of them goes to
the customer. Identifiers are compared without spaces, dots and case, and
names without case, punctuation and legal form, so "Vos & Partners" matches
"VOS & PARTNERS B.V.".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_LEGAL_FORM_WORDS = frozenset(
    {"bv", "nv", "vof", "gmbh", "ag", "kg", "se", "sas", "sarl", "sa", "snc",
     "eurl", "ltd", "limited", "inc", "llc", "plc", "bvba", "srl", "cv"}
)  # fmt: skip
_WORD = re.compile(r"[^\W_]+")
_SEPARATORS = re.compile(r"[\s.\-/]")
# A name key of fewer characters than this matches too much to be trusted.
_MIN_NAME_KEY = 3


def name_key(text: str) -> str:
    """Return ``text`` lower-cased, as words only, without a legal form."""
    text = re.sub(r"\b(?:B\.\s?V|N\.\s?V|V\.O\.F|S\.A\.R\.L|S\.A)\.?", " ", text)
    words = _WORD.findall(text.casefold())
    return " ".join(word for word in words if word not in _LEGAL_FORM_WORDS)


def identifier_key(text: str) -> str:
    return _SEPARATORS.sub("", text).upper()


@dataclass(frozen=True)
class OwnIdentifiers:
    """VAT numbers, KvK numbers, IBANs and names of the receiving company."""

    identifiers: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()

    @classmethod
    def from_values(cls, values: Iterable[str]) -> OwnIdentifiers:
        """Sort free-form values into identifiers (with a digit) and names."""
        identifiers, names = set(), set()
        for value in values:
            if any(character.isdigit() for character in value):
                identifiers.add(identifier_key(value))
            key = name_key(value)
            if len(key) >= _MIN_NAME_KEY:
                names.add(key)
        return cls(frozenset(identifiers), frozenset(names))

    # With no identifiers or names to compare with, no key is computed.
    def has_identifier(self, value: str) -> bool:
        return bool(self.identifiers) and identifier_key(value) in self.identifiers

    def has_name(self, text: str) -> bool:
        return bool(self.names) and name_key(text) in self.names
