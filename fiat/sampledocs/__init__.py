"""Supplier invoices that Fiat generates for the demo company and the tests.

The same invoice model is written as a Peppol BIS Billing 3.0 UBL document
(``ubl``), as EN 16931 CII XML (``cii``), as a PDF with a text layer, a
Factur-X PDF/A-3 or an image-only scan (``pdf``). ``catalogue`` assembles the
demo set with the values a reader must find in each file.
"""
