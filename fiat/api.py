"""The JSON API at /api/v1, with its OpenAPI 3.1 document and docs page.

A request authenticates with a bearer token (``Authorization: Bearer
fiat_...``, made with ``fiat token create``) or, from a signed-in browser,
with the Django session cookie. Every endpoint needs one of the two, and
only the docs page and the OpenAPI document are public. Every error body
has the shape of ``fiat.core.schemas.ErrorOut``: a machine ``code``, a
``message`` for people, and the ``field`` it is about.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from fiat.core.api import router as core_router
from fiat.core.models import User
from fiat.core.schemas import (
    ApiError,
    CsrfFailedError,
    ErrorCode,
    ErrorOut,
    FieldErrorOut,
)
from fiat.core.tokens import authenticate_token


class TokenAuth(HttpBearer):
    """An API token in the ``Authorization: Bearer`` header."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = authenticate_token(token)
        if user is None:
            return None
        # Endpoint code reads request.user whichever way the user signed
        # in, and messages follow the user's language as on the pages.
        request.user = user
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
        return user


class SessionAuth(NinjaSessionAuth):
    """The Django session of a signed-in browser.

    The session auth of django-ninja 1.7.1 runs Django's CSRF check before it
    looks at the user, so a client without cookies that sends a wrong token
    in a POST gets a CSRF error instead of 401. This one checks CSRF only for
    a signed-in user, and then for every unsafe method (Django's check lets
    GET, HEAD, OPTIONS and TRACE through).
    """

    def __call__(self, request: HttpRequest) -> User | None:
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise CsrfFailedError(
                _(
                    "CSRF verification failed. Send the value of the csrftoken "
                    "cookie in the X-CSRFToken header."
                )
            )
        return request.user


api = NinjaAPI(
    title="Fiat API",
    version="1",
    description=(
        "Invoices, expenses and the data around them. Authenticate with "
        "`Authorization: Bearer <token>`. Create a token with "
        "`fiat token create USERNAME --name NAME`."
    ),
    docs_url="/docs",
    # By default Swagger UI shows a badge loaded from validator.swagger.io,
    # which sends the OpenAPI document's address to that outside host.
    docs=Swagger(settings={"validatorUrl": None}),
    auth=[TokenAuth(), SessionAuth()],
)
api.add_router("/", core_router)


def error_response(request: HttpRequest, status: int, error: ErrorOut) -> HttpResponse:
    """Render ``error`` as the JSON body of a ``status`` response."""
    return api.create_response(request, error.model_dump(mode="json"), status=status)


@api.exception_handler(ApiError)
def handle_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    error = ErrorOut(code=exc.code, message=exc.message, field=exc.field)
    return error_response(request, exc.status, error)


@api.exception_handler(AuthenticationError)
def handle_authentication_error(
    request: HttpRequest, exc: AuthenticationError
) -> HttpResponse:
    message = _(
        "Authentication failed. Send a valid API token in the header "
        "'Authorization: Bearer <token>', or sign in."
    )
    error = ErrorOut(code=ErrorCode.NOT_AUTHENTICATED, message=message)
    response = error_response(request, 401, error)
    response["WWW-Authenticate"] = 'Bearer realm="fiat"'
    return response


@api.exception_handler(PermissionDenied)
def handle_permission_denied(
    request: HttpRequest, exc: PermissionDenied
) -> HttpResponse:
    message = str(exc) or _("You do not have permission to do this.")
    error = ErrorOut(code=ErrorCode.PERMISSION_DENIED, message=message)
    return error_response(request, 403, error)


@api.exception_handler(Http404)
def handle_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    message = _("%(path)s was not found.") % {"path": request.path}
    error = ErrorOut(code=ErrorCode.NOT_FOUND, message=message)
    return error_response(request, 404, error)


@csrf_exempt
def unknown_path(request: HttpRequest) -> HttpResponse:
    """Return the API's JSON 404 for a path under /api/v1 that no endpoint has.

    CSRF-exempt like the endpoints, so a POST gets this 404 and not Django's
    HTML page for a failed CSRF check.
    """
    return handle_not_found(request, Http404())


STATUS_CODES = {
    400: ErrorCode.BAD_REQUEST,
    403: ErrorCode.PERMISSION_DENIED,
    404: ErrorCode.NOT_FOUND,
}


@api.exception_handler(HttpError)
def handle_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = STATUS_CODES.get(exc.status_code, ErrorCode.ERROR)
    error = ErrorOut(code=code, message=str(exc))
    return error_response(request, exc.status_code, error)


@api.exception_handler(ValidationError)
def handle_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [_field_error(detail) for detail in exc.errors]
    first = errors[0]
    error = ErrorOut(
        code=ErrorCode.INVALID,
        message=f"{first.field}: {first.message}" if first.field else first.message,
        field=first.field,
        errors=errors,
    )
    return error_response(request, 422, error)


def _field_error(detail: dict) -> FieldErrorOut:
    # ninja puts where the value came from first in ``loc``: ("query",
    # "limit"), or ("body", <parameter>, <field>...) for a JSON body.
    location = [str(part) for part in detail.get("loc", ())]
    source_length = 2 if location[:1] == ["body"] else 1
    return FieldErrorOut(
        code=detail.get("type", "invalid"),
        message=detail.get("msg", ""),
        field=".".join(location[source_length:]) or None,
    )


api.add_router("/documents", "fiat.documents.api.router")
api.add_router("/", "fiat.payables.api.router")
api.add_router("/approvals", "fiat.approvals.api.router")
api.add_router("/", "fiat.receivables.api.router")
