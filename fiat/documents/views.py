"""Pages of the documents app: upload, quarantine, originals and page images.

Upload and quarantine are for the roles in ``INTAKE_ROLES``, and originals
and page images for those in ``DOCUMENT_VIEWERS``. Everyone else gets 404.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from fiat.documents.filetypes import IMAGE_TYPES, MAIL, PDF
from fiat.documents.forms import UploadForm
from fiat.documents.intake import Received, receive_any
from fiat.documents.models import (
    Channel,
    Document,
    DocumentStatus,
    InboundMessage,
)
from fiat.documents.pages import PageNotFoundError, page_image
from fiat.documents.permissions import (
    can_view_document,
    can_view_message,
    intake_role_required,
)
from fiat.documents.reading import retry_document
from fiat.documents.reasons import quarantine_explanation

logger = logging.getLogger(__name__)

DOCUMENTS_PER_PAGE = 50
RECENT_DOCUMENTS = 20
# Types a browser may show inline instead of downloading. Anything else
# could be HTML or SVG that runs script in Fiat's origin.
INLINE_TYPES = frozenset({PDF}) | (IMAGE_TYPES - {"image/heic"})


@intake_role_required
def upload(request: HttpRequest) -> HttpResponse:
    is_post = request.method == "POST"
    form = UploadForm(request.POST, request.FILES) if is_post else UploadForm()
    if is_post and form.is_valid():
        received = receive_uploads(form.cleaned_data["files"], request)
        _report_uploads(request, received)
        return redirect("documents:upload")
    recent = Document.objects.select_related("stored_file").order_by(
        "-created_at", "-pk"
    )[:RECENT_DOCUMENTS]
    context = {
        "form": form,
        "recent": recent,
        "quarantined_count": Document.objects.filter(
            status=DocumentStatus.QUARANTINED
        ).count(),
    }
    return render(request, "documents/upload.html", context)


def receive_uploads(files: list[UploadedFile], request: HttpRequest) -> list[Received]:
    received = []
    for file in files:
        received += receive_any(
            file.read(), file.name, channel=Channel.UPLOAD, received_by=request.user
        )
    return received


def _report_uploads(request: HttpRequest, received: list[Received]) -> None:
    new = [item.document.filename for item in received if item.created]
    known = [item.document.filename for item in received if not item.created]
    if new:
        messages.success(
            request,
            ngettext(
                "%(count)d document received: %(names)s.",
                "%(count)d documents received: %(names)s.",
                len(new),
            )
            % {"count": len(new), "names": ", ".join(new)},
        )
    if known:
        messages.info(
            request,
            gettext("Received before, so not added again: %(names)s.")
            % {"names": ", ".join(known)},
        )


@intake_role_required
def quarantine(request: HttpRequest) -> HttpResponse:
    documents = (
        Document.objects.filter(status=DocumentStatus.QUARANTINED)
        .select_related("stored_file", "message")
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(documents, DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        (document, quarantine_explanation(document.error_code)) for document in page
    ]
    return render(request, "documents/quarantine.html", {"page": page, "rows": rows})


@require_POST
@intake_role_required
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    if document.status != DocumentStatus.QUARANTINED:
        messages.info(
            request,
            gettext("%(name)s is not in quarantine; nothing to retry.")
            % {"name": document.filename},
        )
        return redirect("documents:quarantine")
    retry_document(document, actor=request.user)
    messages.success(
        request,
        gettext("%(name)s will be read again.") % {"name": document.filename},
    )
    return redirect("documents:quarantine")


def _viewable_document(request: HttpRequest, pk: int) -> Document:
    document = get_object_or_404(Document.objects.select_related("stored_file"), pk=pk)
    if not can_view_document(request.user, document):
        raise Http404("No such document.")
    return document


@login_required
def original(request: HttpRequest, pk: int) -> FileResponse:
    """Send the original file, or with ``?inline=1`` show a PDF or image."""
    document = _viewable_document(request, pk)
    stored = document.stored_file
    inline = request.GET.get("inline") == "1" and stored.content_type in INLINE_TYPES
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=not inline,
        filename=document.filename,
        content_type=stored.content_type,
    )


@login_required
def page(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    document = _viewable_document(request, pk)
    try:
        png = page_image(document, number)
    except PageNotFoundError as error:
        raise Http404(str(error)) from error
    response = HttpResponse(png, content_type="image/png")
    # The image of a stored file never changes, so the browser may keep it.
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
def message_original(request: HttpRequest, pk: int) -> FileResponse:
    """Send a received mail as .eml."""
    message = get_object_or_404(
        InboundMessage.objects.select_related("raw_file"), pk=pk
    )
    if not can_view_message(request.user, message):
        raise Http404("No such mail.")
    return FileResponse(
        message.raw_file.file.open("rb"),
        as_attachment=True,
        filename=f"mail-{message.pk}.eml",
        content_type=MAIL,
    )
