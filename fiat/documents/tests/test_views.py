"""Upload, quarantine and download pages, for the roles that may use them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fiat.core.models import Role
from fiat.documents.intake import receive_file, receive_mail
from fiat.documents.models import Channel, Document, DocumentStatus
from fiat.documents.reading import read_document
from fiat.documents.tests import samples
from fiat.documents.tests.conftest import make_user

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("documents:upload")
QUARANTINE_URL = reverse("documents:quarantine")


def pdf_upload(name: str = "F2024-017.pdf", content: bytes | None = None):
    content = samples.invoice_pdf() if content is None else content
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def quarantined(filename: str = "letter.pdf") -> Document:
    document = receive_file(samples.NOT_A_PDF, filename, channel=Channel.UPLOAD)
    read_document.call(document.pk)
    document.refresh_from_db()
    return document


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("url", [UPLOAD_URL, QUARANTINE_URL])
def test_intake_pages_send_anonymous_users_to_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [UPLOAD_URL, QUARANTINE_URL])
@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.AUDITOR, Role.APPROVER])
def test_intake_pages_are_not_found_for_other_roles(client, url, role):
    client.force_login(make_user("someone", role))

    response = client.get(url)

    assert response.status_code == 404


@pytest.mark.parametrize("url", [UPLOAD_URL, QUARANTINE_URL])
@pytest.mark.parametrize("role", [Role.AP_CLERK, Role.CONTROLLER, Role.ADMINISTRATOR])
def test_intake_pages_open_for_intake_roles(client, url, role):
    client.force_login(make_user("someone", role))

    response = client.get(url)

    assert response.status_code == 200


def test_upload_page_has_drop_zone_and_file_input(client, clerk):
    client.force_login(clerk)

    response = client.get(UPLOAD_URL)

    html = response.content.decode()
    assert "data-drop-zone" in html
    assert 'type="file" name="files"' in html
    assert " multiple" in html
    assert "documents/upload.js" in html


def test_upload_of_several_files_receives_each(client, clerk):
    client.force_login(clerk)

    response = client.post(
        UPLOAD_URL,
        {"files": [pdf_upload(), SimpleUploadedFile("ubl.xml", samples.ubl_invoice())]},
        follow=True,
    )

    documents = Document.objects.order_by("filename")
    assert response.redirect_chain == [(UPLOAD_URL, 302)]
    assert [document.filename for document in documents] == ["F2024-017.pdf", "ubl.xml"]
    assert {document.channel for document in documents} == {Channel.UPLOAD}
    assert {document.received_by for document in documents} == {clerk}
    assert messages_of(response) == ["2 documents received: F2024-017.pdf, ubl.xml."]


def test_upload_of_known_file_says_so(client, clerk):
    client.force_login(clerk)
    client.post(UPLOAD_URL, {"files": [pdf_upload()]}, follow=True)

    response = client.post(UPLOAD_URL, {"files": [pdf_upload("copy.pdf")]}, follow=True)

    assert Document.objects.count() == 1
    assert messages_of(response) == [
        "Received before, so not added again: F2024-017.pdf."
    ]


def test_upload_of_empty_file_is_taken_in(client, clerk):
    client.force_login(clerk)

    client.post(UPLOAD_URL, {"files": [pdf_upload("empty.pdf", b"")]})

    assert Document.objects.get().stored_file.size == 0


def test_upload_without_files_shows_error(client, clerk):
    client.force_login(clerk)

    response = client.post(UPLOAD_URL, {})

    assert response.status_code == 200
    assert response.context["form"].errors == {"files": ["This field is required."]}


def test_upload_of_too_large_file_is_rejected(client, clerk, settings):
    settings.FIAT_MAX_DOCUMENT_BYTES = 100
    client.force_login(clerk)

    response = client.post(UPLOAD_URL, {"files": [pdf_upload()]})

    assert response.context["form"].errors == {
        "files": ["These files are larger than 100\xa0bytes: F2024-017.pdf."]
    }
    assert Document.objects.count() == 0


def test_quarantine_lists_reason_and_downloads(client, clerk):
    document = quarantined()
    receive_file(samples.invoice_pdf(), "fine.pdf", channel=Channel.UPLOAD)
    client.force_login(clerk)

    response = client.get(QUARANTINE_URL)

    html = response.content.decode()
    assert list(response.context["page"].object_list) == [document]
    assert "Not a readable PDF" in html
    assert "The file is named .pdf but is not a PDF." in html
    assert reverse("documents:original", args=[document.pk]) in html
    assert reverse("documents:retry", args=[document.pk]) in html


def test_quarantine_offers_mail_of_an_attachment(client, clerk):
    raw = samples.mail(("letter.pdf", samples.NOT_A_PDF, "application/pdf"))
    document = receive_mail(raw).received[0].document
    read_document.call(document.pk)
    client.force_login(clerk)

    response = client.get(QUARANTINE_URL)

    url = reverse("documents:message-original", args=[document.message.pk])
    assert url in response.content.decode()


def test_retry_button_sends_document_to_be_read_again(
    client, clerk, immediate_tasks, on_commit
):
    document = quarantined()
    client.force_login(clerk)

    with on_commit():
        response = client.post(
            reverse("documents:retry", args=[document.pk]), follow=True
        )

    document.refresh_from_db()
    assert response.redirect_chain == [(QUARANTINE_URL, 302)]
    assert messages_of(response) == ["letter.pdf will be read again."]
    assert document.attempts == 2
    assert document.status == DocumentStatus.QUARANTINED


def test_retry_of_read_document_changes_nothing(client, clerk):
    document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.UPLOAD)
    read_document.call(document.pk)
    client.force_login(clerk)

    response = client.post(reverse("documents:retry", args=[document.pk]), follow=True)

    document.refresh_from_db()
    assert document.status == DocumentStatus.READ
    assert messages_of(response) == ["f.pdf is not in quarantine; nothing to retry."]


def test_retry_needs_post(client, clerk):
    document = quarantined()
    client.force_login(clerk)

    response = client.get(reverse("documents:retry", args=[document.pk]))

    assert response.status_code == 405


def test_retry_is_not_found_for_other_roles(client, employee):
    document = quarantined()
    client.force_login(employee)

    response = client.post(reverse("documents:retry", args=[document.pk]))

    document.refresh_from_db()
    assert response.status_code == 404
    assert document.status == DocumentStatus.QUARANTINED


def test_original_downloads_with_its_name(client, auditor):
    document = receive_file(samples.invoice_pdf(), "F2024-017.pdf", channel=Channel.API)
    client.force_login(auditor)

    response = client.get(reverse("documents:original", args=[document.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="F2024-017.pdf"'
    assert b"".join(response.streaming_content) == samples.invoice_pdf()


def test_original_pdf_can_be_shown_inline(client, clerk):
    document = receive_file(samples.invoice_pdf(), "F2024-017.pdf", channel=Channel.API)
    client.force_login(clerk)

    response = client.get(
        reverse("documents:original", args=[document.pk]), {"inline": "1"}
    )

    assert response["Content-Disposition"] == 'inline; filename="F2024-017.pdf"'


def test_original_xml_is_always_downloaded(client, clerk):
    document = receive_file(samples.ubl_invoice(), "ubl.xml", channel=Channel.API)
    client.force_login(clerk)

    response = client.get(
        reverse("documents:original", args=[document.pk]), {"inline": "1"}
    )

    assert response["Content-Disposition"] == 'attachment; filename="ubl.xml"'


def test_original_is_not_found_for_other_roles(client, employee):
    document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.API)
    client.force_login(employee)

    response = client.get(reverse("documents:original", args=[document.pk]))

    assert response.status_code == 404


def test_page_image_is_a_png(client, auditor):
    document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.API)
    client.force_login(auditor)

    response = client.get(reverse("documents:page-image", args=[document.pk, 1]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


def test_page_image_beyond_last_page_is_not_found(client, clerk):
    document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.API)
    client.force_login(clerk)

    response = client.get(reverse("documents:page-image", args=[document.pk, 2]))

    assert response.status_code == 404


def test_page_image_is_not_found_for_other_roles(client, employee):
    document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.API)
    client.force_login(employee)

    response = client.get(reverse("documents:page-image", args=[document.pk, 1]))

    assert response.status_code == 404


def test_mail_downloads_as_eml(client, clerk):
    raw = samples.mail(("f.pdf", samples.invoice_pdf(), "application/pdf"))
    message = receive_mail(raw).message
    client.force_login(clerk)

    response = client.get(reverse("documents:message-original", args=[message.pk]))

    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"] == (
        f'attachment; filename="mail-{message.pk}.eml"'
    )
    assert b"".join(response.streaming_content) == raw


def test_mail_is_not_found_for_other_roles(client, employee):
    raw = samples.mail(("f.pdf", samples.invoice_pdf(), "application/pdf"))
    message = receive_mail(raw).message
    client.force_login(employee)

    response = client.get(reverse("documents:message-original", args=[message.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("url", "heading"),
    [(UPLOAD_URL, "Documenten uploaden"), (QUARANTINE_URL, "Quarantaine")],
)
def test_intake_pages_speak_dutch(client, url, heading):
    user = make_user("klerk", Role.AP_CLERK)
    user.language = "nl"
    user.save(update_fields=["language"])
    client.force_login(user)

    response = client.get(url)

    assert f"<h1>{heading}</h1>" in response.content.decode()
