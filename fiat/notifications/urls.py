"""Outbox pages."""

urlpatterns: list = []
