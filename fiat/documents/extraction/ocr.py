"""Invoices read by OCR from scanned PDFs and images (PNG, JPEG, TIFF).

Each page is rendered at 300 dpi (pypdfium2) or loaded (Pillow). It is
turned to grayscale with stretched contrast and straightened when it is
skewed or turned. Tesseract reads it with page segmentation mode 4 (one
column of text of variable sizes), which keeps the rows of invoice tables
together. Tesseract's TSV output gives every word with its box and
confidence, and the words go through the same field logic as the PDF text
layer (``fields``).

OCR takes seconds a page, so it belongs in a background worker and never in
a web request. Tesseract runs with ``OMP_THREAD_LIMIT=1``, so that several
workers can share the cores instead of each using all of them.
"""

from __future__ import annotations

import csv
import io
import logging
import math
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from fiat.documents.extraction.fields import read_fields
from fiat.documents.extraction.layout import Word
from fiat.documents.extraction.pdftext import open_pdf, render_scale
from fiat.documents.extraction.result import ExtractionError, ExtractionResult, Source
from fiat.documents.extraction.skew import estimate_skew

logger = logging.getLogger(__name__)

TESSERACT = os.environ.get("FIAT_TESSERACT", "tesseract")
# Tesseract's language packs to use, the first one preferred.
LANGUAGES = "nld+eng+deu+fra"
RENDER_DPI = 300
# A page is checked for being turned (orientation detection, about a second)
# only when the first reading is this poor (mean word confidence, 0 to 100).
_MIN_MEAN_CONFIDENCE = 60
_MIN_WORDS = 10
# Images narrower than this many pixels are enlarged, by at most 4 times.
_MIN_WIDTH = 1200
_MAX_UPSCALE = 4
# A skew smaller than this, in degrees, is left alone.
_MIN_SKEW = 0.3
_TIMEOUT_SECONDS = 120
_ROTATE_PATTERN = re.compile(r"Rotate:\s*(\d+)")
# Tesseract's page segmentation modes: one column of text of variable sizes,
# and one uniform block of text.
_PSM_COLUMN = "4"
_PSM_BLOCK = "6"


class OcrError(ExtractionError):
    """Tesseract is missing, failed or timed out."""


def read_ocr(
    path: str | Path, *, own_identifiers: frozenset[str] = frozenset()
) -> ExtractionResult:
    """Read invoice fields from a scanned PDF or an image by OCR.

    ``own_identifiers`` are the receiving company's VAT numbers, KvK
    numbers, IBANs and names, which are never taken for the supplier's.
    Raise ExtractionError when the file cannot be opened and OcrError when
    Tesseract cannot run.
    """
    words = read_ocr_words(path)
    return read_fields(
        words, file=str(path), source=Source.OCR, own_identifiers=own_identifiers
    )


def read_ocr_words(path: str | Path, *, binarise: bool = False) -> list[Word]:
    """Return the words of every page, with boxes in pixels from the top left.

    ``binarise`` turns each page into black and white (Otsu's threshold)
    and reads it as one block of text (page segmentation mode 6). That reads
    faint or dotted print differently, so it is worth a second reading when
    the first one misses a field.
    """
    words: list[Word] = []
    for page_index, image in enumerate(page_images(path)):
        words.extend(ocr_image(image, page=page_index, binarise=binarise))
    logger.info("OCR read %d words from %s", len(words), path)
    return words


def page_images(path: str | Path) -> Iterator[Image.Image]:
    """Yield each page of a PDF (rendered at 300 dpi) or of an image file."""
    path = Path(path)
    with path.open("rb") as file:
        is_pdf = file.read(5) == b"%PDF-"
    if is_pdf:
        yield from _pdf_images(path)
    else:
        yield from _image_frames(path)


def ocr_image(
    image: Image.Image, *, page: int = 0, binarise: bool = False
) -> list[Word]:
    """Return the words Tesseract reads in ``image``, straightened first."""
    image = prepare_image(image)
    psm = _PSM_COLUMN
    if binarise:
        image = binarise_otsu(image)
        psm = _PSM_BLOCK
    words = _tesseract_words(image, page, psm)
    if _is_poor(words):
        rotation = detect_rotation(image)
        if rotation:
            logger.info(
                "Page %d is turned by %d degrees; reading it again", page, rotation
            )
            turned = image.rotate(-rotation, expand=True)
            words = _tesseract_words(turned, page, psm)
    return words


def prepare_image(image: Image.Image) -> Image.Image:
    """Return a grayscale copy with stretched contrast, its skew undone.

    Small images (receipt photos of a few hundred pixels) are enlarged first,
    because Tesseract reads letters best at 20 to 40 pixels high.
    """
    gray = ImageOps.exif_transpose(image).convert("L")
    if gray.width < _MIN_WIDTH:
        factor = min(math.ceil(_MIN_WIDTH / gray.width), _MAX_UPSCALE)
        size = (gray.width * factor, gray.height * factor)
        gray = gray.resize(size, Image.Resampling.LANCZOS)
    # Stretch from the darkest to the lightest pixel, and clip nothing: text
    # often covers less than 1% of a page, so a clipping cutoff would turn it
    # and the compression noise around it into black and white specks.
    gray = ImageOps.autocontrast(gray)
    angle = estimate_skew(gray)
    if abs(angle) >= _MIN_SKEW:
        gray = gray.rotate(
            angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255
        )
    return gray


def binarise_otsu(gray: Image.Image) -> Image.Image:
    """Return ``gray`` in black and white, split at Otsu's threshold.

    Otsu's method picks the gray level that maximises the variance between
    the two classes of pixels (ink and paper), from the histogram alone.
    """
    histogram = gray.histogram()
    total = sum(histogram)
    weighted_total = sum(level * count for level, count in enumerate(histogram))
    dark_count = dark_weighted = 0
    best_variance, threshold = -1.0, 128
    for level, count in enumerate(histogram):
        dark_count += count
        dark_weighted += level * count
        light_count = total - dark_count
        if dark_count == 0 or light_count == 0:
            continue
        dark_mean = dark_weighted / dark_count
        light_mean = (weighted_total - dark_weighted) / light_count
        variance = dark_count * light_count * (dark_mean - light_mean) ** 2
        if variance > best_variance:
            best_variance, threshold = variance, level
    return gray.point(lambda value: 255 if value > threshold else 0)


def detect_rotation(image: Image.Image) -> int:
    """Return how many degrees clockwise the page's text is turned (OSD)."""
    try:
        output = _run_tesseract(image, ["--psm", "0"], "")
    except OcrError as error:
        # Orientation detection fails on pages with too little text.
        logger.info("Orientation detection failed: %s", error)
        return 0
    match = _ROTATE_PATTERN.search(output)
    return int(match.group(1)) if match else 0


def _pdf_images(path: Path) -> Iterator[Image.Image]:
    document = open_pdf(path)
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=render_scale(page, RENDER_DPI))
            yield bitmap.to_pil()
    finally:
        document.close()


def _image_frames(path: Path) -> Iterator[Image.Image]:
    try:
        image = Image.open(path)
    except UnidentifiedImageError as error:
        raise ExtractionError(
            "not_an_image", f"The file {path} is neither a PDF nor a readable image."
        ) from error
    except Image.DecompressionBombError as error:
        raise ExtractionError(
            "too_large",
            f"The image {path} has more than {Image.MAX_IMAGE_PIXELS} pixels, too "
            "many to read. Ask the sender for a smaller scan or photo.",
        ) from error
    with image:
        if _is_cut_short(path, image.format):
            raise ExtractionError(
                "not_an_image", f"The image {path} is cut short: its end is missing."
            )
        for frame in range(getattr(image, "n_frames", 1)):
            try:
                image.seek(frame)
                # Pillow decodes the pixels only here, so a damaged file
                # fails here and not in Image.open.
                copy = image.copy()
            except OSError as error:
                raise ExtractionError(
                    "not_an_image", f"The image {path} is damaged ({error})."
                ) from error
            yield copy


# The marker that ends a complete file of each format.
_END_MARKERS = {"JPEG": b"\xff\xd9", "PNG": b"IEND"}


def _is_cut_short(path: Path, image_format: str | None) -> bool:
    """Tell whether a JPEG or PNG file lacks its end marker anywhere.

    Pillow's own check does not work once a library sets
    ``ImageFile.LOAD_TRUNCATED_IMAGES`` (WeasyPrint does, for the whole
    process): the missing part of a cut-short file is then filled with grey.
    The whole file is searched, because phones may append data after the
    end of a JPEG (a motion photo's video). A cut-short JPEG whose embedded
    thumbnail is complete still passes this check.
    """
    marker = _END_MARKERS.get(image_format or "")
    if marker is None:
        return False
    return marker not in Path(path).read_bytes()


def _is_poor(words: list[Word]) -> bool:
    if len(words) < _MIN_WORDS:
        return True
    mean = sum(word.confidence for word in words) / len(words)
    return mean * 100 < _MIN_MEAN_CONFIDENCE


def _tesseract_words(image: Image.Image, page: int, psm: str) -> list[Word]:
    output = _run_tesseract(image, ["-l", LANGUAGES, "--psm", psm], "tsv")
    words = []
    for row in csv.DictReader(
        io.StringIO(output), delimiter="\t", quoting=csv.QUOTE_NONE
    ):
        text = (row.get("text") or "").strip()
        if row["level"] != "5" or not text or float(row["conf"]) < 0:
            continue
        left, top = int(row["left"]), int(row["top"])
        words.append(
            Word(
                text=text,
                left=left,
                top=top,
                right=left + int(row["width"]),
                bottom=top + int(row["height"]),
                page=page,
                confidence=float(row["conf"]) / 100,
            )
        )
    return words


def _run_tesseract(image: Image.Image, options: list[str], config: str) -> str:
    """Run Tesseract on ``image`` (sent as PNG on stdin) and return stdout."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    command = [TESSERACT, "stdin", "stdout", "--dpi", str(RENDER_DPI), *options]
    if config:
        command.append(config)
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        completed = subprocess.run(
            command,
            input=buffer.getvalue(),
            capture_output=True,
            timeout=_TIMEOUT_SECONDS,
            env=environment,
            check=False,
        )
    except FileNotFoundError as error:
        raise OcrError(
            "ocr_unavailable",
            f"Tesseract was not found as {TESSERACT!r}. Install tesseract-ocr "
            "or set FIAT_TESSERACT to its path.",
        ) from error
    except subprocess.TimeoutExpired as error:
        raise OcrError(
            "ocr_timeout", f"Tesseract timed out after {_TIMEOUT_SECONDS} s."
        ) from error
    if completed.returncode != 0:
        message = completed.stderr.decode(errors="replace").strip()
        raise OcrError("ocr_failed", f"Tesseract failed: {message}")
    return completed.stdout.decode(errors="replace")
