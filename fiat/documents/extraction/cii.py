"""Read UN/CEFACT Cross Industry Invoice (CII) documents.

Two generations are read:

- CII D16B and later (``CrossIndustryInvoice``), the CII syntax of EN 16931,
  used by Factur-X 1.0, ZUGFeRD 2.x and XRechnung CII in every profile from
  MINIMUM to EXTENDED.
- ZUGFeRD 1.0 (``CrossIndustryDocument``), built on CII D13B, which names
  the same groups differently (``ApplicableSupplyChainTradeSettlement`` for
  ``ApplicableHeaderTradeSettlement``) and has no legal organisation.

A ``_Dialect`` contains the element names that differ, so one reader serves
both.
Business terms in the comments (BT-n) are those of EN 16931.
"""

from dataclasses import dataclass
from datetime import date

from lxml import etree

from fiat.documents.extraction.einvoice_checks import StatedTotals, complete_result
from fiat.documents.extraction.en16931 import (
    FieldReader,
    document_type_for_code,
    unit_price,
)
from fiat.documents.extraction.result import (
    ExtractionResult,
    LineFields,
    PartyFields,
    Source,
    VatBreakdownFields,
)

# Scheme of a VAT number in a SpecifiedTaxRegistration; "FC" is a national
# tax number, which is not a VAT number.
VAT_SCHEME_ID = "VA"
# Suffix of the MINIMUM profile's guideline identifier (BT-24), such as
# "urn:factur-x.eu:1p0:minimum" or "urn:zugferd.de:2p0:minimum".
MINIMUM_PROFILE_SUFFIX = ":minimum"
# EXTENDED profile line status (BT-X-8) of a line that does not count towards
# the totals.
INFORMATION_LINE_STATUS = "INFORMATION"


@dataclass(frozen=True)
class _Dialect:
    namespaces: dict[str, str]
    context: str
    document: str
    transaction: str
    agreement: str
    settlement: str
    summation: str
    rate: str
    order_id: str
    line_agreement: str
    line_delivery: str
    line_settlement: str
    line_summation: str


CII_D16B = _Dialect(
    namespaces={
        "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
        "ram": "urn:un:unece:uncefact:data:standard:"
        "ReusableAggregateBusinessInformationEntity:100",
        "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    },
    context="rsm:ExchangedDocumentContext",
    document="rsm:ExchangedDocument",
    transaction="rsm:SupplyChainTradeTransaction",
    agreement="ram:ApplicableHeaderTradeAgreement",
    settlement="ram:ApplicableHeaderTradeSettlement",
    summation="ram:SpecifiedTradeSettlementHeaderMonetarySummation",
    rate="ram:RateApplicablePercent",
    order_id="ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID",
    line_agreement="ram:SpecifiedLineTradeAgreement",
    line_delivery="ram:SpecifiedLineTradeDelivery",
    line_settlement="ram:SpecifiedLineTradeSettlement",
    line_summation="ram:SpecifiedTradeSettlementLineMonetarySummation",
)

ZUGFERD_1 = _Dialect(
    namespaces={
        "rsm": "urn:ferd:CrossIndustryDocument:invoice:1p0",
        "ram": "urn:un:unece:uncefact:data:standard:"
        "ReusableAggregateBusinessInformationEntity:12",
        "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15",
    },
    context="rsm:SpecifiedExchangedDocumentContext",
    document="rsm:HeaderExchangedDocument",
    transaction="rsm:SpecifiedSupplyChainTradeTransaction",
    agreement="ram:ApplicableSupplyChainTradeAgreement",
    settlement="ram:ApplicableSupplyChainTradeSettlement",
    summation="ram:SpecifiedTradeSettlementMonetarySummation",
    rate="ram:ApplicablePercent",
    order_id="ram:BuyerOrderReferencedDocument/ram:ID",
    line_agreement="ram:SpecifiedSupplyChainTradeAgreement",
    line_delivery="ram:SpecifiedSupplyChainTradeDelivery",
    line_settlement="ram:SpecifiedSupplyChainTradeSettlement",
    line_summation="ram:SpecifiedTradeSettlementMonetarySummation",
)

_DIALECTS_BY_ROOT_TAG = {
    f"{{{CII_D16B.namespaces['rsm']}}}CrossIndustryInvoice": CII_D16B,
    f"{{{ZUGFERD_1.namespaces['rsm']}}}CrossIndustryDocument": ZUGFERD_1,
}


def is_cii(root: etree._Element) -> bool:
    return root.tag in _DIALECTS_BY_ROOT_TAG


def read_cii(
    root: etree._Element, filename: str, source: Source = Source.CII
) -> ExtractionResult:
    """Read a CrossIndustryInvoice or ZUGFeRD 1.0 root element into a result."""
    dialect = _DIALECTS_BY_ROOT_TAG[root.tag]
    reader = FieldReader(dialect.namespaces)
    document = reader.find(root, dialect.document)
    transaction = reader.find(root, dialect.transaction)
    agreement = reader.find(transaction, dialect.agreement)
    settlement = reader.find(transaction, dialect.settlement)
    lines = reader.findall(transaction, "ram:IncludedSupplyChainTradeLineItem")

    result = ExtractionResult(
        file=filename,
        source=source,
        document_type=document_type_for_code(reader.text(document, "ram:TypeCode")),
        supplier=_supplier(reader, agreement, settlement),
        customer=_party(reader, reader.find(agreement, "ram:BuyerTradeParty")),
        invoice_number=reader.text(document, "ram:ID"),
        issue_date=reader.cii_date(document, "ram:IssueDateTime/udt:DateTimeString"),
        due_date=_due_date(reader, settlement),
        currency=reader.text(settlement, "ram:InvoiceCurrencyCode"),
        po_reference=reader.text(agreement, dialect.order_id),
        payment_reference=reader.text(settlement, "ram:PaymentReference"),
        vat_breakdown=[
            _vat_breakdown(reader, dialect, tax)
            for tax in reader.findall(settlement, "ram:ApplicableTradeTax")
        ],
        lines=[
            _line(reader, dialect, line)
            for line in lines
            if _counts_towards_totals(reader, line)
        ],
    )
    summation = reader.find(settlement, dialect.summation)
    _read_totals(reader, summation, result)

    totals = StatedTotals(
        line_nets=[line.net_amount for line in result.lines],
        line_total=reader.decimal(summation, "ram:LineTotalAmount"),
        allowance_total=reader.decimal(summation, "ram:AllowanceTotalAmount"),
        charge_total=reader.decimal(summation, "ram:ChargeTotalAmount"),
        prepaid_amount=reader.decimal(summation, "ram:TotalPrepaidAmount"),
        rounding_amount=reader.decimal(summation, "ram:RoundingAmount"),
        amount_due_is_checkable=not _is_minimum_profile(reader, dialect, root),
    )
    return complete_result(result, totals, reader.warnings)


def _read_totals(
    reader: FieldReader, summation: etree._Element | None, result: ExtractionResult
) -> None:
    """Set the document totals in the invoice currency.

    A total may occur a second time in the VAT accounting currency, which
    EN 16931 allows for the VAT total (BT-111).
    """
    currency = result.currency
    result.total_net = reader.amount_in_currency(
        summation, "ram:TaxBasisTotalAmount", currency
    )
    result.total_vat = reader.amount_in_currency(
        summation, "ram:TaxTotalAmount", currency
    )
    result.total_gross = reader.amount_in_currency(
        summation, "ram:GrandTotalAmount", currency
    )
    result.amount_due = reader.amount_in_currency(
        summation, "ram:DuePayableAmount", currency
    )


def _is_minimum_profile(
    reader: FieldReader, dialect: _Dialect, root: etree._Element
) -> bool:
    guideline = reader.text(
        reader.find(root, dialect.context),
        "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
    )
    return guideline is not None and guideline.lower().endswith(MINIMUM_PROFILE_SUFFIX)


def _counts_towards_totals(reader: FieldReader, line: etree._Element) -> bool:
    """Tell whether a line is a top-level line that the line total includes.

    In the EXTENDED profile a sub-line (with a ParentLineID) details a group
    line whose amount already includes it, and an INFORMATION line is not
    charged at all.

    NOTE: the result lists only these lines, so sub-lines and information
    lines of an EXTENDED invoice do not appear in it.
    """
    document_line = reader.find(line, "ram:AssociatedDocumentLineDocument")
    if reader.text(document_line, "ram:ParentLineID") is not None:
        return False
    status = reader.text(document_line, "ram:LineStatusReasonCode")
    return status != INFORMATION_LINE_STATUS


def _due_date(reader: FieldReader, settlement: etree._Element | None) -> date | None:
    for terms in reader.findall(settlement, "ram:SpecifiedTradePaymentTerms"):
        due_date = reader.cii_date(terms, "ram:DueDateDateTime/udt:DateTimeString")
        if due_date is not None:
            return due_date
    return None


def _supplier(
    reader: FieldReader,
    agreement: etree._Element | None,
    settlement: etree._Element | None,
) -> PartyFields:
    supplier = _party(reader, reader.find(agreement, "ram:SellerTradeParty"))
    payment_means = reader.findall(
        settlement, "ram:SpecifiedTradeSettlementPaymentMeans"
    )
    account_id = reader.first_text(
        payment_means, "ram:PayeePartyCreditorFinancialAccount/ram:IBANID"
    ) or reader.first_text(
        payment_means, "ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID"
    )
    supplier.iban = reader.iban(account_id)
    supplier.bic = reader.first_text(
        payment_means, "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID"
    )
    return supplier


def _party(reader: FieldReader, party: etree._Element | None) -> PartyFields:
    """Read name, VAT number, registration number and country of a party.

    The registration number is the legal organisation's identifier (BT-30),
    whatever its scheme; in the Netherlands that is the KvK number, scheme
    0106.
    """
    return PartyFields(
        name=reader.text(party, "ram:Name"),
        vat_number=_vat_number(reader, party),
        coc_number=reader.text(party, "ram:SpecifiedLegalOrganization/ram:ID"),
        country=reader.text(party, "ram:PostalTradeAddress/ram:CountryID"),
    )


def _vat_number(reader: FieldReader, party: etree._Element | None) -> str | None:
    for registration in reader.findall(party, "ram:SpecifiedTaxRegistration/ram:ID"):
        if registration.get("schemeID") == VAT_SCHEME_ID and registration.text:
            return registration.text.strip() or None
    return None


def _vat_breakdown(
    reader: FieldReader, dialect: _Dialect, tax: etree._Element
) -> VatBreakdownFields:
    return VatBreakdownFields(
        rate=reader.decimal(tax, dialect.rate),
        base=reader.decimal(tax, "ram:BasisAmount"),
        amount=reader.decimal(tax, "ram:CalculatedAmount"),
        category=reader.text(tax, "ram:CategoryCode"),
    )


def _line(reader: FieldReader, dialect: _Dialect, line: etree._Element) -> LineFields:
    product = reader.find(line, "ram:SpecifiedTradeProduct")
    net_price = reader.find(
        reader.find(line, dialect.line_agreement), "ram:NetPriceProductTradePrice"
    )
    settlement = reader.find(line, dialect.line_settlement)
    return LineFields(
        description=reader.text(product, "ram:Name")
        or reader.text(product, "ram:Description"),
        quantity=reader.decimal(
            reader.find(line, dialect.line_delivery), "ram:BilledQuantity"
        ),
        unit_price=unit_price(
            reader.decimal(net_price, "ram:ChargeAmount"),
            reader.decimal(net_price, "ram:BasisQuantity"),
        ),
        net_amount=reader.decimal(
            reader.find(settlement, dialect.line_summation), "ram:LineTotalAmount"
        ),
        vat_rate=reader.decimal(settlement, f"ram:ApplicableTradeTax/{dialect.rate}"),
    )
