"""``make bench-reading``: share of fields read right, next to invoice2data.

Every sample of the labelled sets (``reading_sets``) is read with Fiat's
readers. The PDF sets are also read with invoice2data and its bundled
templates, in the bench's own virtualenv. The table gives, per set and per
field, the share read exactly right and the median time per PDF and per page,
and below it which fields can be trusted (``reading_calibration``).

Run it as ``python -m fiat.bench.reading_accuracy``. ``FIAT_BENCH_VENV``
names the virtualenv that contains invoice2data (default ``var/bench-venv``),
and ``FIAT_BENCH_RECEIPTS`` limits the number of receipt images, because each
takes seconds of OCR. A run over every sample writes the trusted thresholds
that the product uses (``fiat.documents.extraction.trust``).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2

from fiat.bench.reading_calibration import (
    Scored,
    calibrate,
    format_calibration,
    write_thresholds,
)
from fiat.bench.reading_sets import (
    INVOICE2DATA_KEYS,
    RESULT_ATTRIBUTES,
    Sample,
    facturx_samples,
    invoice2data_samples,
    normalise,
    read_result_field,
    sroie_samples,
)
from fiat.documents.extraction.labels import find_labels
from fiat.documents.extraction.pdftext import read_pdf_text
from fiat.documents.extraction.receipts import read_receipt
from fiat.documents.extraction.result import ExtractionError, ExtractionResult
from fiat.documents.extraction.trust import THRESHOLDS_FILE

ROOT = Path(__file__).resolve().parents[2]
BENCH_VENV = Path(os.environ.get("FIAT_BENCH_VENV", ROOT / "var" / "bench-venv"))
RUNNER = Path(__file__).with_name("invoice2data_runner.py")
# invoice2data's timeout for one set; its OCR of a receipt takes seconds.
_RUNNER_TIMEOUT_SECONDS = 1800
# Each PDF set is read this many times by each reader and each file's median
# time kept, so that one slow run on a busy machine does not decide.
PDF_PASSES = 5


@dataclass
class Outcome:
    """The values one reader returned for one sample, and its reading time."""

    values: dict[str, object]
    milliseconds: float
    pages: int
    # Field name to the reader's confidence (Fiat only).
    confidence: dict[str, float] = field(default_factory=dict)


@dataclass
class SetReport:
    name: str
    samples: list[Sample]
    # The reader that Fiat uses on the set ("pdf_text" or "ocr"); confidence
    # is calibrated per reader and field, never per set.
    source: str
    fiat: dict[Path, Outcome] = field(default_factory=dict)
    invoice2data: dict[Path, Outcome] | None = None


def read_with_fiat(
    samples: list[Sample],
    read: Callable[[Path], ExtractionResult | None],
    passes: int,
) -> dict[Path, Outcome]:
    """Read every sample ``passes`` times; keep each file's median time.

    Each pass reads every file once and starts with the label cache empty,
    so that no pass reads a file whose texts an earlier pass cached.
    """
    times: dict[Path, list[float]] = {sample.path: [] for sample in samples}
    results: dict[Path, ExtractionResult | None] = {}
    for _ in range(passes):
        find_labels.cache_clear()
        for sample in samples:
            started = time.perf_counter()
            try:
                results[sample.path] = read(sample.path)
            except ExtractionError:
                results[sample.path] = None
            times[sample.path].append((time.perf_counter() - started) * 1000)
    outcomes = {}
    for sample in samples:
        result = results[sample.path]
        values = {name: read_result_field(result, name) for name in sample.truth}
        confidence = {
            name: result.confidence.get(RESULT_ATTRIBUTES[name], 0.0)
            for name in sample.truth
            if result is not None
        }
        outcomes[sample.path] = Outcome(
            values,
            statistics.median(times[sample.path]),
            page_count(sample.path),
            confidence,
        )
    return outcomes


def read_with_invoice2data(
    samples: list[Sample], input_module: str, passes: int
) -> dict[Path, Outcome] | None:
    """Run invoice2data in the bench virtualenv; None when it is not installed.

    Each pass is a new process, because invoice2data caches the text of
    each file it has read within one process.
    """
    python = BENCH_VENV / "bin" / "python"
    if not python.exists():
        return None
    paths = [str(sample.path) for sample in samples]
    times: dict[str, list[float]] = {path: [] for path in paths}
    for _ in range(passes):
        completed = subprocess.run(
            [str(python), str(RUNNER), input_module],
            input=json.dumps(paths),
            capture_output=True,
            text=True,
            check=True,
            timeout=_RUNNER_TIMEOUT_SECONDS,
        )
        output = json.loads(completed.stdout)
        for path in paths:
            times[path].append(output[path]["ms"])
    outcomes = {}
    for sample in samples:
        entry = output[str(sample.path)]
        values = {
            name: normalise(name, entry["fields"].get(INVOICE2DATA_KEYS[name]))
            for name in sample.truth
        }
        outcomes[sample.path] = Outcome(
            values, statistics.median(times[str(sample.path)]), page_count(sample.path)
        )
    return outcomes


def page_count(path: Path) -> int:
    if path.suffix.lower() != ".pdf":
        return 1
    document = pypdfium2.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def share_right(
    samples: list[Sample], outcomes: dict[Path, Outcome], name: str | None
) -> tuple[int, int]:
    """Return (right, scored) for field ``name``, or over all fields for None."""
    right = scored = 0
    for sample in samples:
        for field_name, expected in sample.truth.items():
            if name is not None and field_name != name:
                continue
            scored += 1
            right += outcomes[sample.path].values.get(field_name) == expected
    return right, scored


def _percent(right: int, scored: int) -> str:
    if scored == 0:
        return "-"
    return f"{100 * right / scored:.1f}% ({right}/{scored})"


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.1f}" if values else "-"


def report_rows(report: SetReport) -> list[tuple[str, str, str, str]]:
    fields = sorted({name for sample in report.samples for name in sample.truth})
    rows = []
    for name in [*fields, None]:
        fiat_cell = _percent(*share_right(report.samples, report.fiat, name))
        other_cell = "not run"
        if report.invoice2data is not None:
            other_cell = _percent(
                *share_right(report.samples, report.invoice2data, name)
            )
        rows.append((report.name, name or "all fields", fiat_cell, other_cell))
    for unit in ("PDF", "page"):
        per_unit = {
            reader: [
                outcome.milliseconds / (outcome.pages if unit == "page" else 1)
                for outcome in outcomes.values()
            ]
            for reader, outcomes in (
                ("fiat", report.fiat),
                ("invoice2data", report.invoice2data or {}),
            )
        }
        label = "image" if report.name == "sroie" else unit
        rows.append(
            (
                report.name,
                f"median ms per {label}",
                _median(per_unit["fiat"]),
                _median(per_unit["invoice2data"]) if report.invoice2data else "not run",
            )
        )
        if report.name == "sroie":
            break
    return rows


def format_rows(rows: list[tuple[str, ...]]) -> str:
    header = ("set", "field", "Fiat", "invoice2data")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    lines = [
        " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *rows]
    ]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def main() -> None:
    receipt_limit = os.environ.get("FIAT_BENCH_RECEIPTS")
    reports = []
    for name, samples, read, input_module in (
        ("invoice2data", invoice2data_samples(), read_pdf_text, "pdftotext"),
        ("factur-x", facturx_samples(), read_pdf_text, "pdftotext"),
        (
            "sroie",
            sroie_samples(int(receipt_limit) if receipt_limit else None),
            read_receipt,
            None,
        ),
    ):
        report = SetReport(name, samples, "ocr" if name == "sroie" else "pdf_text")
        if input_module is None:
            report.fiat = read_with_fiat(samples, read, passes=1)
        else:
            report.fiat, report.invoice2data = _read_side_by_side(
                samples, read, input_module
            )
        reports.append(report)
    rows = [row for report in reports for row in report_rows(report)]
    sys.stdout.write(
        f"Reading accuracy on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}\n\n"
    )
    sys.stdout.write(format_rows(rows) + "\n\n")
    calibration = calibrate(scored_fields(reports))
    sys.stdout.write(format_calibration(calibration) + "\n")
    # Thresholds chosen on a part of the receipts would not be the product's.
    if not receipt_limit:
        write_thresholds(calibration, THRESHOLDS_FILE, RESULT_ATTRIBUTES)
        sys.stdout.write(f"\nThresholds written to {THRESHOLDS_FILE.name}\n")


def _read_side_by_side(
    samples: list[Sample],
    read: Callable[[Path], ExtractionResult | None],
    input_module: str,
) -> tuple[dict[Path, Outcome], dict[Path, Outcome] | None]:
    """Read a PDF set with Fiat and invoice2data in turns, ``PDF_PASSES`` each.

    Taking turns pass by pass exposes both readers to the same load of the
    machine. Each file's time is its median over the passes.
    """
    fiat_passes = []
    other_passes = []
    for _ in range(PDF_PASSES):
        fiat_passes.append(read_with_fiat(samples, read, passes=1))
        other = read_with_invoice2data(samples, input_module, passes=1)
        if other is not None:
            other_passes.append(other)
    return _median_outcomes(fiat_passes), (
        _median_outcomes(other_passes) if other_passes else None
    )


def _median_outcomes(passes: list[dict[Path, Outcome]]) -> dict[Path, Outcome]:
    merged = {}
    for path, last in passes[-1].items():
        times = [outcomes[path].milliseconds for outcomes in passes]
        merged[path] = Outcome(
            last.values, statistics.median(times), last.pages, last.confidence
        )
    return merged


def scored_fields(reports: list[SetReport]) -> list[Scored]:
    """Return every field Fiat read, with its confidence and whether it was right."""
    scored = []
    for report in reports:
        for sample in report.samples:
            outcome = report.fiat[sample.path]
            for name, expected in sample.truth.items():
                value = outcome.values.get(name)
                scored.append(
                    Scored(
                        file=str(sample.path),
                        field=f"{report.source}:{name}",
                        confidence=outcome.confidence.get(name, 0.0)
                        if value is not None
                        else 0.0,
                        right=value == expected,
                    )
                )
    return scored


if __name__ == "__main__":
    main()
