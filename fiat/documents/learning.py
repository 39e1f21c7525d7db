"""Learning from the clerk's corrections, per supplier layout.

When the clerk corrects a field of an invoice read from a PDF's text layer,
``learn_correction`` stores where the supplier's layout prints that field
(``extraction.layout_hints``). The next PDF of that supplier is read with the
stored hints (``apply_learned``), so the same correction is not needed twice.
Corrections are counted per supplier and field.

A supplier is known before any matching by what its document prints: its VAT
number, else its IBAN, else its name (``supplier_key``).

NOTE: only text-layer PDFs teach and use hints. Reading the words of a scan
again would mean a second OCR run in the web request of the correction.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from django.db import transaction
from django.db.models import F, Sum

from fiat.documents.extraction.layout_hints import (
    LEARNABLE_FIELDS,
    LayoutHint,
    apply_hints,
    learn_hint,
)
from fiat.documents.extraction.pdftext import read_pdf_words
from fiat.documents.extraction.result import ExtractionError, ExtractionResult, Source
from fiat.documents.models import Document, LearnedField
from fiat.documents.storage import local_copy

logger = logging.getLogger(__name__)


def supplier_key(
    vat_number: str | None, iban: str | None, name: str | None
) -> str | None:
    """Return the key of a supplier's layout: its VAT number, IBAN or name."""
    for kind, value in (("vat", vat_number), ("iban", iban), ("name", name)):
        compact = re.sub(r"[\s.-]", "", value or "").upper()
        if compact:
            return f"{kind}:{compact}"[:100]
    return None


def result_supplier_key(result: ExtractionResult) -> str | None:
    supplier = result.supplier
    return supplier_key(supplier.vat_number, supplier.iban, supplier.name)


def document_supplier_key(document: Document) -> str | None:
    """Return the supplier key of ``document`` as its reader found it."""
    supplier = (document.extraction or {}).get("supplier") or {}
    return supplier_key(
        supplier.get("vat_number"), supplier.get("iban"), supplier.get("name")
    )


def learn_correction(
    document: Document, key: str | None, field: str, value: object
) -> LearnedField | None:
    """Store where ``document`` prints the corrected ``value`` of ``field``.

    ``field`` is a field name of the extraction result ("total_gross",
    "supplier.iban"). Return the stored record, or None when nothing could
    be learned: no supplier key, a field that is not learned, a document
    that is not a text-layer PDF, or a value that the document does not
    print.
    """
    if key is None or field not in LEARNABLE_FIELDS:
        return None
    if document.source != Source.PDF_TEXT:
        return None
    try:
        with local_copy(document.stored_file) as path:
            words = read_pdf_words(Path(path))
    except ExtractionError:
        logger.warning("Document %s could not be read to learn from", document.pk)
        return None
    hint = learn_hint(words, field, value)
    if hint is None:
        logger.info(
            "Corrected %s of document %s is not printed on it", field, document.pk
        )
        return None
    with transaction.atomic():
        record, created = LearnedField.objects.select_for_update().get_or_create(
            supplier_key=key,
            field=field,
            defaults={"hint": hint.to_json(), "corrections": 1},
        )
        if not created:
            record.hint = hint.to_json()
            record.corrections = F("corrections") + 1
            record.save(update_fields=["hint", "corrections", "updated_at"])
            record.refresh_from_db()
    logger.info("Learned %s for supplier %s from document %s", field, key, document.pk)
    return record


def apply_learned(result: ExtractionResult, path: str | Path) -> list[str]:
    """Read the learned fields of ``result``'s supplier again from ``path``.

    Return the names of the fields that a learned hint set.
    """
    key = result_supplier_key(result)
    if key is None or result.source != Source.PDF_TEXT:
        return []
    records = list(LearnedField.objects.filter(supplier_key=key))
    if not records:
        return []
    hints = [LayoutHint.from_json(record.hint) for record in records]
    applied = apply_hints(result, read_pdf_words(path), hints)
    if applied:
        logger.info("Read %s with what was learned for %s", applied, key)
    return applied


def corrections_learned(key: str | None) -> int:
    """Return how many corrections of the supplier's documents were learned."""
    if key is None:
        return 0
    total = LearnedField.objects.filter(supplier_key=key).aggregate(
        total=Sum("corrections")
    )["total"]
    return total or 0
