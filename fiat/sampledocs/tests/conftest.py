"""Fixtures for the sample document tests.

The UBL 2.1 schema is read from the public sample corpus, which lies beside
the repository in ``../shared/corpus`` unless ``FIAT_CORPUS_DIR`` names
another folder.
"""

import os
from datetime import date
from pathlib import Path

import pytest

from fiat.sampledocs.catalogue import SampleFile, demo_invoices

REPOSITORY_ROOT = Path(__file__).resolve().parents[3]
DEMO_TODAY = date(2025, 3, 14)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    default = REPOSITORY_ROOT.parent / "shared" / "corpus"
    folder = Path(os.environ.get("FIAT_CORPUS_DIR", default))
    if not (folder / "schemas" / "ubl-2.1-xsd").is_dir():
        pytest.fail(
            f"The sample corpus is missing at {folder}: set FIAT_CORPUS_DIR to "
            "the folder that contains schemas/ubl-2.1-xsd."
        )
    return folder


@pytest.fixture(scope="session")
def demo_samples() -> dict[str, SampleFile]:
    """Return the demo files for 14 March 2025, by file name."""
    return {sample.filename: sample for sample in demo_invoices(DEMO_TODAY)}
