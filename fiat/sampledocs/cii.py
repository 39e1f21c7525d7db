"""Write a sample invoice as CII XML in the Factur-X EN 16931 profile.

The document is a UN/CEFACT ``CrossIndustryInvoice`` whose guideline
identifier ``urn:cen.eu:en16931:2017`` declares the EN 16931 profile of
Factur-X and ZUGFeRD 2. A credit note is the same document with type
code 381 and positive amounts. The Factur-X schema fixes the order of the
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

EN16931_GUIDELINE_ID = "urn:cen.eu:en16931:2017"
RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = (
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
)
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
_NAMESPACES = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
SEPA_CREDIT_TRANSFER = "58"
# UNTDID 2379 date format code for CCYYMMDD.
DATE_FORMAT_CCYYMMDD = "102"


def cii_xml(invoice: SupplierInvoice) -> bytes:
    """Return the invoice as UTF-8 CII XML with an XML declaration."""
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=_NAMESPACES)
    context = _sub(root, "rsm:ExchangedDocumentContext")
    guideline = _sub(context, "ram:GuidelineSpecifiedDocumentContextParameter")
    _sub(guideline, "ram:ID", EN16931_GUIDELINE_ID)
    _exchanged_document(root, invoice)
    transaction = _sub(root, "rsm:SupplyChainTradeTransaction")
    for number, line in enumerate(invoice.lines, start=1):
        _line(transaction, invoice, number, line)
    _agreement(transaction, invoice)
    delivery = _sub(transaction, "ram:ApplicableHeaderTradeDelivery")
    event = _sub(delivery, "ram:ActualDeliverySupplyChainEvent")
    _date(event, "ram:OccurrenceDateTime", invoice.delivery_date)
    _settlement(transaction, invoice)
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def _sub(
    parent: etree._Element, name: str, text: str | None = None, /, **attributes: str
) -> etree._Element:
    """Append child ``name`` ("ram:ID") with optional text and attributes.

    ``name`` and ``text`` are positional-only, so an XML attribute may be
    called ``name``.
    """
    prefix, local_name = name.split(":")
    tag = f"{{{_NAMESPACES[prefix]}}}{local_name}"
    element = etree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def _date(parent: etree._Element, name: str, value: date) -> None:
    date_time = _sub(parent, name)
    _sub(
        date_time,
        "udt:DateTimeString",
        value.strftime("%Y%m%d"),
        format=DATE_FORMAT_CCYYMMDD,
    )


def _decimal(value: Decimal) -> str:
    return format(value, "f")


def _exchanged_document(root: etree._Element, invoice: SupplierInvoice) -> None:
    document = _sub(root, "rsm:ExchangedDocument")
    _sub(document, "ram:ID", invoice.number)
    _sub(document, "ram:TypeCode", invoice.document_type.type_code)
    _date(document, "ram:IssueDateTime", invoice.issue_date)
    if invoice.note:
        _sub(_sub(document, "ram:IncludedNote"), "ram:Content", invoice.note)


def _line(
    transaction: etree._Element,
    invoice: SupplierInvoice,
    number: int,
    line: InvoiceLine,
) -> None:
    item = _sub(transaction, "ram:IncludedSupplyChainTradeLineItem")
    _sub(_sub(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(number))
    product = _sub(item, "ram:SpecifiedTradeProduct")
    if line.article_number:
        _sub(product, "ram:SellerAssignedID", line.article_number)
    _sub(product, "ram:Name", line.description)
    agreement = _sub(item, "ram:SpecifiedLineTradeAgreement")
    net_price = _sub(agreement, "ram:NetPriceProductTradePrice")
    _sub(net_price, "ram:ChargeAmount", _decimal(line.unit_price))
    delivery = _sub(item, "ram:SpecifiedLineTradeDelivery")
    _sub(
        delivery, "ram:BilledQuantity", _decimal(line.quantity), unitCode=line.unit_code
    )
    settlement = _sub(item, "ram:SpecifiedLineTradeSettlement")
    tax = _sub(settlement, "ram:ApplicableTradeTax")
    _sub(tax, "ram:TypeCode", "VAT")
    _sub(tax, "ram:CategoryCode", line.vat_category.value)
    _sub(tax, "ram:RateApplicablePercent", _decimal(line.vat_rate))
    summation = _sub(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    net_amount = invoice.line_net_amounts[number - 1]
    _sub(summation, "ram:LineTotalAmount", _decimal(net_amount))


def _agreement(transaction: etree._Element, invoice: SupplierInvoice) -> None:
    agreement = _sub(transaction, "ram:ApplicableHeaderTradeAgreement")
    if invoice.buyer_reference:
        _sub(agreement, "ram:BuyerReference", invoice.buyer_reference)
    _party(_sub(agreement, "ram:SellerTradeParty"), invoice.supplier)
    _party(_sub(agreement, "ram:BuyerTradeParty"), invoice.customer)
    if invoice.po_reference:
        order = _sub(agreement, "ram:BuyerOrderReferencedDocument")
        _sub(order, "ram:IssuerAssignedID", invoice.po_reference)


def _party(element: etree._Element, party: Party) -> None:
    _sub(element, "ram:Name", party.name)
    if party.coc_number:
        organisation = _sub(element, "ram:SpecifiedLegalOrganization")
        _sub(organisation, "ram:ID", party.coc_number, schemeID="0106")
    if party.email or party.phone:
        contact = _sub(element, "ram:DefinedTradeContact")
        if party.phone:
            telephone = _sub(contact, "ram:TelephoneUniversalCommunication")
            _sub(telephone, "ram:CompleteNumber", party.phone)
        if party.email:
            email = _sub(contact, "ram:EmailURIUniversalCommunication")
            _sub(email, "ram:URIID", party.email)
    address = _sub(element, "ram:PostalTradeAddress")
    _sub(address, "ram:PostcodeCode", party.address.postal_code)
    _sub(address, "ram:LineOne", party.address.street)
    _sub(address, "ram:CityName", party.address.city)
    _sub(address, "ram:CountryID", party.address.country)
    scheme, endpoint = party.endpoint
    communication = _sub(element, "ram:URIUniversalCommunication")
    _sub(communication, "ram:URIID", endpoint, schemeID=scheme)
    if party.vat_number:
        registration = _sub(element, "ram:SpecifiedTaxRegistration")
        _sub(registration, "ram:ID", party.vat_number, schemeID="VA")


def _settlement(transaction: etree._Element, invoice: SupplierInvoice) -> None:
    settlement = _sub(transaction, "ram:ApplicableHeaderTradeSettlement")
    if invoice.payment_reference:
        _sub(settlement, "ram:PaymentReference", invoice.payment_reference)
    _sub(settlement, "ram:InvoiceCurrencyCode", invoice.currency)
    _payment_means(settlement, invoice.supplier)
    _vat_breakdown(settlement, invoice)
    terms = _sub(settlement, "ram:SpecifiedTradePaymentTerms")
    _date(terms, "ram:DueDateDateTime", invoice.due_date)
    _monetary_summation(settlement, invoice)
    if invoice.preceding_invoice_number:
        preceding = _sub(settlement, "ram:InvoiceReferencedDocument")
        _sub(preceding, "ram:IssuerAssignedID", invoice.preceding_invoice_number)


def _payment_means(settlement: etree._Element, supplier: Party) -> None:
    means = _sub(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
    _sub(means, "ram:TypeCode", SEPA_CREDIT_TRANSFER)
    account = _sub(means, "ram:PayeePartyCreditorFinancialAccount")
    _sub(account, "ram:IBANID", supplier.iban)
    _sub(account, "ram:AccountName", supplier.name)
    if supplier.bic:
        institution = _sub(means, "ram:PayeeSpecifiedCreditorFinancialInstitution")
        _sub(institution, "ram:BICID", supplier.bic)


def _vat_breakdown(settlement: etree._Element, invoice: SupplierInvoice) -> None:
    for group in invoice.vat_totals.breakdown:
        tax = _sub(settlement, "ram:ApplicableTradeTax")
        _sub(tax, "ram:CalculatedAmount", _decimal(group.vat_amount))
        _sub(tax, "ram:TypeCode", "VAT")
        reason = VAT_EXEMPTION_REASONS.get(group.category)
        if reason:
            _sub(tax, "ram:ExemptionReason", reason[1])
        _sub(tax, "ram:BasisAmount", _decimal(group.base_amount))
        _sub(tax, "ram:CategoryCode", group.category.value)
        if reason:
            _sub(tax, "ram:ExemptionReasonCode", reason[0])
        _sub(tax, "ram:RateApplicablePercent", _decimal(group.rate))


def _monetary_summation(settlement: etree._Element, invoice: SupplierInvoice) -> None:
    summation = _sub(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _sub(summation, "ram:LineTotalAmount", _decimal(invoice.total_net_amount))
    _sub(summation, "ram:TaxBasisTotalAmount", _decimal(invoice.total_net_amount))
    # The VAT total names its currency because CII uses the same element for
    # the VAT total in the accounting currency (BT-111).
    _sub(
        summation,
        "ram:TaxTotalAmount",
        _decimal(invoice.total_vat_amount),
        currencyID=invoice.currency,
    )
    _sub(summation, "ram:GrandTotalAmount", _decimal(invoice.total_gross_amount))
    _sub(summation, "ram:DuePayableAmount", _decimal(invoice.amount_due))
