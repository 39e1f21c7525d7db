"""Connectors that turn a deal won in a CRM into a sales invoice."""
