"""Access rules for purchase invoices and purchase orders, by role.

Users without a role that covers purchase invoices get 404 instead of 403,
so the pages do not reveal which invoices exist. Auditors see everything
but change nothing.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext

from fiat.core.models import Role, User

# Roles that see purchase invoices, their checks and their documents.
INVOICE_VIEWERS = (
    Role.AP_CLERK,
    Role.CONTROLLER,
    Role.DIRECTOR,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
)
# Roles that correct, code and submit invoices, create suppliers from them,
# handle IBAN changes and enter purchase orders.
INVOICE_EDITORS = (
    Role.AP_CLERK,
    Role.CONTROLLER,
    Role.DIRECTOR,
    Role.ADMINISTRATOR,
)


def can_view_invoices(user: User) -> bool:
    return user.is_authenticated and user.has_role(*INVOICE_VIEWERS)


def can_edit_invoices(user: User) -> bool:
    return user.is_authenticated and user.has_role(*INVOICE_EDITORS)


def invoice_viewer_required(view: Callable) -> Callable:
    """Decorate a view for INVOICE_VIEWERS; other signed-in users get 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_view_invoices(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


def require_editor(user: User) -> None:
    """Raise PermissionDenied for a viewer who may not change invoices."""
    if not can_edit_invoices(user):
        raise PermissionDenied(
            gettext("Your roles let you read purchase invoices, not change them.")
        )
