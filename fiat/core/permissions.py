"""Access to pages by role.

A page names the roles that may open it. A visitor who is not signed in is
sent to the login page and comes back afterwards. A signed-in user without
any of the roles gets the 403 page, which names the roles the page needs.
Superusers pass every check, as ``User.has_role`` grants them every role.
"""

from collections.abc import Callable, Sequence
from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.translation import gettext

from fiat.core.models import Role


def missing_role_message(roles: Sequence[Role]) -> str:
    """Return the translated reason shown on the 403 page."""
    labels = ", ".join(str(Role(role).label) for role in roles)
    return gettext("This page is for these roles: %(roles)s.") % {"roles": labels}


def role_required(*roles: Role) -> Callable:
    """Decorate a view so that only users holding one of ``roles`` open it."""
    if not roles:
        raise ImproperlyConfigured("role_required() needs at least one role.")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_role(*roles):
                raise PermissionDenied(missing_role_message(roles))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class RoleRequiredMixin(AccessMixin):
    """Admit only users holding one of ``required_roles`` to a class-based view."""

    required_roles: Sequence[Role] = ()

    def dispatch(self, request, *args, **kwargs):
        if not self.required_roles:
            raise ImproperlyConfigured(
                f"{type(self).__name__} sets no required_roles. Name at least one role."
            )
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_role(*self.required_roles):
            raise PermissionDenied(missing_role_message(self.required_roles))
        return super().dispatch(request, *args, **kwargs)
