"""Who may read the journal: finance roles and the auditor.

The web pages only show entries. Entries are posted and reversed by the
functions in ``fiat.ledger.posting``. Signed-in users without a ledger role
get 404, as on the payables pages, so the pages do not reveal which entries
exist.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from fiat.core.models import Role, User

LEDGER_VIEWERS = (
    Role.AP_CLERK,
    Role.CONTROLLER,
    Role.DIRECTOR,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
)


def can_view_ledger(user: User) -> bool:
    return user.is_authenticated and user.has_role(*LEDGER_VIEWERS)


def ledger_viewer_required(view: Callable) -> Callable:
    """Decorate a view for LEDGER_VIEWERS; other signed-in users get 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_view_ledger(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper
