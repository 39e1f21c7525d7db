"""Read OASIS UBL 2.1 Invoice and CreditNote documents.

This covers the UBL syntax of EN 16931 and its national and network
profiles: Peppol BIS Billing 3.0, the Dutch NLCIUS (SI-UBL 2.0) and
XRechnung UBL. They share one element structure and differ only in business
rules, so one reader serves them all. The field names in the comments are the
EN 16931 business terms (BT-n).
"""

from datetime import date
from decimal import Decimal

from lxml import etree

from fiat.documents.extraction.einvoice_checks import StatedTotals, complete_result
from fiat.documents.extraction.en16931 import (
    FieldReader,
    document_type_for_code,
    unit_price,
)
from fiat.documents.extraction.result import (
    DocumentType,
    ExtractionResult,
    LineFields,
    PartyFields,
    Source,
    VatBreakdownFields,
)

INVOICE_NAMESPACE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NAMESPACE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
ROOT_TAGS = frozenset(
    {f"{{{INVOICE_NAMESPACE}}}Invoice", f"{{{CREDIT_NOTE_NAMESPACE}}}CreditNote"}
)

NAMESPACES = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}

# Scheme of the Dutch Chamber of Commerce (KvK) number in the ISO 6523 ICD list.
KVK_SCHEME_ID = "0106"


def is_ubl(root: etree._Element) -> bool:
    return root.tag in ROOT_TAGS


def read_ubl(
    root: etree._Element, filename: str, source: Source = Source.UBL
) -> ExtractionResult:
    """Read a UBL Invoice or CreditNote root element into a result."""
    reader = FieldReader(NAMESPACES)
    payment_means = reader.findall(root, "cac:PaymentMeans")
    lines = [
        *reader.findall(root, "cac:InvoiceLine"),
        *reader.findall(root, "cac:CreditNoteLine"),
    ]

    result = ExtractionResult(
        file=filename,
        source=source,
        document_type=_document_type(reader, root),
        supplier=_supplier(reader, root, payment_means),
        customer=_party(
            reader, reader.find(root, "cac:AccountingCustomerParty/cac:Party")
        ),
        invoice_number=reader.text(root, "cbc:ID"),
        issue_date=reader.iso_date(root, "cbc:IssueDate"),
        due_date=_due_date(reader, root, payment_means),
        currency=reader.text(root, "cbc:DocumentCurrencyCode"),
        po_reference=reader.text(root, "cac:OrderReference/cbc:ID"),
        payment_reference=reader.first_text(payment_means, "cbc:PaymentID"),
        lines=[_line(reader, line) for line in lines],
    )
    _read_vat(reader, root, result)
    monetary_total = reader.find(root, "cac:LegalMonetaryTotal")
    result.total_net = reader.decimal(monetary_total, "cbc:TaxExclusiveAmount")
    result.total_gross = reader.decimal(monetary_total, "cbc:TaxInclusiveAmount")
    result.amount_due = reader.decimal(monetary_total, "cbc:PayableAmount")

    totals = StatedTotals(
        line_nets=[line.net_amount for line in result.lines],
        line_total=reader.decimal(monetary_total, "cbc:LineExtensionAmount"),
        allowance_total=reader.decimal(monetary_total, "cbc:AllowanceTotalAmount"),
        charge_total=reader.decimal(monetary_total, "cbc:ChargeTotalAmount"),
        prepaid_amount=reader.decimal(monetary_total, "cbc:PrepaidAmount"),
        rounding_amount=reader.decimal(monetary_total, "cbc:PayableRoundingAmount"),
    )
    return complete_result(result, totals, reader.warnings)


def _read_vat(
    reader: FieldReader, root: etree._Element, result: ExtractionResult
) -> None:
    """Set the VAT total and breakdown from the TaxTotal in document currency.

    A second TaxTotal, with the VAT amount alone, states it in the VAT
    accounting currency (BT-111).
    """
    tax_total = reader.pick_in_currency(
        reader.findall(root, "cac:TaxTotal"), result.currency, "cbc:TaxAmount"
    )
    result.total_vat = reader.amount_in_currency(
        tax_total, "cbc:TaxAmount", result.currency
    )
    result.vat_breakdown = [
        _vat_breakdown(reader, subtotal)
        for subtotal in reader.findall(tax_total, "cac:TaxSubtotal")
    ]


def _document_type(reader: FieldReader, root: etree._Element) -> DocumentType:
    if root.tag == f"{{{CREDIT_NOTE_NAMESPACE}}}CreditNote":
        return DocumentType.CREDIT_NOTE
    return document_type_for_code(reader.text(root, "cbc:InvoiceTypeCode"))


def _due_date(
    reader: FieldReader, root: etree._Element, payment_means: list[etree._Element]
) -> date | None:
    """Return the payment due date (BT-9).

    An Invoice states it in cbc:DueDate. A CreditNote, and UBL written to
    older guidelines, states it per payment means or in the payment terms.
    """
    due_date = reader.iso_date(root, "cbc:DueDate")
    for parent in [*payment_means, *reader.findall(root, "cac:PaymentTerms")]:
        if due_date is not None:
            break
        due_date = reader.iso_date(parent, "cbc:PaymentDueDate")
    return due_date


def _supplier(
    reader: FieldReader, root: etree._Element, payment_means: list[etree._Element]
) -> PartyFields:
    supplier = _party(
        reader, reader.find(root, "cac:AccountingSupplierParty/cac:Party")
    )
    accounts = [
        account
        for means in payment_means
        for account in reader.findall(means, "cac:PayeeFinancialAccount")
    ]
    supplier.iban = reader.iban(reader.first_text(accounts, "cbc:ID"))
    # UBL 2.1 puts the BIC on the branch, UBL 2.0 on the institution.
    supplier.bic = reader.first_text(
        accounts, "cac:FinancialInstitutionBranch/cbc:ID"
    ) or reader.first_text(
        accounts, "cac:FinancialInstitutionBranch/cac:FinancialInstitution/cbc:ID"
    )
    return supplier


def _party(reader: FieldReader, party: etree._Element | None) -> PartyFields:
    """Read name, VAT number, registration number and country of a party.

    The legal name (BT-27) wins over the trading name (BT-28). The
    registration number is the KvK number when one is given with scheme 0106,
    otherwise the legal registration identifier (BT-30) in any scheme.
    """
    return PartyFields(
        name=reader.text(party, "cac:PartyLegalEntity/cbc:RegistrationName")
        or reader.text(party, "cac:PartyName/cbc:Name"),
        vat_number=_vat_number(reader, party),
        coc_number=_registration_number(reader, party),
        country=reader.text(
            party, "cac:PostalAddress/cac:Country/cbc:IdentificationCode"
        ),
    )


def _vat_number(reader: FieldReader, party: etree._Element | None) -> str | None:
    """Return the CompanyID of the party's VAT scheme (BT-31, BT-48).

    A PartyTaxScheme without a scheme ID counts as VAT. A party can also list
    a national tax registration under scheme "TAX" (BT-32), which is not a
    VAT number.
    """
    for tax_scheme in reader.findall(party, "cac:PartyTaxScheme"):
        scheme_id = reader.text(tax_scheme, "cac:TaxScheme/cbc:ID")
        if scheme_id is None or scheme_id.upper() == "VAT":
            company_id = reader.text(tax_scheme, "cbc:CompanyID")
            if company_id is not None:
                return company_id
    return None


def _registration_number(
    reader: FieldReader, party: etree._Element | None
) -> str | None:
    candidates = [
        *reader.findall(party, "cac:PartyLegalEntity/cbc:CompanyID"),
        *reader.findall(party, "cac:PartyIdentification/cbc:ID"),
    ]
    for candidate in candidates:
        if candidate.get("schemeID") == KVK_SCHEME_ID and candidate.text:
            return candidate.text.strip()
    return reader.text(party, "cac:PartyLegalEntity/cbc:CompanyID")


def _vat_breakdown(reader: FieldReader, subtotal: etree._Element) -> VatBreakdownFields:
    rate = reader.decimal(subtotal, "cac:TaxCategory/cbc:Percent")
    if rate is None:
        rate = reader.decimal(subtotal, "cbc:Percent")
    return VatBreakdownFields(
        rate=rate,
        base=reader.decimal(subtotal, "cbc:TaxableAmount"),
        amount=reader.decimal(subtotal, "cbc:TaxAmount"),
        category=reader.text(subtotal, "cac:TaxCategory/cbc:ID"),
    )


def _line(reader: FieldReader, line: etree._Element) -> LineFields:
    quantity: Decimal | None = reader.decimal(line, "cbc:InvoicedQuantity")
    if quantity is None:
        quantity = reader.decimal(line, "cbc:CreditedQuantity")
    return LineFields(
        description=reader.text(line, "cac:Item/cbc:Name")
        or reader.text(line, "cac:Item/cbc:Description"),
        quantity=quantity,
        unit_price=unit_price(
            reader.decimal(line, "cac:Price/cbc:PriceAmount"),
            reader.decimal(line, "cac:Price/cbc:BaseQuantity"),
        ),
        net_amount=reader.decimal(line, "cbc:LineExtensionAmount"),
        vat_rate=reader.decimal(line, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent"),
    )
