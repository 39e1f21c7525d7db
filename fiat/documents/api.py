"""JSON endpoints of the documents app: upload documents and follow them.

``POST /api/v1/documents`` takes one or more files as multipart form data
in the field ``files``, stores them and queues them to be read. The same
file sent again returns the document made the first time, with
``created`` false. Uploading needs one of the roles in ``INTAKE_ROLES``,
reading a document one of ``DOCUMENT_VIEWERS``.
"""

from datetime import datetime
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from fiat.core.api import require_role
from fiat.core.schemas import InvalidInputError, NotFoundError, error_responses
from fiat.documents.intake import Received, max_document_bytes, receive_any
from fiat.documents.models import Channel, Document, DocumentStatus, ReadSource
from fiat.documents.permissions import (
    DOCUMENT_VIEWERS,
    INTAKE_ROLES,
    can_view_document,
)

router = Router(tags=["documents"])


class DocumentOut(Schema):
    id: int
    filename: str = Field(description="The file name as received.")
    status: DocumentStatus
    channel: Channel
    sha256: str = Field(description="SHA-256 of the original, in hex.")
    size: int = Field(description="Size of the original in bytes.")
    content_type: str = Field(description="The type sniffed from the bytes.")
    source: ReadSource | None = Field(
        description="Which reader found the fields, once read."
    )
    page_count: int | None
    error_code: str | None = Field(
        description="Why the document is in quarantine, such as `not_a_pdf`."
    )
    error_message: str | None
    created_at: datetime

    @staticmethod
    def from_document(document: Document) -> "DocumentOut":
        stored = document.stored_file
        return DocumentOut(
            id=document.pk,
            filename=document.filename,
            status=document.status,
            channel=document.channel,
            sha256=stored.sha256,
            size=stored.size,
            content_type=stored.content_type,
            source=document.source or None,
            page_count=document.page_count,
            error_code=document.error_code or None,
            error_message=document.error_message or None,
            created_at=document.created_at,
        )


class ReceivedOut(Schema):
    created: bool = Field(
        description="False when the same file had been received before."
    )
    document: DocumentOut


class UploadOut(Schema):
    items: list[ReceivedOut]


class DocumentDetailOut(DocumentOut):
    extraction: dict[str, Any] | None = Field(
        description="What was read, in the shape of `fiat extract --json`."
    )


@router.post(
    "",
    response={201: UploadOut, **error_responses(401, 403, 422)},
)
def upload_documents(request, files: File[list[UploadedFile]]) -> Status:
    """Upload supplier invoices: PDF, images, UBL or CII XML, or saved mail.

    A saved mail (.eml) becomes one document per usable attachment.
    """
    require_role(request.auth, *INTAKE_ROLES)
    _check_sizes(files)
    received: list[Received] = []
    for file in files:
        received += receive_any(
            file.read(), file.name, channel=Channel.API, received_by=request.auth
        )
    items = [
        ReceivedOut(
            created=item.created, document=DocumentOut.from_document(item.document)
        )
        for item in received
    ]
    return Status(201, UploadOut(items=items))


def _check_sizes(files: list[UploadedFile]) -> None:
    limit = max_document_bytes()
    for file in files:
        if file.size > limit:
            raise InvalidInputError(
                _("%(name)s is larger than %(limit)s.")
                % {"name": file.name, "limit": filesizeformat(limit)},
                field="files",
            )


@router.get(
    "/{document_id}",
    response={200: DocumentDetailOut, **error_responses(401, 403, 404)},
)
def get_document(request, document_id: int) -> DocumentDetailOut:
    """Return a document with its status and, once read, what was read."""
    require_role(request.auth, *DOCUMENT_VIEWERS)
    document = (
        Document.objects.select_related("stored_file").filter(pk=document_id).first()
    )
    if document is None or not can_view_document(request.auth, document):
        raise NotFoundError(_("No document has id %(id)s.") % {"id": document_id})
    summary = DocumentOut.from_document(document)
    return DocumentDetailOut(**summary.model_dump(), extraction=document.extraction)
