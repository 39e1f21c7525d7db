"""Trusted thresholds of the readers' confidence, as the bench stored them."""

import json

from fiat.documents.extraction import trust
from fiat.documents.extraction.trust import (
    NEVER_TRUSTED,
    THRESHOLDS_FILE,
    calibrated_thresholds,
    trusted_threshold,
    untrusted_fields,
)


def test_stored_file_covers_both_readers():
    stored = json.loads(THRESHOLDS_FILE.read_text(encoding="utf-8"))

    assert stored["target_precision"] == 0.98
    assert set(stored["thresholds"]) == {"pdf_text", "ocr"}
    assert "supplier.vat_number" in stored["thresholds"]["pdf_text"]


def test_threshold_read_from_file():
    stored = calibrated_thresholds()["pdf_text"]["total_gross"]

    assert trusted_threshold("pdf_text", "total_gross") == stored
    assert 0 < stored <= 1


def test_null_threshold_never_trusted(tmp_path, monkeypatch):
    stored = {"thresholds": {"ocr": {"issue_date": None, "total_gross": 0.9}}}
    path = tmp_path / "thresholds.json"
    path.write_text(json.dumps(stored), encoding="utf-8")
    monkeypatch.setattr(trust, "THRESHOLDS_FILE", path)
    calibrated_thresholds.cache_clear()

    try:
        never = trusted_threshold("ocr", "issue_date")
        gross = trusted_threshold("ocr", "total_gross")
        untrusted = untrusted_fields("ocr", {"issue_date": 1.0}, ["issue_date"])
    finally:
        # The next test must read the stored file again, not this one.
        calibrated_thresholds.cache_clear()

    assert never == NEVER_TRUSTED
    assert gross == 0.9
    assert untrusted == ["issue_date"]


def test_uncalibrated_field_has_no_threshold():
    assert trusted_threshold("pdf_text", "po_reference") is None


def test_einvoice_fields_need_full_confidence():
    assert trusted_threshold("ubl", "total_gross") == 1.0
    assert trusted_threshold("facturx", "supplier.iban") == 1.0


def test_untrusted_fields_listed():
    gross = trusted_threshold("pdf_text", "total_gross")
    confidence = {"total_gross": gross - 0.01, "invoice_number": 1.0}

    untrusted = untrusted_fields(
        "pdf_text", confidence, ["total_gross", "invoice_number", "total_net"]
    )

    # total_net was read but has no confidence, so it counts as 0.
    assert untrusted == ["total_gross", "total_net"]


def test_field_without_threshold_never_listed():
    untrusted = untrusted_fields("pdf_text", {"po_reference": 0.1}, ["po_reference"])

    assert untrusted == []
