"""Write a sample invoice as a Peppol BIS Billing 3.0 UBL 2.1 document.

An invoice becomes a UBL ``Invoice`` and a credit note a UBL ``CreditNote``,
with the Peppol BIS 3.0 customization and profile identifiers. Each party
carries its Peppol electronic address (``EndpointID``), VAT number
(``PartyTaxScheme``) and legal registration (``PartyLegalEntity``, the KvK
number with scheme 0106). Payment is by SEPA credit transfer (payment means
code 58) to the supplier's IBAN. The UBL 2.1 schema fixes the order of the
child elements, so each builder below appends them in that order.
"""

from datetime import date
from decimal import Decimal

from lxml import etree

from fiat.sampledocs.model import (
    VAT_EXEMPTION_REASONS,
    InvoiceLine,
    Party,
    SupplierInvoice,
)

CUSTOMIZATION_ID = (
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
)
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
INVOICE_NAMESPACE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NAMESPACE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
SEPA_CREDIT_TRANSFER = "58"


def ubl_xml(invoice: SupplierInvoice) -> bytes:
    """Return the invoice as UTF-8 UBL 2.1 XML with an XML declaration."""
    root = _root(invoice)
    _header(root, invoice)
    _party(_sub(root, "cac:AccountingSupplierParty"), invoice.supplier)
    _party(_sub(root, "cac:AccountingCustomerParty"), invoice.customer)
    delivery = _sub(root, "cac:Delivery")
    _sub(delivery, "cbc:ActualDeliveryDate", _date(invoice.delivery_date))
    _payment(root, invoice)
    _tax_total(root, invoice)
    _monetary_total(root, invoice)
    for number, line in enumerate(invoice.lines, start=1):
        _line(root, invoice, number, line)
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def _root(invoice: SupplierInvoice) -> etree._Element:
    if invoice.is_credit_note:
        tag = f"{{{CREDIT_NOTE_NAMESPACE}}}CreditNote"
        nsmap = {None: CREDIT_NOTE_NAMESPACE, "cac": CAC, "cbc": CBC}
    else:
        tag = f"{{{INVOICE_NAMESPACE}}}Invoice"
        nsmap = {None: INVOICE_NAMESPACE, "cac": CAC, "cbc": CBC}
    return etree.Element(tag, nsmap=nsmap)


def _sub(
    parent: etree._Element, name: str, text: str | None = None, /, **attributes: str
) -> etree._Element:
    """Append child ``name`` ("cbc:ID") with optional text and attributes.

    ``name`` and ``text`` are positional-only, so an XML attribute may be
    called ``name``, as on ``PaymentMeansCode``.
    """
    prefix, local_name = name.split(":")
    namespace = CAC if prefix == "cac" else CBC
    element = etree.SubElement(parent, f"{{{namespace}}}{local_name}", attributes)
    if text is not None:
        element.text = text
    return element


def _amount(parent: etree._Element, name: str, value: Decimal, currency: str):
    return _sub(parent, name, format(value, "f"), currencyID=currency)


def _date(value: date) -> str:
    return value.isoformat()


def _header(root: etree._Element, invoice: SupplierInvoice) -> None:
    _sub(root, "cbc:CustomizationID", CUSTOMIZATION_ID)
    _sub(root, "cbc:ProfileID", PROFILE_ID)
    _sub(root, "cbc:ID", invoice.number)
    _sub(root, "cbc:IssueDate", _date(invoice.issue_date))
    if invoice.is_credit_note:
        _sub(root, "cbc:CreditNoteTypeCode", invoice.document_type.type_code)
    else:
        # A UBL CreditNote has no DueDate, so its due date goes into
        # PaymentMeans as Peppol BIS 3.0 prescribes.
        _sub(root, "cbc:DueDate", _date(invoice.due_date))
        _sub(root, "cbc:InvoiceTypeCode", invoice.document_type.type_code)
    if invoice.note:
        _sub(root, "cbc:Note", invoice.note)
    _sub(root, "cbc:DocumentCurrencyCode", invoice.currency)
    if invoice.buyer_reference:
        _sub(root, "cbc:BuyerReference", invoice.buyer_reference)
    if invoice.po_reference:
        order_reference = _sub(root, "cac:OrderReference")
        _sub(order_reference, "cbc:ID", invoice.po_reference)
    if invoice.preceding_invoice_number:
        billing_reference = _sub(root, "cac:BillingReference")
        document_reference = _sub(billing_reference, "cac:InvoiceDocumentReference")
        _sub(document_reference, "cbc:ID", invoice.preceding_invoice_number)


def _party(role: etree._Element, party: Party) -> None:
    element = _sub(role, "cac:Party")
    scheme, endpoint = party.endpoint
    _sub(element, "cbc:EndpointID", endpoint, schemeID=scheme)
    party_name = _sub(element, "cac:PartyName")
    _sub(party_name, "cbc:Name", party.name)
    _address(element, party)
    if party.vat_number:
        tax_scheme = _sub(element, "cac:PartyTaxScheme")
        _sub(tax_scheme, "cbc:CompanyID", party.vat_number)
        _sub(_sub(tax_scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    legal_entity = _sub(element, "cac:PartyLegalEntity")
    _sub(legal_entity, "cbc:RegistrationName", party.name)
    if party.coc_number:
        _sub(legal_entity, "cbc:CompanyID", party.coc_number, schemeID="0106")
    if party.email or party.phone:
        contact = _sub(element, "cac:Contact")
        if party.phone:
            _sub(contact, "cbc:Telephone", party.phone)
        if party.email:
            _sub(contact, "cbc:ElectronicMail", party.email)


def _address(party_element: etree._Element, party: Party) -> None:
    address = _sub(party_element, "cac:PostalAddress")
    _sub(address, "cbc:StreetName", party.address.street)
    _sub(address, "cbc:CityName", party.address.city)
    _sub(address, "cbc:PostalZone", party.address.postal_code)
    country = _sub(address, "cac:Country")
    _sub(country, "cbc:IdentificationCode", party.address.country)


def _payment(root: etree._Element, invoice: SupplierInvoice) -> None:
    supplier = invoice.supplier
    means = _sub(root, "cac:PaymentMeans")
    _sub(means, "cbc:PaymentMeansCode", SEPA_CREDIT_TRANSFER, name="Credit transfer")
    if invoice.is_credit_note:
        _sub(means, "cbc:PaymentDueDate", _date(invoice.due_date))
    if invoice.payment_reference:
        _sub(means, "cbc:PaymentID", invoice.payment_reference)
    account = _sub(means, "cac:PayeeFinancialAccount")
    _sub(account, "cbc:ID", supplier.iban)
    _sub(account, "cbc:Name", supplier.name)
    if supplier.bic:
        branch = _sub(account, "cac:FinancialInstitutionBranch")
        _sub(branch, "cbc:ID", supplier.bic)
    terms = _sub(root, "cac:PaymentTerms")
    _sub(terms, "cbc:Note", _payment_terms_note(invoice))


def _payment_terms_note(invoice: SupplierInvoice) -> str:
    days = (invoice.due_date - invoice.issue_date).days
    if invoice.language == "nl":
        return f"Betaling binnen {days} dagen na factuurdatum."
    return f"Payment within {days} days of the invoice date."


def _tax_total(root: etree._Element, invoice: SupplierInvoice) -> None:
    totals = invoice.vat_totals
    tax_total = _sub(root, "cac:TaxTotal")
    _amount(tax_total, "cbc:TaxAmount", totals.total_vat_amount, invoice.currency)
    for group in totals.breakdown:
        subtotal = _sub(tax_total, "cac:TaxSubtotal")
        _amount(subtotal, "cbc:TaxableAmount", group.base_amount, invoice.currency)
        _amount(subtotal, "cbc:TaxAmount", group.vat_amount, invoice.currency)
        category = _sub(subtotal, "cac:TaxCategory")
        _sub(category, "cbc:ID", group.category.value)
        _sub(category, "cbc:Percent", format(group.rate, "f"))
        if group.category in VAT_EXEMPTION_REASONS:
            code, reason = VAT_EXEMPTION_REASONS[group.category]
            _sub(category, "cbc:TaxExemptionReasonCode", code)
            _sub(category, "cbc:TaxExemptionReason", reason)
        _sub(_sub(category, "cac:TaxScheme"), "cbc:ID", "VAT")


def _monetary_total(root: etree._Element, invoice: SupplierInvoice) -> None:
    total = _sub(root, "cac:LegalMonetaryTotal")
    currency = invoice.currency
    _amount(total, "cbc:LineExtensionAmount", invoice.total_net_amount, currency)
    _amount(total, "cbc:TaxExclusiveAmount", invoice.total_net_amount, currency)
    _amount(total, "cbc:TaxInclusiveAmount", invoice.total_gross_amount, currency)
    _amount(total, "cbc:PayableAmount", invoice.amount_due, currency)


def _line(
    root: etree._Element, invoice: SupplierInvoice, number: int, line: InvoiceLine
) -> None:
    if invoice.is_credit_note:
        element = _sub(root, "cac:CreditNoteLine")
        quantity_name = "cbc:CreditedQuantity"
    else:
        element = _sub(root, "cac:InvoiceLine")
        quantity_name = "cbc:InvoicedQuantity"
    _sub(element, "cbc:ID", str(number))
    _sub(element, quantity_name, format(line.quantity, "f"), unitCode=line.unit_code)
    net_amount = invoice.line_net_amounts[number - 1]
    _amount(element, "cbc:LineExtensionAmount", net_amount, invoice.currency)
    item = _sub(element, "cac:Item")
    _sub(item, "cbc:Name", line.description)
    if line.article_number:
        seller_item = _sub(item, "cac:SellersItemIdentification")
        _sub(seller_item, "cbc:ID", line.article_number)
    tax_category = _sub(item, "cac:ClassifiedTaxCategory")
    _sub(tax_category, "cbc:ID", line.vat_category.value)
    _sub(tax_category, "cbc:Percent", format(line.vat_rate, "f"))
    _sub(_sub(tax_category, "cac:TaxScheme"), "cbc:ID", "VAT")
    price = _sub(element, "cac:Price")
    _amount(price, "cbc:PriceAmount", line.unit_price, invoice.currency)
