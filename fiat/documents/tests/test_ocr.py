"""Invoices read by the real Tesseract from images that the tests render."""

import io
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pypdf
import pypdfium2
import pytest
from PIL import Image, ImageDraw, ImageFile, ImageFont

from fiat.documents.extraction.ocr import RENDER_DPI, ocr_image, read_ocr
from fiat.documents.extraction.pdftext import MAX_RENDER_PIXELS, open_pdf, render_scale
from fiat.documents.extraction.result import ExtractionError, Source
from fiat.documents.extraction.skew import estimate_skew

pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="Tesseract is not installed"
)

FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# An A4 page at 300 dpi.
PAGE_SIZE = (2480, 3508)

INVOICE_LINES = [
    (150, 200, "FACTUUR"),
    (150, 400, "Factuurnummer: 2024-0153"),
    (150, 470, "Factuurdatum: 12 maart 2024"),
    (150, 540, "Vervaldatum: 26 maart 2024"),
    (1500, 400, "Drukkerij Zuid B.V."),
    (1500, 470, "KvK 12345678"),
    (1500, 540, "IBAN NL91 ABNA 0417 1643 00"),
    (150, 900, "Omschrijving"),
    (1800, 900, "Bedrag"),
    (150, 970, "Visitekaartjes, 500 stuks"),
    (1800, 970, "€ 100,00"),
    (150, 1300, "Subtotaal"),
    (1800, 1300, "€ 100,00"),
    (150, 1370, "BTW 21%"),
    (1800, 1370, "€ 21,00"),
    (150, 1440, "Totaal"),
    (1800, 1440, "€ 121,00"),
]


def font(size: int) -> ImageFont.FreeTypeFont:
    if FONT_PATH.exists():
        return ImageFont.truetype(str(FONT_PATH), size)
    return ImageFont.load_default(size)


def render_page(
    texts: list[tuple[int, int, str]], size: tuple[int, int] = PAGE_SIZE
) -> Image.Image:
    """Render black text on a white grayscale page, about 10 pt at 300 dpi."""
    image = Image.new("L", size, color=255)
    draw = ImageDraw.Draw(image)
    for x, y, text in texts:
        draw.text((x, y), text, fill=0, font=font(44))
    return image


@pytest.fixture(scope="module")
def invoice_image() -> Image.Image:
    return render_page(INVOICE_LINES)


@pytest.fixture(scope="module")
def png_result(invoice_image, tmp_path_factory):
    path = tmp_path_factory.mktemp("ocr") / "invoice.png"
    invoice_image.save(path)
    return read_ocr(path)


def test_png_source_is_ocr(png_result):
    assert png_result.source == Source.OCR


def test_png_invoice_number_and_dates(png_result):
    assert png_result.invoice_number == "2024-0153"
    assert png_result.issue_date == date(2024, 3, 12)
    assert png_result.due_date == date(2024, 3, 26)


def test_png_totals_confirmed_by_arithmetic(png_result):
    assert png_result.total_net == Decimal("100.00")
    assert png_result.total_vat == Decimal("21.00")
    assert png_result.total_gross == Decimal("121.00")
    assert png_result.currency == "EUR"
    assert png_result.warnings == []


def test_png_supplier_identity(png_result):
    assert png_result.supplier.iban == "NL91ABNA0417164300"
    assert png_result.supplier.coc_number == "12345678"
    assert png_result.supplier.name == "Drukkerij Zuid B.V."


def test_ocr_confidence_below_text_layer(png_result):
    assert 0.5 < png_result.confidence["total_gross"] < 0.98


def test_image_only_pdf(invoice_image, tmp_path):
    path = tmp_path / "scan.pdf"
    invoice_image.save(path, resolution=300)

    result = read_ocr(path)

    assert result.invoice_number == "2024-0153"
    assert result.total_gross == Decimal("121.00")


def test_tiff_image(invoice_image, tmp_path):
    path = tmp_path / "scan.tiff"
    invoice_image.save(path, compression="tiff_lzw")

    result = read_ocr(path)

    assert result.invoice_number == "2024-0153"
    assert result.total_gross == Decimal("121.00")


def test_skewed_scan_is_straightened(invoice_image, tmp_path):
    path = tmp_path / "skewed.jpg"
    invoice_image.rotate(2.5, expand=True, fillcolor=255).save(path, quality=90)

    result = read_ocr(path)

    assert result.invoice_number == "2024-0153"
    assert result.total_gross == Decimal("121.00")


def test_page_turned_sideways(invoice_image, tmp_path):
    path = tmp_path / "turned.png"
    invoice_image.rotate(90, expand=True).save(path)

    result = read_ocr(path)

    assert result.invoice_number == "2024-0153"
    assert result.total_gross == Decimal("121.00")


def test_skew_estimate(invoice_image):
    skewed = invoice_image.rotate(-2, expand=True, fillcolor=255)

    angle = estimate_skew(skewed)

    assert abs(angle - 2) <= 0.25


@pytest.mark.parametrize("degrees", [7, -9, 12])
def test_skew_estimate_phone_angle(invoice_image, degrees):
    skewed = invoice_image.rotate(-degrees, expand=True, fillcolor=255)

    angle = estimate_skew(skewed)

    assert abs(angle - degrees) <= 0.25


def test_straight_page_has_no_skew(invoice_image):
    assert estimate_skew(invoice_image) == 0.0


def test_words_carry_positions_and_confidence():
    image = render_page([(100, 100, "Totaal"), (900, 100, "121,00")], size=(1400, 300))

    words = ocr_image(image)

    assert [word.text for word in words] == ["Totaal", "121,00"]
    assert words[0].right < words[1].left
    assert all(0 < word.confidence <= 1 for word in words)


def test_file_that_is_no_image(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("not an image")

    with pytest.raises(ExtractionError) as raised:
        read_ocr(path)

    assert raised.value.code == "not_an_image"


def test_truncated_image_is_not_an_image(tmp_path, invoice_image):
    whole = tmp_path / "whole.jpg"
    invoice_image.save(whole, format="JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(whole.read_bytes()[:3000])

    with pytest.raises(ExtractionError) as raised:
        read_ocr(path)

    assert raised.value.code == "not_an_image"
    assert "is cut short" in raised.value.message


def test_truncated_image_found_when_pillow_allows_it(tmp_path, monkeypatch):
    # WeasyPrint sets this flag for the whole process when it is imported.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    image = Image.new("L", (400, 300), 255)
    whole = tmp_path / "whole.png"
    image.save(whole)
    path = tmp_path / "cut.png"
    path.write_bytes(whole.read_bytes()[:-20])

    with pytest.raises(ExtractionError) as raised:
        read_ocr(path)

    assert raised.value.code == "not_an_image"


def test_huge_pdf_page_rendered_within_pixel_cap():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=14_000, height=14_000)
    writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    document = pypdfium2.PdfDocument(output.getvalue())

    huge_scale = render_scale(document[0], RENDER_DPI)
    a4_scale = render_scale(document[1], RENDER_DPI)

    assert (14_000 * huge_scale) ** 2 <= MAX_RENDER_PIXELS * 1.001
    assert (14_000 * huge_scale) ** 2 >= MAX_RENDER_PIXELS * 0.999
    assert a4_scale == RENDER_DPI / 72


def test_image_over_pixel_limit_is_too_large(tmp_path, monkeypatch):
    path = tmp_path / "huge.png"
    Image.new("L", (200, 200), 255).save(path)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)

    with pytest.raises(ExtractionError) as raised:
        read_ocr(path)

    assert raised.value.code == "too_large"
    assert "Ask the sender for a smaller scan" in raised.value.message


def test_password_protected_pdf_is_encrypted(tmp_path):
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as file:
        writer.write(file)

    with pytest.raises(ExtractionError) as raised:
        open_pdf(path)

    assert raised.value.code == "encrypted_pdf"
    assert "Ask the sender for a copy without a password." in raised.value.message
