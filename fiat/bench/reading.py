"""Benchmarks of reading documents: e-invoice XML, PDF text, OCR, intake.

Runs over the public sample corpus beside the repository (FIAT_CORPUS_DIR
overrides the place) and over the demo invoices that Fiat generates.
"""

import os
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pypdfium2
from django.test import override_settings

from fiat.bench import Measurement, benchmark, time_each
from fiat.documents.extraction.einvoice import read_einvoice
from fiat.documents.extraction.ocr import read_ocr
from fiat.documents.extraction.pdftext import read_pdf_text

CORPUS_DIR = Path(
    os.environ.get(
        "FIAT_CORPUS_DIR", Path(__file__).resolve().parents[2].parent / "shared/corpus"
    )
)
IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "scheduled"],
    }
}


def _corpus_files(pattern: str) -> list[Path]:
    if not CORPUS_DIR.exists():
        raise FileNotFoundError(
            f"Sample corpus not found at {CORPUS_DIR}; set FIAT_CORPUS_DIR."
        )
    return sorted(CORPUS_DIR.glob(pattern))


def _per_file(paths: list[Path], read) -> list[float]:
    samples = []
    for path in paths:
        samples.extend(time_each(lambda path=path: read(path, path.name), repeat=3))
    return samples


@benchmark
def einvoice_xml() -> Measurement:
    paths = _corpus_files("ubl-einvoice/**/examples/*.xml")
    paths += _corpus_files("facturx-zugferd/python-drafthorse/**/*.xml")
    samples = _per_file(paths, read_einvoice)
    return Measurement(
        f"read an e-invoice XML ({len(paths)} files)", "ms", samples, "< 10 ms"
    )


@benchmark
def factur_x_pdf() -> Measurement:
    paths = _corpus_files("facturx-zugferd/ZUGFeRD-corpus/ZUGFeRDv2/correct/**/*.pdf")
    samples = _per_file(paths, read_einvoice)
    return Measurement(
        f"read a Factur-X PDF's XML ({len(paths)} files)", "ms", samples, "< 10 ms"
    )


@benchmark
def pdf_text_page() -> Measurement:
    paths = _corpus_files("invoices-pdf/invoice2data/compare/*.pdf")
    samples = []
    for path in paths:
        pages = len(pypdfium2.PdfDocument(path))
        for _ in range(3):
            started = time.perf_counter()
            read_pdf_text(path)
            samples.append((time.perf_counter() - started) * 1000 / pages)
    return Measurement(
        f"read a born-digital PDF page ({len(paths)} files)", "ms", samples, "< 50 ms"
    )


@benchmark
def ocr_page() -> Measurement:
    from fiat.sampledocs.catalogue import demo_invoices

    scan = next(s for s in demo_invoices(date(2025, 3, 14)) if s.source == "ocr")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / scan.filename
        path.write_bytes(scan.content)
        samples = time_each(lambda: read_ocr(path), repeat=3)
    return Measurement("OCR one scanned page", "ms", samples, "< 6000 ms")


@benchmark
def intake_end_to_end() -> Measurement:
    """Store, read, check and queue born-digital invoices, one at a time."""
    from fiat.core.demo import load_demo
    from fiat.documents.intake import receive_file
    from fiat.documents.models import Channel
    from fiat.sampledocs.catalogue import demo_invoices

    load_demo()
    files = []
    for week in range(5):
        day = date(2024, 1, 3) + timedelta(weeks=week)
        files += [s for s in demo_invoices(day) if s.source in {"ubl", "pdf_text"}]
    samples = []
    with override_settings(TASKS=IMMEDIATE_TASKS):
        for sample in files:
            started = time.perf_counter()
            receive_file(sample.content, sample.filename, channel=Channel.FOLDER)
            samples.append((time.perf_counter() - started) * 1000)
    return Measurement(
        f"intake of one born-digital invoice ({len(files)} files)",
        "ms",
        samples,
        "< 50 ms (20 a second)",
    )
