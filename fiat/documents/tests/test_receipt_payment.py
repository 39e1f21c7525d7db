"""Receipt payments printed without a cash label, and the second OCR reading."""

from decimal import Decimal

from PIL import Image

from fiat.documents.extraction import ocr
from fiat.documents.extraction.receipts import read_receipt_words
from fiat.documents.extraction.result import Source
from fiat.documents.tests.test_awkward_values import _receipt_words


def _read(rows: list[list[str]]):
    return read_receipt_words(
        _receipt_words(rows), file="receipt.png", source=Source.OCR
    )


def test_paid_line_confirms_item_amount():
    # OCR garbled the total label, so only the paid line and the item's
    # amount remain.
    rows = [
        ["CITY PARKING SDN BHD"],
        ["Parking Fee Rate A", "RM4.00"],
        ["Teval de", "RMA. OO"],
        ["Paid", "RM4.00"],
    ]

    result = _read(rows)

    assert result.total_gross == Decimal("4.00")


def test_payment_line_with_change_confirms_item_amount():
    rows = [
        ["BOOK CORNER ENTERPRISE"],
        ["3 x 2.00", "6.00", "SR"],
        ["Total !n of GS", "6 00"],
        ["Payment", "6.00"],
        ["Change Due", "0.00"],
    ]

    result = _read(rows)

    assert result.total_gross == Decimal("6.00")


def test_payment_word_inside_line_is_no_payment():
    rows = [
        ["BOOK CORNER ENTERPRISE"],
        ["3 x 2.00", "6.00", "SR"],
        ["No payment refund after", "7.00", "pm"],
    ]

    result = _read(rows)

    assert result.total_gross != Decimal("7.00")


def test_second_reading_uses_block_mode(monkeypatch):
    options_seen = []

    def run_tesseract(image, options, config):
        options_seen.append(options)
        return "level\tleft\ttop\twidth\theight\tconf\ttext\n"

    monkeypatch.setattr(ocr, "_run_tesseract", run_tesseract)
    monkeypatch.setattr(ocr, "detect_rotation", lambda image: 0)
    image = Image.new("L", (1400, 200), 255)

    ocr.ocr_image(image, binarise=True)
    ocr.ocr_image(image)

    assert options_seen[0][-1] == "6"
    assert options_seen[1][-1] == "4"
