"""Write a sales invoice as CII XML in the Factur-X EN 16931 profile.

The document is a UN/CEFACT ``CrossIndustryInvoice`` with the guideline
identifier ``urn:cen.eu:en16931:2017``, the EN 16931 profile of Factur-X
and ZUGFeRD 2. The Factur-X schema fixes the order of child elements, so
each builder appends them in that order. Every amount is written with the
currency's decimals ("168.10", never "168.1").
"""

from datetime import date
from decimal import Decimal

from lxml import etree

from fiat.core.money import round_money
from fiat.receivables.einvoice.document import (
    DocumentCharge,
    DocumentLine,
    InvoiceDocument,
    TradeParty,
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
DATE_FORMAT_CCYYMMDD = "102"  # UNTDID 2379


def cii_xml(document: InvoiceDocument) -> bytes:
    """Return the invoice as UTF-8 CII XML with an XML declaration."""
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=_NAMESPACES)
    context = _sub(root, "rsm:ExchangedDocumentContext")
    guideline = _sub(context, "ram:GuidelineSpecifiedDocumentContextParameter")
    _sub(guideline, "ram:ID", EN16931_GUIDELINE_ID)
    _exchanged_document(root, document)
    transaction = _sub(root, "rsm:SupplyChainTradeTransaction")
    for line in document.lines:
        _line(transaction, document, line)
    _agreement(transaction, document)
    delivery = _sub(transaction, "ram:ApplicableHeaderTradeDelivery")
    event = _sub(delivery, "ram:ActualDeliverySupplyChainEvent")
    _date(event, "ram:OccurrenceDateTime", document.issue_date)
    _settlement(transaction, document)
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def _sub(
    parent: etree._Element, name: str, text: str | None = None, /, **attributes: str
) -> etree._Element:
    prefix, local_name = name.split(":")
    element = etree.SubElement(
        parent, f"{{{_NAMESPACES[prefix]}}}{local_name}", attributes
    )
    if text is not None:
        element.text = text
    return element


def _date(
    parent: etree._Element, name: str, value: date, *, data_type: str = "udt"
) -> None:
    # FormattedIssueDateTime takes the qualified data type, the others the
    # unqualified one.
    _sub(
        _sub(parent, name),
        f"{data_type}:DateTimeString",
        value.strftime("%Y%m%d"),
        format=DATE_FORMAT_CCYYMMDD,
    )


def _number(value: Decimal) -> str:
    return format(value, "f")


def _indicator(parent: etree._Element, *, is_charge: bool) -> None:
    indicator = _sub(parent, "ram:ChargeIndicator")
    _sub(indicator, "udt:Indicator", "true" if is_charge else "false")


def _exchanged_document(root: etree._Element, document: InvoiceDocument) -> None:
    exchanged = _sub(root, "rsm:ExchangedDocument")
    _sub(exchanged, "ram:ID", document.number)
    _sub(exchanged, "ram:TypeCode", document.type_code)
    _date(exchanged, "ram:IssueDateTime", document.issue_date)
    for text in (document.note, *_exemption_notes(document)):
        if text:
            _sub(_sub(exchanged, "ram:IncludedNote"), "ram:Content", text)


def _exemption_notes(document: InvoiceDocument) -> list[str]:
    return [group.exemption_reason for group in document.vat_groups]


def _line(
    transaction: etree._Element, document: InvoiceDocument, line: DocumentLine
) -> None:
    money = document.currency
    item = _sub(transaction, "ram:IncludedSupplyChainTradeLineItem")
    _sub(_sub(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", line.line_id)
    _sub(_sub(item, "ram:SpecifiedTradeProduct"), "ram:Name", line.description)
    agreement = _sub(item, "ram:SpecifiedLineTradeAgreement")
    net_price = _sub(agreement, "ram:NetPriceProductTradePrice")
    _sub(net_price, "ram:ChargeAmount", _number(line.net_unit_price))
    delivery = _sub(item, "ram:SpecifiedLineTradeDelivery")
    _sub(
        delivery, "ram:BilledQuantity", _number(line.quantity), unitCode=line.unit_code
    )
    settlement = _sub(item, "ram:SpecifiedLineTradeSettlement")
    tax = _sub(settlement, "ram:ApplicableTradeTax")
    _sub(tax, "ram:TypeCode", "VAT")
    _sub(tax, "ram:CategoryCode", line.category)
    _sub(tax, "ram:RateApplicablePercent", _number(line.rate))
    if line.allowance_amount:
        allowance = _sub(settlement, "ram:SpecifiedTradeAllowanceCharge")
        _indicator(allowance, is_charge=False)
        _sub(allowance, "ram:ActualAmount", _number(line.allowance_amount))
        _sub(allowance, "ram:Reason", "Discount")
    summation = _sub(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    _sub(summation, "ram:LineTotalAmount", _amount(line.net_amount, money))


def _agreement(transaction: etree._Element, document: InvoiceDocument) -> None:
    agreement = _sub(transaction, "ram:ApplicableHeaderTradeAgreement")
    if document.buyer_reference:
        _sub(agreement, "ram:BuyerReference", document.buyer_reference)
    _party(_sub(agreement, "ram:SellerTradeParty"), document.seller)
    _party(_sub(agreement, "ram:BuyerTradeParty"), document.buyer)
    if document.order_reference:
        order = _sub(agreement, "ram:BuyerOrderReferencedDocument")
        _sub(order, "ram:IssuerAssignedID", document.order_reference)


def _party(element: etree._Element, party: TradeParty) -> None:
    _sub(element, "ram:Name", party.name)
    if party.coc_number:
        organisation = _sub(element, "ram:SpecifiedLegalOrganization")
        _sub(organisation, "ram:ID", party.coc_number, schemeID="0106")
    address = _sub(element, "ram:PostalTradeAddress")
    if party.postal_code:
        _sub(address, "ram:PostcodeCode", party.postal_code)
    if party.street:
        _sub(address, "ram:LineOne", party.street)
    if party.city:
        _sub(address, "ram:CityName", party.city)
    _sub(address, "ram:CountryID", party.country)
    scheme, endpoint = party.endpoint
    if endpoint:
        communication = _sub(element, "ram:URIUniversalCommunication")
        _sub(communication, "ram:URIID", endpoint, schemeID=scheme)
    if party.vat_number:
        registration = _sub(element, "ram:SpecifiedTaxRegistration")
        _sub(registration, "ram:ID", party.vat_number, schemeID="VA")


def _settlement(transaction: etree._Element, document: InvoiceDocument) -> None:
    settlement = _sub(transaction, "ram:ApplicableHeaderTradeSettlement")
    if document.payment_reference:
        _sub(settlement, "ram:PaymentReference", document.payment_reference)
    _sub(settlement, "ram:InvoiceCurrencyCode", document.currency)
    _payment_means(settlement, document.seller)
    _vat_breakdown(settlement, document)
    for charge in document.charges:
        _document_charge(settlement, document, charge)
    if document.due_date:
        terms = _sub(settlement, "ram:SpecifiedTradePaymentTerms")
        _date(terms, "ram:DueDateDateTime", document.due_date)
    _monetary_summation(settlement, document)
    if document.preceding_invoice_number:
        preceding = _sub(settlement, "ram:InvoiceReferencedDocument")
        _sub(preceding, "ram:IssuerAssignedID", document.preceding_invoice_number)
        if document.preceding_invoice_date:
            _date(
                preceding,
                "ram:FormattedIssueDateTime",
                document.preceding_invoice_date,
                data_type="qdt",
            )


def _payment_means(settlement: etree._Element, seller: TradeParty) -> None:
    means = _sub(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
    _sub(means, "ram:TypeCode", SEPA_CREDIT_TRANSFER)
    account = _sub(means, "ram:PayeePartyCreditorFinancialAccount")
    _sub(account, "ram:IBANID", seller.iban)
    _sub(account, "ram:AccountName", seller.name)
    if seller.bic:
        institution = _sub(means, "ram:PayeeSpecifiedCreditorFinancialInstitution")
        _sub(institution, "ram:BICID", seller.bic)


def _vat_breakdown(settlement: etree._Element, document: InvoiceDocument) -> None:
    money = document.currency
    for group in document.vat_groups:
        tax = _sub(settlement, "ram:ApplicableTradeTax")
        _sub(tax, "ram:CalculatedAmount", _amount(group.vat_amount, money))
        _sub(tax, "ram:TypeCode", "VAT")
        if group.exemption_reason:
            _sub(tax, "ram:ExemptionReason", group.exemption_reason)
        _sub(tax, "ram:BasisAmount", _amount(group.base_amount, money))
        _sub(tax, "ram:CategoryCode", group.category)
        if group.exemption_reason_code:
            _sub(tax, "ram:ExemptionReasonCode", group.exemption_reason_code)
        _sub(tax, "ram:RateApplicablePercent", _number(group.rate))


def _document_charge(
    settlement: etree._Element, document: InvoiceDocument, charge: DocumentCharge
) -> None:
    element = _sub(settlement, "ram:SpecifiedTradeAllowanceCharge")
    _indicator(element, is_charge=charge.is_charge)
    _sub(element, "ram:ActualAmount", _amount(charge.amount, document.currency))
    _sub(element, "ram:Reason", charge.reason)
    tax = _sub(element, "ram:CategoryTradeTax")
    _sub(tax, "ram:TypeCode", "VAT")
    _sub(tax, "ram:CategoryCode", charge.category)
    _sub(tax, "ram:RateApplicablePercent", _number(charge.rate))


def _monetary_summation(settlement: etree._Element, document: InvoiceDocument) -> None:
    amounts = document.amounts
    money = document.currency
    summation = _sub(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _sub(summation, "ram:LineTotalAmount", _amount(amounts.line_total_amount, money))
    if document.charges:
        _sub(
            summation,
            "ram:ChargeTotalAmount",
            _amount(amounts.charge_total_amount, money),
        )
        _sub(
            summation,
            "ram:AllowanceTotalAmount",
            _amount(amounts.allowance_total_amount, money),
        )
    _sub(summation, "ram:TaxBasisTotalAmount", _amount(amounts.total_net_amount, money))
    # The VAT total names its currency because CII uses the same element for
    # the VAT total in the accounting currency (BT-111).
    _sub(
        summation,
        "ram:TaxTotalAmount",
        _amount(amounts.total_vat_amount, money),
        currencyID=money,
    )
    if amounts.rounding_amount:
        _sub(summation, "ram:RoundingAmount", _amount(amounts.rounding_amount, money))
    _sub(summation, "ram:GrandTotalAmount", _amount(amounts.total_gross_amount, money))
    _sub(summation, "ram:DuePayableAmount", _amount(amounts.payable_amount, money))


def _amount(value: Decimal, currency: str) -> str:
    return _number(round_money(value, currency))
