"""Calibration of the readers' confidence: which fields can be trusted.

A field is "trusted" when its confidence reaches the threshold of its field
name. The threshold of a field is the lowest confidence at which the fields
of that name were right at least ``TARGET_PRECISION`` of the time. It is
chosen by k-fold cross-validation over the files: each fold's fields are
scored with thresholds chosen on the other folds only, so that no file is
both calibrated on and scored.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

TARGET_PRECISION = 0.98
FOLDS = 5
# A threshold needs at least this many fields at or above it to be chosen.
_MIN_SUPPORT = 10


@dataclass(frozen=True)
class Scored:
    """One field read from one file: its confidence and whether it was right."""

    file: str
    field: str
    confidence: float
    right: bool


@dataclass(frozen=True)
class Calibration:
    # Field name to the threshold chosen on all files (None: never trusted).
    thresholds: dict[str, float | None]
    # Cross-validated: fields trusted, and of those, fields right.
    trusted: int
    trusted_right: int
    total: int

    @property
    def precision(self) -> float | None:
        return self.trusted_right / self.trusted if self.trusted else None


def choose_threshold(scored: list[Scored]) -> float | None:
    """Return the lowest confidence above which ``TARGET_PRECISION`` holds."""
    candidates = sorted({item.confidence for item in scored})
    for threshold in candidates:
        above = [item for item in scored if item.confidence >= threshold]
        if len(above) < _MIN_SUPPORT:
            return None
        if sum(item.right for item in above) / len(above) >= TARGET_PRECISION:
            return threshold
    return None


def calibrate(scored: list[Scored]) -> Calibration:
    files = sorted({item.file for item in scored})
    fold_of = {file: index % FOLDS for index, file in enumerate(files)}
    trusted = trusted_right = 0
    for fold in range(FOLDS):
        training = [item for item in scored if fold_of[item.file] != fold]
        held_out = [item for item in scored if fold_of[item.file] == fold]
        thresholds = _thresholds(training)
        for item in held_out:
            threshold = thresholds.get(item.field)
            if threshold is not None and item.confidence >= threshold:
                trusted += 1
                trusted_right += item.right
    return Calibration(_thresholds(scored), trusted, trusted_right, len(scored))


def _thresholds(scored: list[Scored]) -> dict[str, float | None]:
    by_field: dict[str, list[Scored]] = defaultdict(list)
    for item in scored:
        by_field[item.field].append(item)
    return {field: choose_threshold(items) for field, items in by_field.items()}


def format_calibration(calibration: Calibration) -> str:
    title = (
        f"Trusted fields ({FOLDS}-fold cross-validation, target "
        f"{TARGET_PRECISION:.0%} right):"
    )
    lines = [title]
    precision = calibration.precision
    lines.append(
        f"  {calibration.trusted} of {calibration.total} fields trusted, "
        f"{calibration.trusted_right} of them right"
        + (f" ({precision:.1%})" if precision is not None else "")
    )
    lines.append("  threshold per field, chosen on all files:")
    for field, threshold in sorted(calibration.thresholds.items()):
        shown = f"{threshold:.2f}" if threshold is not None else "never trusted"
        lines.append(f"    {field}: {shown}")
    return "\n".join(lines)


def write_thresholds(
    calibration: Calibration, path: Path, field_names: Mapping[str, str]
) -> None:
    """Write the thresholds chosen on all files as the product reads them.

    ``field_names`` maps the bench's field names to the extraction result's
    ("supplier_vat" to "supplier.vat_number"). The file has reader to field
    to threshold, and null for a field that is never trusted
    (``fiat.documents.extraction.trust``).
    """
    thresholds: dict[str, dict[str, float | None]] = defaultdict(dict)
    for key, threshold in sorted(calibration.thresholds.items()):
        source, name = key.split(":", 1)
        thresholds[source][field_names[name]] = threshold
    content = {"target_precision": TARGET_PRECISION, "thresholds": thresholds}
    path.write_text(json.dumps(content, indent=2, sort_keys=True) + "\n")
