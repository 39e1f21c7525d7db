"""System checks for the mail settings, so a typo shows at start-up."""

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from fiat.notifications.delivery import configured_delivery


@register()
def check_mail_delivery(app_configs, **kwargs) -> list[Error]:
    try:
        configured_delivery()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="notifications.E001")]
    return []
