"""Write a sales invoice as UBL 2.1 in the Peppol BIS 3.0 or NLCIUS profile.

An invoice or corrective invoice becomes a UBL ``Invoice`` and a credit note
a UBL ``CreditNote``. The two profiles share the EN 16931 content and differ
in their customization identifier and their own rules: Peppol BIS Billing
3.0 for the Peppol network, NLCIUS (SI-UBL 2.0) for Dutch receivers such
as the government. The UBL 2.1 schema fixes the order of the child
elements, so each builder appends them in that order.
"""

from decimal import Decimal

from lxml import etree

from fiat.core.money import round_money
from fiat.receivables.einvoice.document import (
    DocumentCharge,
    DocumentLine,
    InvoiceDocument,
    TradeParty,
)

CUSTOMIZATION_IDS = {
    "peppol": (
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    ),
    "nlcius": "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0",
}
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
INVOICE_NAMESPACE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NAMESPACE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
_PREFIXES = {"cac": CAC, "cbc": CBC}
SEPA_CREDIT_TRANSFER = "58"
COMMERCIAL_INVOICE = "380"


def ubl_xml(document: InvoiceDocument, profile: str = "peppol") -> bytes:
    """Return the invoice as UTF-8 UBL 2.1 XML in ``profile``."""
    root = _root(document)
    _header(root, document, profile)
    _party(_sub(root, "cac:AccountingSupplierParty"), document.seller)
    _party(_sub(root, "cac:AccountingCustomerParty"), document.buyer)
    delivery = _sub(root, "cac:Delivery")
    _sub(delivery, "cbc:ActualDeliveryDate", document.issue_date.isoformat())
    _payment_means(root, document)
    for charge in document.charges:
        _document_charge(root, document, charge)
    _tax_total(root, document)
    _monetary_total(root, document)
    for line in document.lines:
        _line(root, document, line)
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def _root(document: InvoiceDocument) -> etree._Element:
    if document.is_credit_note:
        namespace, name = CREDIT_NOTE_NAMESPACE, "CreditNote"
    else:
        namespace, name = INVOICE_NAMESPACE, "Invoice"
    return etree.Element(
        f"{{{namespace}}}{name}", nsmap={None: namespace, "cac": CAC, "cbc": CBC}
    )


def _sub(
    parent: etree._Element, name: str, text: str | None = None, /, **attributes: str
) -> etree._Element:
    prefix, local_name = name.split(":")
    element = etree.SubElement(
        parent, f"{{{_PREFIXES[prefix]}}}{local_name}", attributes
    )
    if text is not None:
        element.text = text
    return element


def _number(value: Decimal) -> str:
    return format(value, "f")


def _amount(parent: etree._Element, name: str, value: Decimal, currency: str) -> None:
    _sub(parent, name, _number(round_money(value, currency)), currencyID=currency)


def _header(root: etree._Element, document: InvoiceDocument, profile: str) -> None:
    _sub(root, "cbc:CustomizationID", CUSTOMIZATION_IDS[profile])
    _sub(root, "cbc:ProfileID", PROFILE_ID)
    _sub(root, "cbc:ID", document.number)
    _sub(root, "cbc:IssueDate", document.issue_date.isoformat())
    if document.is_credit_note:
        _sub(root, "cbc:CreditNoteTypeCode", document.type_code)
    else:
        if document.due_date:
            _sub(root, "cbc:DueDate", document.due_date.isoformat())
        _sub(root, "cbc:InvoiceTypeCode", _invoice_type_code(document, profile))
    # Peppol allows one note (rule PEPPOL-EN16931-R002), so the invoice note
    # and the VAT exemption statements share it, one a line.
    texts = (document.note, *(g.exemption_reason for g in document.vat_groups))
    note = "\n".join(text for text in texts if text)
    if note:
        _sub(root, "cbc:Note", note)
    _sub(root, "cbc:DocumentCurrencyCode", document.currency)
    # Peppol and NLCIUS require a buyer reference or an order reference.
    _sub(root, "cbc:BuyerReference", document.buyer_reference or document.number)
    if document.order_reference:
        order = _sub(root, "cac:OrderReference")
        _sub(order, "cbc:ID", document.order_reference)
    if document.preceding_invoice_number:
        billing = _sub(root, "cac:BillingReference")
        reference = _sub(billing, "cac:InvoiceDocumentReference")
        _sub(reference, "cbc:ID", document.preceding_invoice_number)
        if document.preceding_invoice_date:
            _sub(
                reference, "cbc:IssueDate", document.preceding_invoice_date.isoformat()
            )


def _invoice_type_code(document: InvoiceDocument, profile: str) -> str:
    """Return the type code, 380 for a Peppol corrective invoice.

    Peppol BIS 3 allows 384 only between two German parties (rule
    PEPPOL-EN16931-P0112), so elsewhere a corrective invoice is a
    commercial invoice with negative lines and a billing reference.
    """
    both_german = document.seller.country == document.buyer.country == "DE"
    if profile == "peppol" and document.type_code == "384" and not both_german:
        return COMMERCIAL_INVOICE
    return document.type_code


def _party(element: etree._Element, party: TradeParty) -> None:
    party_element = _sub(element, "cac:Party")
    scheme, endpoint = party.endpoint
    _sub(party_element, "cbc:EndpointID", endpoint, schemeID=scheme)
    _sub(_sub(party_element, "cac:PartyName"), "cbc:Name", party.name)
    address = _sub(party_element, "cac:PostalAddress")
    if party.street:
        _sub(address, "cbc:StreetName", party.street)
    if party.city:
        _sub(address, "cbc:CityName", party.city)
    if party.postal_code:
        _sub(address, "cbc:PostalZone", party.postal_code)
    _sub(_sub(address, "cac:Country"), "cbc:IdentificationCode", party.country)
    if party.vat_number:
        tax_scheme = _sub(party_element, "cac:PartyTaxScheme")
        _sub(tax_scheme, "cbc:CompanyID", party.vat_number)
        _sub(_sub(tax_scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    legal_entity = _sub(party_element, "cac:PartyLegalEntity")
    _sub(legal_entity, "cbc:RegistrationName", party.name)
    if party.coc_number:
        _sub(legal_entity, "cbc:CompanyID", party.coc_number, schemeID="0106")
    if party.email:
        _sub(_sub(party_element, "cac:Contact"), "cbc:ElectronicMail", party.email)


def _payment_means(root: etree._Element, document: InvoiceDocument) -> None:
    means = _sub(root, "cac:PaymentMeans")
    _sub(means, "cbc:PaymentMeansCode", SEPA_CREDIT_TRANSFER)
    if document.is_credit_note and document.due_date:
        _sub(means, "cbc:PaymentDueDate", document.due_date.isoformat())
    if document.payment_reference:
        _sub(means, "cbc:PaymentID", document.payment_reference)
    account = _sub(means, "cac:PayeeFinancialAccount")
    _sub(account, "cbc:ID", document.seller.iban)
    _sub(account, "cbc:Name", document.seller.name)
    if document.seller.bic:
        branch = _sub(account, "cac:FinancialInstitutionBranch")
        _sub(branch, "cbc:ID", document.seller.bic)


def _tax_category(parent: etree._Element, name: str, category: str, rate) -> None:
    element = _sub(parent, name)
    _sub(element, "cbc:ID", category)
    _sub(element, "cbc:Percent", _number(rate))
    return element


def _document_charge(
    root: etree._Element, document: InvoiceDocument, charge: DocumentCharge
) -> None:
    element = _sub(root, "cac:AllowanceCharge")
    _sub(element, "cbc:ChargeIndicator", "true" if charge.is_charge else "false")
    _sub(element, "cbc:AllowanceChargeReason", charge.reason)
    _amount(element, "cbc:Amount", charge.amount, document.currency)
    category = _tax_category(element, "cac:TaxCategory", charge.category, charge.rate)
    _sub(_sub(category, "cac:TaxScheme"), "cbc:ID", "VAT")


def _tax_total(root: etree._Element, document: InvoiceDocument) -> None:
    money = document.currency
    total = _sub(root, "cac:TaxTotal")
    _amount(total, "cbc:TaxAmount", document.amounts.total_vat_amount, money)
    for group in document.vat_groups:
        subtotal = _sub(total, "cac:TaxSubtotal")
        _amount(subtotal, "cbc:TaxableAmount", group.base_amount, money)
        _amount(subtotal, "cbc:TaxAmount", group.vat_amount, money)
        category = _tax_category(
            subtotal, "cac:TaxCategory", group.category, group.rate
        )
        if group.exemption_reason_code:
            _sub(category, "cbc:TaxExemptionReasonCode", group.exemption_reason_code)
        if group.exemption_reason:
            _sub(category, "cbc:TaxExemptionReason", group.exemption_reason)
        _sub(_sub(category, "cac:TaxScheme"), "cbc:ID", "VAT")


def _monetary_total(root: etree._Element, document: InvoiceDocument) -> None:
    amounts = document.amounts
    money = document.currency
    total = _sub(root, "cac:LegalMonetaryTotal")
    _amount(total, "cbc:LineExtensionAmount", amounts.line_total_amount, money)
    _amount(total, "cbc:TaxExclusiveAmount", amounts.total_net_amount, money)
    _amount(total, "cbc:TaxInclusiveAmount", amounts.total_gross_amount, money)
    if document.charges:
        _amount(
            total, "cbc:AllowanceTotalAmount", amounts.allowance_total_amount, money
        )
        _amount(total, "cbc:ChargeTotalAmount", amounts.charge_total_amount, money)
    if amounts.rounding_amount:
        _amount(total, "cbc:PayableRoundingAmount", amounts.rounding_amount, money)
    _amount(total, "cbc:PayableAmount", amounts.payable_amount, money)


def _line(root: etree._Element, document: InvoiceDocument, line: DocumentLine) -> None:
    money = document.currency
    if document.is_credit_note:
        element = _sub(root, "cac:CreditNoteLine")
        quantity_name = "cbc:CreditedQuantity"
    else:
        element = _sub(root, "cac:InvoiceLine")
        quantity_name = "cbc:InvoicedQuantity"
    _sub(element, "cbc:ID", line.line_id)
    _sub(element, quantity_name, _number(line.quantity), unitCode=line.unit_code)
    _amount(element, "cbc:LineExtensionAmount", line.net_amount, money)
    if line.allowance_amount:
        allowance = _sub(element, "cac:AllowanceCharge")
        _sub(allowance, "cbc:ChargeIndicator", "false")
        _sub(allowance, "cbc:AllowanceChargeReason", "Discount")
        _amount(allowance, "cbc:Amount", line.allowance_amount, money)
    item = _sub(element, "cac:Item")
    _sub(item, "cbc:Name", line.description)
    category = _tax_category(
        item, "cac:ClassifiedTaxCategory", line.category, line.rate
    )
    _sub(_sub(category, "cac:TaxScheme"), "cbc:ID", "VAT")
    price = _sub(element, "cac:Price")
    _sub(price, "cbc:PriceAmount", _number(line.net_unit_price), currencyID=money)
