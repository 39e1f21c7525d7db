"""Fiat: invoice and expense automation for Dutch and EU companies."""
