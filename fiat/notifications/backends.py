"""Mail backends."""

from django.core.mail.backends.locmem import EmailBackend as OutboxBackend

__all__ = ["OutboxBackend"]
