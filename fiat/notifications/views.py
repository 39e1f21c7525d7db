"""Outbox pages: the recorded mail, readable in the browser.

The pages exist only when FIAT_OUTBOX_PAGE is on. Otherwise every URL here
returns 404. Administrators see all mail, other users only mail addressed to
their own e-mail address, and a mail they may not see is a 404 as well.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from fiat.notifications.models import MailAttachment
from fiat.notifications.outbox import mails_visible_to

MAILS_PER_PAGE = 50


def outbox_page_required(view):
    """Raise 404 unless FIAT_OUTBOX_PAGE is on, before asking for a login."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.FIAT_OUTBOX_PAGE:
            raise Http404("The outbox page is off (FIAT_OUTBOX_PAGE).")
        return view(request, *args, **kwargs)

    return wrapper


@outbox_page_required
@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    mails = mails_visible_to(request.user).only("to", "subject", "status", "created_at")
    page = Paginator(mails, MAILS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/outbox.html", {"page": page})


@outbox_page_required
@login_required
def outbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mail = get_object_or_404(mails_visible_to(request.user), pk=pk)
    context = {
        "mail": mail,
        "attachment_files": mail.attachment_files.all(),
        # Links in the mail open in a new tab instead of inside the frame.
        "html_document": '<base target="_blank">' + mail.body_html,
    }
    return render(request, "notifications/outbox_detail.html", context)


@outbox_page_required
@login_required
def outbox_attachment(request: HttpRequest, pk: int, position: int) -> FileResponse:
    mail = get_object_or_404(mails_visible_to(request.user), pk=pk)
    attachment = get_object_or_404(MailAttachment, mail=mail, position=position)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
