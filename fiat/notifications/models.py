"""Recorded outgoing mail."""
