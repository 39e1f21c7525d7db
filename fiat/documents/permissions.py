"""Access rules for documents and the intake pages.

Documents are purchase documents: supplier invoices and what came with
them. Users without a role that covers them get 404 instead of 403, so the
pages do not reveal which documents exist.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from fiat.core.models import Role, User
from fiat.documents.models import Document, InboundMessage

# Roles that see purchase documents, their pages and originals.
DOCUMENT_VIEWERS = (
    Role.AP_CLERK,
    Role.CONTROLLER,
    Role.DIRECTOR,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
)
# Roles that upload documents and handle the quarantine.
INTAKE_ROLES = (Role.AP_CLERK, Role.CONTROLLER, Role.ADMINISTRATOR)


def can_view_document(user: User, document: Document) -> bool:
    """Tell whether ``user`` may see ``document``, its pages and its original."""
    return user.is_authenticated and user.has_role(*DOCUMENT_VIEWERS)


def can_view_message(user: User, message: InboundMessage) -> bool:
    """Tell whether ``user`` may download a received mail as .eml."""
    return user.is_authenticated and user.has_role(*DOCUMENT_VIEWERS)


def can_handle_intake(user: User) -> bool:
    """Tell whether ``user`` may upload documents and retry quarantined ones."""
    return user.is_authenticated and user.has_role(*INTAKE_ROLES)


def intake_role_required(view: Callable) -> Callable:
    """Decorate a view for INTAKE_ROLES. Other signed-in users get 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_handle_intake(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper
