"""Page images of documents, for showing beside the fields that were read.

A PDF page is rendered with pypdfium2 at ``SCREEN_DPI``; a scan or photo is
converted to PNG and scaled down to ``MAX_IMAGE_SIDE`` pixels. Each image is
rendered once and kept in the default storage under ``pages/``, keyed by the
original's digest, so it is shared by every document with the same file. An
XML e-invoice shows the pages of its companion PDF.
"""

import io
import logging
from pathlib import Path

import pypdfium2
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

from fiat.documents.extraction.pdftext import render_scale
from fiat.documents.filetypes import IMAGE_TYPES, PDF
from fiat.documents.models import Document, StoredFile
from fiat.documents.storage import local_copy, write_once

logger = logging.getLogger(__name__)

SCREEN_DPI = 120
# Maximum width and height of a page image made from a photo or scan, in
# pixels.
MAX_IMAGE_SIDE = 1600
PAGES_FOLDER = "pages"


class PageNotFoundError(LookupError):
    """The document has no page with that number, or no pages at all."""

    def __init__(self, document: Document, number: int) -> None:
        super().__init__(f"Document {document.pk} has no page {number}.")
        self.document = document
        self.number = number


def count_pages(path: str | Path) -> int | None:
    """Return the number of pages of a PDF or frames of an image file.

    Return None for other files (XML) and for files that cannot be opened.
    """
    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return _count_frames(path)
    try:
        return len(document)
    finally:
        document.close()


def _count_frames(path: str | Path) -> int | None:
    try:
        with Image.open(path) as image:
            return getattr(image, "n_frames", 1)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError):
        return None


def page_image(document: Document, number: int) -> bytes:
    """Return page ``number`` (from 1) of ``document`` as PNG bytes.

    Raise PageNotFoundError when there is no such page.
    """
    stored = _shown_file(document)
    if stored is None or number < 1:
        raise PageNotFoundError(document, number)
    name = f"{PAGES_FOLDER}/{stored.sha256[:2]}/{stored.sha256}/{number}.png"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as file:
            return file.read()
    png = _render(stored, number)
    if png is None:
        raise PageNotFoundError(document, number)
    write_once(name, png)
    return png


def _shown_file(document: Document) -> StoredFile | None:
    """Return the file whose pages are shown for ``document``."""
    if document.companion_id is not None:
        return document.companion.stored_file
    if document.stored_file.content_type == PDF:
        return document.stored_file
    if document.stored_file.content_type in IMAGE_TYPES:
        return document.stored_file
    return None


def _render(stored: StoredFile, number: int) -> bytes | None:
    with local_copy(stored) as path:
        if stored.content_type == PDF:
            image = _render_pdf_page(path, number)
        else:
            image = _image_frame(path, number)
    if image is None:
        return None
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _render_pdf_page(path: Path, number: int) -> Image.Image | None:
    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as error:
        logger.warning("Cannot render %s: %s", path, error)
        return None
    try:
        if number > len(document):
            return None
        page = document[number - 1]
        bitmap = page.render(scale=render_scale(page, SCREEN_DPI))
        return bitmap.to_pil()
    finally:
        document.close()


def _image_frame(path: Path, number: int) -> Image.Image | None:
    try:
        with Image.open(path) as image:
            if number > getattr(image, "n_frames", 1):
                return None
            image.seek(number - 1)
            frame = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as error:
        logger.warning("Cannot render %s: %s", path, error)
        return None
    frame.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    return frame
