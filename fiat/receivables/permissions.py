"""Access rules for sales invoices, by role.

Users without a role that covers sales invoices get 404 instead of 403, so
the pages do not reveal which invoices exist. Auditors see everything but
change nothing.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from fiat.core.models import Role, User

SALES_VIEWERS = (Role.CONTROLLER, Role.DIRECTOR, Role.ADMINISTRATOR, Role.AUDITOR)
SALES_EDITORS = (Role.CONTROLLER, Role.DIRECTOR, Role.ADMINISTRATOR)


def can_view_sales(user: User) -> bool:
    return user.is_authenticated and user.has_role(*SALES_VIEWERS)


def can_edit_sales(user: User) -> bool:
    return user.is_authenticated and user.has_role(*SALES_EDITORS)


def sales_viewer_required(view: Callable) -> Callable:
    """Decorate a view for SALES_VIEWERS; other signed-in users get 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_view_sales(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


def require_editor(user: User) -> None:
    """Raise PermissionDenied for a viewer who may not change invoices."""
    if not can_edit_sales(user):
        raise PermissionDenied("Your role may read sales invoices but not change them.")
