"""Calibrated "trusted" thresholds of the readers' confidence.

``make bench-reading`` chooses, per reader and field, the lowest confidence
at which the fields of the labelled sample corpus were right at least 98% of
the time, by cross-validation, and writes them to ``trusted_thresholds.json``
beside this module. A field read at or above its threshold is trusted.

Fields of an e-invoice (UBL, CII, Factur-X XML) are stated by the sender,
not read from a page, so they are trusted at their confidence of 1.0. A
field the bench does not score, such as the supplier's name on an invoice,
has no threshold.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from fiat.documents.extraction.result import Source

THRESHOLDS_FILE = Path(__file__).with_name("trusted_thresholds.json")
# Sources whose every field comes from a structured XML element.
STRUCTURED_SOURCES = frozenset({Source.UBL, Source.CII, Source.FACTURX})
# The threshold of a field that is never trusted, whatever its confidence.
NEVER_TRUSTED = math.inf


@cache
def calibrated_thresholds() -> dict[str, dict[str, float]]:
    """Return reader to field to threshold, as the bench last wrote them.

    A field that the bench found never right often enough is stored as null
    and returned as NEVER_TRUSTED.
    """
    stored = json.loads(THRESHOLDS_FILE.read_text(encoding="utf-8"))["thresholds"]
    return {
        source: {
            field: NEVER_TRUSTED if threshold is None else float(threshold)
            for field, threshold in fields.items()
        }
        for source, fields in stored.items()
    }


def trusted_threshold(source: str, field: str) -> float | None:
    """Return the confidence from which ``field`` read by ``source`` is trusted.

    ``field`` is a field name of the extraction result ("total_gross",
    "supplier.iban"). Return None when the field has no calibrated
    threshold, and NEVER_TRUSTED when it is never trusted.
    """
    if source in STRUCTURED_SOURCES:
        return 1.0
    return calibrated_thresholds().get(source, {}).get(field)


def untrusted_fields(
    source: str, confidence: Mapping[str, float], read_fields: Iterable[str]
) -> list[str]:
    """Return the fields of ``read_fields`` that are not trusted.

    A field without a threshold is left out. A field read without a
    confidence counts as read with confidence 0.
    """
    untrusted = []
    for field in read_fields:
        threshold = trusted_threshold(source, field)
        if threshold is not None and confidence.get(field, 0.0) < threshold:
            untrusted.append(field)
    return sorted(untrusted)
