"""Quarantine page: a translated explanation and the technical detail."""

import html

import pytest
from django.urls import reverse
from django.utils import translation

from fiat.core.models import Role
from fiat.documents import lifecycle
from fiat.documents.intake import receive_file
from fiat.documents.models import QUARANTINE_REASONS, Channel, Document
from fiat.documents.reading import read_document
from fiat.documents.reasons import QUARANTINE_EXPLANATIONS
from fiat.documents.tests import samples
from fiat.documents.tests.conftest import make_user

pytestmark = pytest.mark.django_db

QUARANTINE_URL = reverse("documents:quarantine")

NOT_A_PDF_DUTCH = (
    "Het bestand is geen leesbare PDF: het is beschadigd, onvolledig of van een "
    "ander type. Vraag de afzender om een nieuw exemplaar van het document."
)
NOT_A_PDF_ENGLISH = (
    "The file is not a readable PDF: it is damaged, incomplete or of another "
    "type. Ask the sender for a new copy of the document."
)
UNSAFE_XML_DUTCH = (
    "Het XML-bestand bevat een documenttypedeclaratie (DTD). E-facturen hebben "
    "die nooit nodig en ze kan worden gebruikt om de server aan te vallen, dus "
    "Fiat heeft het bestand niet gelezen. Vraag de leverancier om een gewone "
    "UBL- of CII-e-factuur."
)
UNSAFE_XML_ENGLISH = (
    "The XML file contains a document type declaration (DTD). E-invoices never "
    "need one, and it can be used to attack the server, so Fiat did not read "
    "the file. Ask the supplier to send a plain UBL or CII e-invoice."
)


def quarantined(content: bytes, filename: str) -> Document:
    document = receive_file(content, filename, channel=Channel.UPLOAD)
    read_document.call(document.pk)
    document.refresh_from_db()
    return document


def page_as(client, language: str) -> str:
    user = make_user("klerk", Role.AP_CLERK)
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    response = client.get(QUARANTINE_URL)
    return html.unescape(response.content.decode())


def test_quarantine_explains_in_dutch(client):
    quarantined(samples.NOT_A_PDF, "letter.pdf")
    quarantined(samples.BILLION_LAUGHS, "laughs.xml")

    page = page_as(client, "nl")

    assert NOT_A_PDF_DUTCH in page
    assert UNSAFE_XML_DUTCH in page
    assert NOT_A_PDF_ENGLISH not in page
    assert UNSAFE_XML_ENGLISH not in page


def test_quarantine_explains_in_english(client):
    quarantined(samples.NOT_A_PDF, "letter.pdf")
    quarantined(samples.BILLION_LAUGHS, "laughs.xml")

    page = page_as(client, "en")

    assert NOT_A_PDF_ENGLISH in page
    assert UNSAFE_XML_ENGLISH in page


def test_quarantine_keeps_technical_detail(client):
    document = quarantined(samples.NOT_A_PDF, "letter.pdf")

    page = page_as(client, "nl")

    assert "<summary>Technische details</summary>" in page
    assert document.error_message.startswith("The file is named .pdf but is not")
    detail = f'<p class="document-detail">{document.error_message}</p></details>'
    assert detail in page


def test_quarantine_shows_message_of_unknown_code(client):
    document = receive_file(samples.NOT_A_PDF, "odd.pdf", channel=Channel.UPLOAD)
    lifecycle.quarantine(document, "new_reason", "Something new went wrong.")

    page = page_as(client, "nl")

    assert "Kon niet worden gelezen" in page
    assert "Something new went wrong." in page
    assert "<summary>" not in page


def test_every_quarantine_reason_is_explained():
    assert set(QUARANTINE_EXPLANATIONS) == set(QUARANTINE_REASONS)


@pytest.mark.parametrize("code", sorted(QUARANTINE_EXPLANATIONS))
def test_explanation_has_dutch_translation(code):
    explanation = QUARANTINE_EXPLANATIONS[code]

    with translation.override("en"):
        english = str(explanation)
    with translation.override("nl"):
        dutch = str(explanation)

    assert dutch != english
