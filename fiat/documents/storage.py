"""Content-addressed storage of originals: one file per SHA-256 digest.

Files go through Django's default storage (a folder under MEDIA_ROOT in the
embedded setup, S3-compatible storage where configured) at
``originals/<first two hex digits>/<digest>``. Storing the same bytes again
returns the existing ``StoredFile``, also when two processes store them at
the same moment: the unique digest decides which row wins, and the loser
returns the winner's row.
"""

import hashlib
import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from fiat.documents.filetypes import SNIFF_LENGTH, sniff_content_type
from fiat.documents.models import StoredFile

logger = logging.getLogger(__name__)

ORIGINALS_FOLDER = "originals"


def storage_name(sha256: str) -> str:
    """Return the storage path of the original with digest ``sha256``."""
    return f"{ORIGINALS_FOLDER}/{sha256[:2]}/{sha256}"


def store_file(content: bytes) -> tuple[StoredFile, bool]:
    """Store ``content`` once and return its StoredFile and whether it is new.

    The bytes are written before the row is inserted, so a row never points
    at a missing file. A crash between the two leaves a file without a row,
    which the next store of the same bytes adopts.
    """
    sha256 = hashlib.sha256(content).hexdigest()
    existing = StoredFile.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing, False
    name = write_once(storage_name(sha256), content)
    try:
        with transaction.atomic():
            stored = StoredFile.objects.create(
                sha256=sha256,
                file=name,
                size=len(content),
                content_type=sniff_content_type(content[:SNIFF_LENGTH]),
            )
    except IntegrityError:
        logger.info(
            "Original %s was stored by another process at the same time", sha256
        )
        return StoredFile.objects.get(sha256=sha256), False
    logger.info(
        "Stored original %s (%s, %d bytes)",
        sha256,
        stored.content_type,
        stored.size,
        extra={"sha256": sha256},
    )
    return stored, True


def write_once(name: str, content: bytes) -> str:
    """Write ``content`` at ``name`` unless a complete copy is already there.

    Only for content-addressed names, where the same name always means the
    same bytes.
    """
    if default_storage.exists(name):
        if default_storage.size(name) == len(content):
            return name
        # A partial file from an interrupted write: replace it.
        logger.warning("Replacing incomplete stored file %s", name)
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(content))
    if saved != name:
        # A concurrent writer created ``name`` first and the storage chose
        # another name for this copy. The content is the same, so drop it.
        default_storage.delete(saved)
    return name


@contextmanager
def local_copy(stored: StoredFile) -> Iterator[Path]:
    """Yield a local path of the stored file, for readers that need one.

    The file's own path is used where the storage has one. Otherwise (S3)
    the bytes are copied to a temporary file that is removed afterwards.
    """
    try:
        own_path = Path(stored.file.path)
    except NotImplementedError:
        own_path = None
    if own_path is not None:
        yield own_path
        return
    with tempfile.TemporaryDirectory(prefix="fiat-") as folder:
        path = Path(folder) / stored.sha256
        with stored.file.open("rb") as source, path.open("wb") as target:
            shutil.copyfileobj(source, target)
        yield path
