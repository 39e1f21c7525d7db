"""The drop folder: files saved in FIAT_DROP_DIR are taken in by a job.

A scanner or a shared network folder saves files there. Each scan takes in
the files at the top level of the folder and moves each one to
``processed/`` once it is stored, or to ``failed/`` with a ``.error.txt``
beside it when it could not be taken in at all. A file that cannot be read
is stored and quarantined like any other, so it goes to ``processed/``.
Saved mail (.eml) is taken in as its attachments.
"""

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from fiat.documents.intake import receive_any
from fiat.documents.models import Channel

logger = logging.getLogger(__name__)

PROCESSED_FOLDER = "processed"
FAILED_FOLDER = "failed"
# NOTE: a file modified more recently than this may still be being written
# (a scanner writing over the network), so it waits for the next scan. The
# value is a guess that suits scanners that write a page every few seconds.
MIN_AGE_SECONDS = 10.0


@dataclass
class ScanResult:
    processed: list[Path] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)


def drop_folder() -> Path:
    """Return the drop folder: FIAT_DROP_DIR, else ``drop`` in the data folder."""
    configured = getattr(settings, "FIAT_DROP_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "drop"


def scan_drop_folder(
    folder: Path | None = None,
    *,
    now: float | None = None,
    min_age_seconds: float = MIN_AGE_SECONDS,
) -> ScanResult:
    """Take in the files of the drop folder and move each one out of it.

    ``now`` is a Unix time, given by tests. Files modified less than
    ``min_age_seconds`` before it are left for the next scan.
    """
    folder = folder or drop_folder()
    for subfolder in (PROCESSED_FOLDER, FAILED_FOLDER):
        (folder / subfolder).mkdir(parents=True, exist_ok=True)
    now = time.time() if now is None else now
    result = ScanResult()
    for path in sorted(folder.iterdir()):
        if not _is_ready(path, now, min_age_seconds):
            continue
        if _take_in(path):
            result.processed.append(_move(path, folder / PROCESSED_FOLDER))
        else:
            result.failed.append(_move(path, folder / FAILED_FOLDER))
    if result.processed or result.failed:
        logger.info(
            "Drop folder %s: %d files taken in, %d failed",
            folder,
            len(result.processed),
            len(result.failed),
        )
    return result


def _is_ready(path: Path, now: float, min_age_seconds: float) -> bool:
    if path.name.startswith(".") or not path.is_file():
        return False
    return now - path.stat().st_mtime >= min_age_seconds


def _take_in(path: Path) -> bool:
    try:
        receive_any(path.read_bytes(), path.name, channel=Channel.FOLDER)
    except Exception as error:
        logger.exception("Taking in %s from the drop folder failed", path)
        _write_error(path, error)
        return False
    return True


def _write_error(path: Path, error: Exception) -> None:
    failed = path.parent / FAILED_FOLDER
    reason = f"{path.name} could not be taken in: {error}\n"
    (failed / f"{path.name}.error.txt").write_text(reason, encoding="utf-8")


def _move(path: Path, folder: Path) -> Path:
    """Move ``path`` into ``folder``, numbering the name if it is taken."""
    target = folder / path.name
    number = 1
    while target.exists():
        target = folder / f"{path.stem}-{number}{path.suffix}"
        number += 1
    path.rename(target)
    return target
