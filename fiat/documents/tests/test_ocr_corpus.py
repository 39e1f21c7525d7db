"""OCR of sample invoices whose expected values come with the corpus."""

import json
import shutil
from decimal import Decimal

import pypdfium2
import pytest

from fiat.documents.extraction.ocr import read_ocr

pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="Tesseract is not installed"
)


def truth_of(folder, name: str) -> dict:
    return json.loads((folder / f"{name}.json").read_text())[0]


def test_rendered_pdf_page(corpus_dir, tmp_path):
    folder = corpus_dir / "invoices-pdf" / "invoice2data" / "compare"
    document = pypdfium2.PdfDocument(str(folder / "coolblue1.pdf"))
    image_path = tmp_path / "coolblue1.png"
    document[0].render(scale=300 / 72).to_pil().save(image_path)
    document.close()
    truth = truth_of(folder, "coolblue1")

    result = read_ocr(image_path)

    assert result.invoice_number == truth["invoice_number"]
    assert result.total_gross == Decimal(str(truth["amount"]))
    assert result.total_net == Decimal(str(truth["amount_untaxed"]))
    assert result.supplier.iban == truth["iban"]


def test_scan_image_from_corpus(corpus_dir):
    folder = corpus_dir / "invoices-pdf" / "invoice2data" / "compare"
    truth = truth_of(folder, "AmazonWebServices")

    result = read_ocr(folder / "AmazonWebServices.png")

    assert result.invoice_number == truth["invoice_number"]
    assert result.total_gross == Decimal(str(truth["amount"]))
    assert result.issue_date.isoformat() == truth["date"]
