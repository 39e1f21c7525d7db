"""Middleware that speaks to each signed-in user in their own language."""

from django.utils import translation


class UserLanguageMiddleware:
    """Activate the signed-in user's language over the browser's preference.

    Runs after ``LocaleMiddleware`` and ``AuthenticationMiddleware``: the
    browser's Accept-Language decides only for visitors who are not signed in.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
