"""``fiat ingest`` takes files in; ``fiat extract`` prints what it reads."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fiat.documents.models import Channel, Document, DocumentStatus
from fiat.documents.tests import samples

FIAT = Path(sys.executable).parent / "fiat"
CONTRACT_KEYS = [
    "file",
    "source",
    "document_type",
    "supplier",
    "customer",
    "invoice_number",
    "issue_date",
    "due_date",
    "currency",
    "total_net",
    "total_vat",
    "total_gross",
    "amount_due",
    "po_reference",
    "payment_reference",
    "vat_breakdown",
    "lines",
    "confidence",
    "warnings",
]


def run(*args: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(*args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]


@pytest.fixture
def invoices(tmp_path) -> Path:
    folder = tmp_path / "invoices"
    (folder / "maart").mkdir(parents=True)
    (folder / "F1.pdf").write_bytes(samples.invoice_pdf("F2024-001"))
    (folder / "maart" / "F2.xml").write_bytes(samples.ubl_invoice("F2024-002"))
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    return folder


@pytest.mark.django_db
def test_ingest_takes_in_folders_recursively(invoices):
    output, _ = run("ingest", str(invoices))

    assert sorted(Document.objects.values_list("filename", flat=True)) == [
        "F1.pdf",
        "F2.xml",
    ]
    assert set(Document.objects.values_list("channel", flat=True)) == {Channel.CLI}
    assert output.count(" received") == 2


@pytest.mark.django_db
def test_ingest_reports_files_received_before(invoices):
    run("ingest", str(invoices / "F1.pdf"))
    document = Document.objects.get()

    output, _ = run("ingest", str(invoices / "F1.pdf"))

    assert output == (
        f"{invoices / 'F1.pdf'}: received before as document {document.pk} (received)\n"
    )
    assert Document.objects.count() == 1


@pytest.mark.django_db
def test_ingest_read_now_reads_in_process(invoices, handled_documents):
    output, _ = run("ingest", "--read-now", str(invoices / "F1.pdf"))

    document = Document.objects.get()
    assert document.status == DocumentStatus.READ
    assert output == f"{invoices / 'F1.pdf'}: document {document.pk} read\n"


@pytest.mark.django_db
def test_ingest_read_now_shows_quarantine_reason(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")

    output, _ = run("ingest", "--read-now", str(path))

    assert output.endswith(
        "quarantined: The file is empty. Ask the sender for a new copy of the "
        "document.\n"
    )


@pytest.mark.django_db
def test_ingest_missing_path_fails_after_the_rest(invoices):
    with pytest.raises(CommandError, match="1 paths could not be taken in"):
        run("ingest", str(invoices / "missing.pdf"), str(invoices / "F1.pdf"))

    assert Document.objects.get().filename == "F1.pdf"


def test_extract_prints_the_contract_per_file(invoices):
    output, _ = run("extract", "--json", str(invoices))

    results = json_lines(output)
    assert [result["file"] for result in results] == [
        str(invoices / "F1.pdf"),
        str(invoices / "maart" / "F2.xml"),
    ]
    assert list(results[1]) == CONTRACT_KEYS
    assert results[1]["source"] == "ubl"
    assert results[1]["total_gross"] == "121.00"
    assert results[1]["issue_date"] == "2024-03-15"
    assert results[1]["supplier"]["vat_number"] == samples.SUPPLIER_VAT
    assert results[0]["source"] == "pdf_text"
    assert results[0]["invoice_number"] == "F2024-001"


def test_extract_stores_nothing(invoices):
    # pytest-django blocks the database in tests without the django_db
    # mark, so any query here would raise.
    output, _ = run("extract", "--json", str(invoices / "F1.pdf"))

    assert json.loads(output)["invoice_number"] == "F2024-001"


def test_extract_reports_errors_and_fails_at_the_end(tmp_path, invoices):
    broken = tmp_path / "letter.pdf"
    broken.write_bytes(samples.NOT_A_PDF)
    stdout, stderr = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="2 of 3 files could not be read"):
        call_command(
            "extract",
            "--json",
            str(broken),
            str(tmp_path / "missing.xml"),
            str(invoices / "F1.pdf"),
            stdout=stdout,
            stderr=stderr,
        )

    results = json_lines(stdout.getvalue())
    assert results[0] == {
        "file": str(broken),
        "error": {
            "code": "not_a_pdf",
            "message": "The file is named .pdf but is not a PDF. Ask the sender "
            "for a new copy of the document.",
        },
    }
    assert results[1]["error"]["code"] == "not_found"
    assert results[2]["invoice_number"] == "F2024-001"


def test_extract_rejects_pipe_and_large_file(tmp_path, settings):
    pipe = tmp_path / "pipe.pdf"
    os.mkfifo(pipe)
    large = tmp_path / "large.pdf"
    large.write_bytes(b"%PDF-1.7\n" + b" " * 2000)
    settings.FIAT_MAX_DOCUMENT_BYTES = 1000
    stdout = io.StringIO()

    with pytest.raises(CommandError, match="2 of 2 files could not be read"):
        call_command("extract", "--json", str(pipe), str(large), stdout=stdout)

    errors = {line["file"]: line["error"] for line in json_lines(stdout.getvalue())}
    assert errors[str(pipe)]["code"] == "not_a_file"
    assert errors[str(large)]["code"] == "too_large"
    assert "more than the 1000 that Fiat reads" in errors[str(large)]["message"]


def test_extract_summary_without_json(invoices):
    output, _ = run("extract", str(invoices / "maart" / "F2.xml"))

    assert output == (
        f"{invoices / 'maart' / 'F2.xml'}: ubl invoice, Drukkerij De Vries B.V., "
        "number F2024-002, 2024-03-15, EUR 121.00\n"
    )


def test_extract_console_script_exits_non_zero(tmp_path, invoices):
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")

    completed = subprocess.run(
        [str(FIAT), "extract", "--json", str(invoices / "F1.pdf"), str(empty)],
        capture_output=True,
        text=True,
        check=False,
    )

    results = json_lines(completed.stdout)
    assert completed.returncode == 1
    assert results[0]["invoice_number"] == "F2024-001"
    assert results[1]["error"]["code"] == "empty_file"


def test_extract_corpus_pdf_and_einvoices(corpus_dir):
    files = [
        corpus_dir / "invoices-pdf/invoice2data/compare/coolblue1.pdf",
        corpus_dir / "ubl-einvoice/peppol-bis-invoice-3/examples/base-example.xml",
        corpus_dir
        / "facturx-zugferd/akretion-factur-x/fixtures/pdf/invoice_EN16931.pdf",
    ]

    output, _ = run("extract", "--json", *map(str, files))

    results = json_lines(output)
    assert [result["source"] for result in results] == ["pdf_text", "ubl", "facturx"]
    assert results[0]["invoice_number"] == "993548900"
    assert results[0]["total_gross"] == "717.97"
    assert results[0]["supplier"]["iban"] == "NL50INGB0683251309"
    assert results[1]["invoice_number"] == "Snippet1"
    assert results[1]["total_gross"] == "1656.25"


def test_extract_corpus_receipt(corpus_dir):
    photo = corpus_dir / "receipts-ocr/SROIE-zzzDavid/img/000.jpg"

    output, _ = run("extract", "--json", "--as", "receipt", str(photo))

    result = json.loads(output)
    assert result["document_type"] == "receipt"
    assert result["source"] == "ocr"
    assert result["total_gross"] == "9.00"
    assert result["issue_date"] == "2018-12-25"
    assert "payment_method" in result


def test_extract_corpus_text_file_is_an_error(corpus_dir):
    text = corpus_dir / "invoices-pdf/invoice2data/compare/Orlen.txt"
    stdout = io.StringIO()

    with pytest.raises(CommandError):
        call_command("extract", "--json", str(text), stdout=stdout)

    assert json.loads(stdout.getvalue())["error"]["code"] == "unsupported_type"
