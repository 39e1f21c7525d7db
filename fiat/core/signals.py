"""Signal handlers of the core app."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation


@receiver(user_logged_in)
def remember_user_language(sender, request, user, **kwargs) -> None:
    """Switch the interface to the language chosen in the user's profile."""
    translation.activate(user.language)
    request.LANGUAGE_CODE = user.language
