"""E-invoices of sales invoices: CII (Factur-X) and UBL (Peppol, NLCIUS)."""
