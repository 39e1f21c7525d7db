"""``POST /api/v1/documents`` takes uploads with a bearer token."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fiat.core.models import Role
from fiat.core.tokens import create_token
from fiat.documents.models import Channel, Document
from fiat.documents.reading import read_document
from fiat.documents.tests import samples
from fiat.documents.tests.conftest import make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/documents"


def bearer(user) -> dict[str, str]:
    _, raw = create_token(user, "scanner")
    return {"Authorization": f"Bearer {raw}"}


def pdf(name: str = "F2024-017.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, samples.invoice_pdf(), content_type="application/pdf"
    )


def test_upload_with_token_receives_documents(client, clerk):
    response = client.post(
        URL,
        {"files": [pdf(), SimpleUploadedFile("ubl.xml", samples.ubl_invoice())]},
        headers=bearer(clerk),
    )

    body = response.json()
    documents = Document.objects.order_by("pk")
    assert response.status_code == 201
    assert [item["created"] for item in body["items"]] == [True, True]
    assert [item["document"]["filename"] for item in body["items"]] == [
        "F2024-017.pdf",
        "ubl.xml",
    ]
    assert body["items"][0]["document"]["status"] == "received"
    assert body["items"][0]["document"]["content_type"] == "application/pdf"
    assert body["items"][0]["document"]["id"] == documents[0].pk
    assert {document.channel for document in documents} == {Channel.API}
    assert {document.received_by for document in documents} == {clerk}


def test_upload_of_known_file_returns_first_document(client, clerk):
    headers = bearer(clerk)
    first = client.post(URL, {"files": [pdf()]}, headers=headers).json()

    second = client.post(URL, {"files": [pdf("again.pdf")]}, headers=headers).json()

    assert second["items"][0]["created"] is False
    assert second["items"][0]["document"]["id"] == first["items"][0]["document"]["id"]
    assert second["items"][0]["document"]["filename"] == "F2024-017.pdf"


def test_upload_of_saved_mail_returns_its_attachments(client, clerk):
    raw = samples.mail(("F1.pdf", samples.invoice_pdf(), "application/pdf"))

    response = client.post(
        URL,
        {"files": [SimpleUploadedFile("factuur.eml", raw)]},
        headers=bearer(clerk),
    )

    items = response.json()["items"]
    assert [item["document"]["filename"] for item in items] == ["F1.pdf"]
    assert Document.objects.get().received_by == clerk


def test_upload_without_token_is_unauthorised(client):
    response = client.post(URL, {"files": [pdf()]})

    assert response.status_code == 401
    assert Document.objects.count() == 0


def test_upload_needs_intake_role(client):
    user = make_user("approver", Role.APPROVER)

    response = client.post(URL, {"files": [pdf()]}, headers=bearer(user))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_upload_without_files_is_invalid(client, clerk):
    response = client.post(URL, {}, headers=bearer(clerk))

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_upload_of_too_large_file_is_invalid(client, clerk, settings):
    settings.FIAT_MAX_DOCUMENT_BYTES = 100

    response = client.post(URL, {"files": [pdf()]}, headers=bearer(clerk))

    assert response.status_code == 422
    assert response.json()["field"] == "files"
    assert Document.objects.count() == 0


def test_document_shows_what_was_read(client, clerk):
    body = client.post(URL, {"files": [pdf()]}, headers=bearer(clerk)).json()
    document_id = body["items"][0]["document"]["id"]
    read_document.call(document_id)

    response = client.get(f"{URL}/{document_id}", headers=bearer(clerk))

    document = response.json()
    assert response.status_code == 200
    assert document["status"] == "read"
    assert document["source"] == "pdf_text"
    assert document["page_count"] == 1
    assert document["extraction"]["total_gross"] == "121.00"


def test_unknown_document_is_not_found(client, auditor):
    response = client.get(f"{URL}/999999", headers=bearer(auditor))

    assert response.status_code == 404


def test_upload_is_in_openapi_document(client):
    schema = client.get("/api/v1/openapi.json").json()

    operation = schema["paths"]["/api/v1/documents"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert "201" in operation["responses"]
