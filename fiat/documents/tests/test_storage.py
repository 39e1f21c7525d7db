"""Originals are stored once per SHA-256 digest, before anything reads them."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from fiat.documents.models import StoredFile
from fiat.documents.storage import local_copy, storage_name, store_file
from fiat.documents.tests import samples

pytestmark = pytest.mark.django_db


def test_file_is_stored_under_its_digest():
    content = samples.invoice_pdf()
    sha256 = hashlib.sha256(content).hexdigest()

    stored, created = store_file(content)

    assert created
    assert stored.sha256 == sha256
    assert stored.file.name == f"originals/{sha256[:2]}/{sha256}"
    assert stored.size == len(content)
    assert stored.read_bytes() == content


def test_content_type_is_sniffed_from_bytes():
    stored, _ = store_file(samples.ubl_invoice())

    assert stored.content_type == "application/xml"


def test_same_bytes_are_stored_once():
    first, _ = store_file(samples.invoice_pdf())

    second, created = store_file(samples.invoice_pdf())

    assert not created
    assert second.pk == first.pk
    assert StoredFile.objects.count() == 1


def test_file_left_without_row_is_adopted():
    content = samples.invoice_pdf()
    name = storage_name(hashlib.sha256(content).hexdigest())
    default_storage.save(name, ContentFile(content))

    stored, created = store_file(content)

    assert created
    assert stored.file.name == name
    assert default_storage.listdir(name.rsplit("/", 1)[0])[1] == [
        name.rsplit("/", 1)[1]
    ]


def test_partial_file_is_replaced():
    content = samples.invoice_pdf()
    name = storage_name(hashlib.sha256(content).hexdigest())
    default_storage.save(name, ContentFile(content[:100]))

    stored, _ = store_file(content)

    assert stored.read_bytes() == content


def test_local_copy_is_the_stored_file():
    stored, _ = store_file(samples.invoice_pdf())

    with local_copy(stored) as path:
        assert path.read_bytes() == samples.invoice_pdf()
