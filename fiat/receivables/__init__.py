"""Sales invoices and credit notes: drafting, release, rendering, sending."""
