"""The page shown when a form fails Django's CSRF check.

A form fails the check when its token no longer matches the session, most
often because the user signed in or out in another tab after the page was
loaded. The page says so in plain words and links back to where the user
came from, but only when that was a page of this site (the Referer header
names a host that ``ALLOWED_HOSTS`` accepts); otherwise it links home.
"""

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

logger = logging.getLogger(__name__)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Render the "form expired" page with status 403; Django's CSRF_FAILURE_VIEW."""
    logger.warning(
        "CSRF check failed on %s: %s",
        request.path,
        reason,
        extra={"path": request.path},
    )
    context = {"back_url": back_url(request)}
    return render(request, "csrf_failure.html", context, status=403)


def back_url(request: HttpRequest) -> str:
    """Return the Referer when it is a page of this site, else the home page."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return referer
    return reverse("home")
