"""Audit events and seals."""
