"""``fiat compiletranslations``: build the .mo files from the .po catalogues.

Django's own ``compilemessages`` needs GNU gettext's ``msgfmt``. This command
uses polib instead, so a fresh clone gets a Dutch interface with nothing but
the Python packages installed. The .mo files are build output and are not
kept in version control.

As with ``msgfmt``, fuzzy entries are left out of the .mo file, so Django
shows their English text until someone checks the translation.
"""

import os
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogue_paths(locale_dirs: list[Path]) -> list[Path]:
    """Return every .po file below ``locale_dirs``, sorted."""
    return sorted(path for folder in locale_dirs for path in folder.rglob("*.po"))


def compile_catalogue(po_path: Path) -> Path:
    """Write the .mo file beside ``po_path`` and return its path.

    The file is written under a temporary name and then renamed, so a test
    run or server reading it at the same time never reads half a file.
    """
    mo_path = po_path.with_suffix(".mo")
    catalogue = polib.pofile(str(po_path))
    handle, temporary_name = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
    os.close(handle)
    try:
        catalogue.save_as_mofile(temporary_name)
        Path(temporary_name).chmod(0o644)
        Path(temporary_name).replace(mo_path)
    except BaseException:
        Path(temporary_name).unlink(missing_ok=True)
        raise
    return mo_path


def compile_translations(locale_dirs: list[Path] | None = None) -> list[Path]:
    """Compile every catalogue in ``locale_dirs`` (default: LOCALE_PATHS)."""
    if locale_dirs is None:
        locale_dirs = [Path(folder) for folder in settings.LOCALE_PATHS]
    return [compile_catalogue(path) for path in catalogue_paths(locale_dirs)]


class Command(BaseCommand):
    help = (
        "Compile the translation catalogues (.po) in LOCALE_PATHS to .mo files "
        "with polib; GNU gettext is not needed."
    )

    def handle(self, *args, **options) -> None:
        compiled = compile_translations()
        for mo_path in compiled:
            self.stdout.write(f"Compiled {mo_path}")
        if not compiled:
            self.stderr.write(
                f"No .po files found in {', '.join(map(str, settings.LOCALE_PATHS))}."
            )
