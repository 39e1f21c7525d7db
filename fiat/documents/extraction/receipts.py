"""Receipts for expense claims: merchant, date, total, VAT and payment method.

A receipt is read like an invoice (``fields``), then the receipt's own
conventions refine it. The merchant is printed at the top rather than beside
a VAT number. The total is the one that the cash handed over minus the
change given back equals, else that paid amount when the receipt prints it
elsewhere (an item's sum, a total whose label OCR misread), else the one
computed as the subtotal plus tax at the printed rate (plus rounding) when
the payment or a printed total with one misread digit agrees, else the one
rounded for cash payment (on the 5-cent step when a rounding line is
printed), else the largest amount after a total label, else the payment
alone when no total label has an amount. An OCR reading that finds no date,
or no total that the payment confirms, is followed by a second reading of
the page in black and white (``ocr``), and each of the two fields is taken
from the more confident reading. The payment method is "card" (pin,
Maestro, V PAY, Visa, Mastercard, credit card...) or "cash" (contant, Bar,
espèces...) when the receipt prints one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from fiat.documents.extraction.context import DocumentContext
from fiat.documents.extraction.dates import detect_day_first, find_dates
from fiat.documents.extraction.fields import CONFIDENCE_FALLBACK_DATE, read_fields
from fiat.documents.extraction.labels import Label, find_labels
from fiat.documents.extraction.layout import Line, Word, build_lines
from fiat.documents.extraction.ocr import read_ocr_words
from fiat.documents.extraction.ocr_repair import repair_ocr_words
from fiat.documents.extraction.pairing import LabelHit, find_label_hits
from fiat.documents.extraction.pdftext import has_text_layer, read_pdf_words
from fiat.documents.extraction.result import DocumentType, ExtractionResult, Source

_CARD = (
    r"pin(?:betaling|nen)?|maestro|v\s?pay|visa|master\s?card|amex|american\s+express"
    r"|debit(?:\s+card)?|credit\s*card|creditcard|betaalkaart|bankkaart|card|kaart"
    r"|contactless|girocard|ec[\s-]?karte|karte|carte(?:\s+bancaire|\s+bleue)?|cb"
    r"|bancontact|apple\s+pay|google\s+pay"
)
_CASH = r"contant(?:en)?|cash|bar(?:geld|zahlung)?|esp[èe]ces|tunai"
_PAID_WITH = (
    r"betaald\s+met|betaalwijze|paid\s+(?:by|with)|payment(?:\s+method)?\s*:"
    r"|bezahlt\s+mit|zahlungsart|pay[ée]\s+par|mode\s+de\s+(?:paiement|r[èe]glement)"
)
_METHOD_AT_START = re.compile(rf"^(?:(?P<card>{_CARD})|(?P<cash>{_CASH}))(?!\w)", re.I)
_METHOD_AFTER_PHRASE = re.compile(
    rf"(?:{_PAID_WITH})\s*(?:(?P<card>{_CARD})|(?P<cash>{_CASH}))(?!\w)", re.I
)
_PAYMENT_AT_START = re.compile(r"^(?:amount\s+)?(?:paid|payment)(?!\w)", re.I)
_MASKED_CARD_NUMBER = re.compile(r"[*xX]{4}")
_MERCHANT_LEGAL_FORM = re.compile(
    r"(?<!\w)(?:B\.?V\.?|N\.?V\.?|GmbH|AG|SAS|SARL|Ltd\.?|Inc\.?|LLC|Sdn\.?\s*Bhd\.?"
    r"|Bhd\.?|Enterprise|Trading)(?!\w)",
    re.IGNORECASE,
)
# The merchant's name is looked for in this many lines at the top.
_MERCHANT_LINES = 6
CONFIDENCE_MERCHANT = 0.5
CONFIDENCE_TOTAL_BY_CHANGE = 0.95
CONFIDENCE_TOTAL_PAID_PRINTED = 0.85
CONFIDENCE_DATE_REPEATED = 0.8
CONFIDENCE_DATE_WITH_TIME = 0.5
CONFIDENCE_DATE_COMPACT = 0.25
CONFIDENCE_TOTAL_ROUNDED = 0.85
CONFIDENCE_TOTAL_LAST = 0.7
CONFIDENCE_TOTAL_CARD_ONLY = 0.6
CONFIDENCE_TOTAL_PAID_ONLY = 0.5
CONFIDENCE_TOTAL_BY_TAX_RATE = 0.9
# A receipt's "Net Total" or "Net Amt" is the total to pay, after discounts
# and rounding, unlike an invoice's net total before VAT.
_RECEIPT_NET_TOTAL = re.compile(r"^net+(?:\s+(?:total|amt|amount))?$", re.IGNORECASE)
_RECEIPT_NET_TOTAL_SCORE = 0.9
# The rate printed on a tax line ("GST 6%", "SR (@ 6%)", "VAT 21%"), or in
# the rate column of a tax summary row before its base ("SR 6 95.17 5.71").
_TAX_RATE = re.compile(
    r"(?<![^\W\d_])(?:GST|SST|VAT|BTW|TVA|MwSt|SR)\W{0,4}"
    r"(\d{1,2}(?:[.,]\d{1,2})?)(?:\s*%|\s+(?=\d+[.,]\d{2}(?!\d)))",
    re.IGNORECASE,
)
_CENT = Decimal("0.01")
# A time of day right after a date ("19-09-17 15:39") marks the sale's date.
_TIME_AFTER = re.compile(r"^\s+\d{1,2}[:.]\d{2}(?!\d)")
# A date printed without separators, day first ("27032018").
_COMPACT_DATE = re.compile(r"(?<![\w.,/-])(\d{2})(\d{2})(20\d{2})(?![\w/-])")
# Cash totals are rounded to this step (5 cents in the Netherlands, 5 sen in
# Malaysia), so a total on the step needs no rounding line added.
_CASH_ROUNDING_STEP = Decimal("0.05")


@dataclass(frozen=True)
class _Total:
    value: Decimal
    score: float
    line_index: int
    rounded: bool


def read_receipt(path: str | Path) -> ExtractionResult:
    """Read a receipt from a PDF (text layer, else OCR) or an image by OCR."""
    words: list[Word] = []
    with Path(path).open("rb") as file:
        is_pdf = file.read(5) == b"%PDF-"
    if is_pdf:
        words = read_pdf_words(path)
    if has_text_layer(words):
        return read_receipt_words(words, file=str(path), source=Source.PDF_TEXT)
    result = read_receipt_words(read_ocr_words(path), file=str(path), source=Source.OCR)
    if _needs_second_reading(result):
        second = read_receipt_words(
            read_ocr_words(path, binarise=True), file=str(path), source=Source.OCR
        )
        _take_better_fields(result, second)
    return result


def _needs_second_reading(result: ExtractionResult) -> bool:
    """Return whether an OCR reading lacks a date or a payment-confirmed total."""
    total_confidence = result.confidence.get("total_gross", 0.0)
    return result.issue_date is None or total_confidence < CONFIDENCE_TOTAL_BY_CHANGE


def _take_better_fields(result: ExtractionResult, second: ExtractionResult) -> None:
    """Take the total and the date of ``second`` where it is more confident."""
    if second.total_gross is not None and _confidence(second, "total_gross") > (
        _confidence(result, "total_gross")
    ):
        _set_total(result, second.total_gross, second.confidence["total_gross"])
    if second.issue_date is not None and _confidence(second, "issue_date") > (
        _confidence(result, "issue_date")
    ):
        result.issue_date = second.issue_date
        result.confidence["issue_date"] = second.confidence["issue_date"]


def _confidence(result: ExtractionResult, name: str) -> float:
    if getattr(result, name) is None:
        return -1.0
    return result.confidence.get(name, 0.0)


def read_receipt_words(
    words: list[Word], *, file: str, source: Source
) -> ExtractionResult:
    """Read receipt fields from positioned words (text layer or OCR)."""
    if source == Source.OCR:
        words = repair_ocr_words(words)
    result = read_fields(words, file=file, source=source)
    result.document_type = DocumentType.RECEIPT
    lines = build_lines(words)
    texts = [line.text for line in lines]
    context = DocumentContext(
        lines=lines,
        day_first=detect_day_first(texts),
        # OCR of a till receipt often reads "30.90" as "30,90", so both marks
        # count as decimal marks before two digits, whatever the majority.
        decimal_separator=None,
    )
    hits = find_label_hits(lines)
    _apply_total(result, hits, context)
    _apply_date_with_time(result, context)
    _apply_repeated_date(result, context)
    _apply_year_from_reference(result, context)
    if result.issue_date is None:
        _apply_compact_date(result, context)
    merchant = _merchant(lines)
    if merchant is not None:
        result.supplier.name = merchant
        result.confidence["supplier.name"] = CONFIDENCE_MERCHANT
    result.payment_method = payment_method(lines)
    return result


def _apply_repeated_date(result: ExtractionResult, context: DocumentContext) -> None:
    """Take the date printed most often when the chosen one is printed once.

    A till receipt repeats its date (at the top, beside the payment, in the
    footer), and OCR misreads a digit of one of them ("14/06/2019" for
    "14/08/2019"), so the majority is the likelier reading.
    """
    counts = Counter(day for line in context.lines for day in context.dates(line.text))
    if not counts:
        return
    repeated, count = counts.most_common(1)[0]
    if count >= 2 and counts[result.issue_date] < count:
        result.issue_date = repeated
        result.confidence["issue_date"] = CONFIDENCE_DATE_REPEATED


def _apply_date_with_time(result: ExtractionResult, context: DocumentContext) -> None:
    """Take the first date printed with a time of day over an unlabelled date.

    A date found by no label may be part of a product code ("HD03-04-06"),
    while the till prints the sale's date with its time ("19-09-17 15:39").
    """
    if result.issue_date is not None and _confidence(result, "issue_date") > (
        CONFIDENCE_FALLBACK_DATE
    ):
        return
    for line in context.lines:
        for match in find_dates(line.text, day_first=context.day_first):
            if _TIME_AFTER.match(line.text[match.end :]):
                result.issue_date = match.value
                result.confidence["issue_date"] = CONFIDENCE_DATE_WITH_TIME
                return


def _apply_year_from_reference(
    result: ExtractionResult, context: DocumentContext
) -> None:
    """Correct a misread digit of the date's year from a reference number.

    Tills often build the receipt number from the date ("OR18031202170432"
    for 12 Mar 2018). When the digits of the date with a year one digit away
    are printed, and the digits with the read year are not, the year was
    misread ("2013" for "2018").
    """
    value = result.issue_date
    if value is None or (value.month, value.day) == (2, 29):
        # Another year may have no 29 February.
        return
    runs = [run for line in context.lines for run in re.findall(r"\d{6,}", line.text)]
    if _printed_compact(value, runs):
        return
    latest_year = datetime.now(UTC).year + 1
    found = [
        value.replace(year=year)
        for year in range(2000, latest_year + 1)
        if _one_digit_apart(year, value.year)
        and _printed_compact(value.replace(year=year), runs)
    ]
    if len(found) == 1:
        result.issue_date = found[0]


def _printed_compact(value: date, runs: list[str]) -> bool:
    """Return whether a run of digits contains ``value`` as YYYYMMDD or YYMMDD."""
    forms = (value.strftime("%Y%m%d"), value.strftime("%y%m%d"))
    return any(form in run for run in runs for form in forms)


def _one_digit_apart(first: int, second: int) -> bool:
    pairs = zip(f"{first:04d}", f"{second:04d}", strict=True)
    return sum(a != b for a, b in pairs) == 1


def _apply_compact_date(result: ExtractionResult, context: DocumentContext) -> None:
    """Take a date printed as eight digits, day first, when no other is found.

    Only a valid date that is not after the next calendar year counts, so
    most phone and account numbers do not.
    """
    latest_year = datetime.now(UTC).year + 1
    for line in context.lines:
        for match in _COMPACT_DATE.finditer(line.text):
            day, month, year = (int(part) for part in match.groups())
            if year > latest_year:
                continue
            try:
                value = date(year, month, day)
            except ValueError:
                continue
            result.issue_date = value
            result.confidence["issue_date"] = CONFIDENCE_DATE_COMPACT
            return


def payment_method(lines: list[Line]) -> str | None:
    """Return "card" or "cash" when the receipt prints how it was paid.

    A payment word counts at the start of a line with an amount or a masked
    card number ("PIN  € 12,50", "VISA **** 1234"), or after a phrase such
    as "betaald met" or "paid by". Words elsewhere ("No cash refund", an
    item called "privilege card") do not count.
    """
    for line in lines:
        text = line.text
        match = _METHOD_AFTER_PHRASE.search(text)
        start_match = _METHOD_AT_START.match(text)
        if match is None and start_match is not None and _has_payment_detail(text):
            match = start_match
        if match is not None:
            return "card" if match["card"] else "cash"
    return None


def _has_payment_detail(text: str) -> bool:
    return bool(_MASKED_CARD_NUMBER.search(text) or re.search(r"\d[.,]\d{2}", text))


def _apply_total(
    result: ExtractionResult, hits: list[LabelHit], context: DocumentContext
) -> None:
    totals = _total_candidates(hits, context)
    paid = _amount_paid(hits, context)
    if not totals:
        if paid is not None and _printed_elsewhere(paid, context):
            _set_total(result, paid.value, CONFIDENCE_TOTAL_PAID_PRINTED)
        elif paid is not None and paid.by_card:
            # A card is charged the total exactly.
            _set_total(result, paid.value, CONFIDENCE_TOTAL_CARD_ONLY)
        elif (
            paid is not None
            and len(paid.line_indexes) == 2
            and result.total_gross is None
        ):
            # The total's label or amount was lost to OCR, and cash minus
            # change, from two lines, is the only trace of it left.
            _set_total(result, paid.value, CONFIDENCE_TOTAL_PAID_ONLY)
        return
    if paid is not None:
        confirmed = [total for total in totals if total.value == paid.value]
        if confirmed:
            _set_total(result, confirmed[-1].value, CONFIDENCE_TOTAL_BY_CHANGE)
            return
        if _printed_elsewhere(paid, context):
            _set_total(result, paid.value, CONFIDENCE_TOTAL_PAID_PRINTED)
            return
    expected = _total_from_tax_rate(hits, context)
    if expected is not None and _confirms(expected, totals, paid):
        _set_total(result, expected, CONFIDENCE_TOTAL_BY_TAX_RATE)
        return
    rounded = [total for total in totals if total.rounded]
    if rounded:
        _set_total(result, rounded[-1].value, CONFIDENCE_TOTAL_ROUNDED)
        return
    # Other totals on a receipt are parts of the one paid: a VAT summary's
    # total, a total before a service charge. Subtotals are net labels and
    # not among the candidates.
    best = max(totals, key=lambda total: (total.score, total.value))
    if result.confidence.get("total_gross", 0) < CONFIDENCE_TOTAL_LAST:
        _set_total(result, best.value, CONFIDENCE_TOTAL_LAST * best.score)


def _total_from_tax_rate(
    hits: list[LabelHit], context: DocumentContext
) -> Decimal | None:
    """Return the subtotal plus tax at the printed rate plus any rounding.

    Only a subtotal labelled as such counts, and only when the receipt
    prints a single tax rate.
    """
    rates = {
        Decimal(match[1].replace(",", "."))
        for line in context.lines
        for match in _TAX_RATE.finditer(line.text)
    }
    rates.discard(Decimal(0))
    subtotal = _subtotal(hits, context)
    if len(rates) != 1 or subtotal is None:
        return None
    tax = (subtotal * rates.pop() / 100).quantize(_CENT, rounding=ROUND_HALF_UP)
    rounding = _labelled_amount(hits, context, Label.ROUNDING) or Decimal(0)
    return subtotal + tax + rounding


def _subtotal(hits: list[LabelHit], context: DocumentContext) -> Decimal | None:
    """Return the first amount before tax, leaving out a receipt's "Net Total"."""
    for hit in hits:
        if hit.label != Label.TOTAL_NET or _RECEIPT_NET_TOTAL.match(hit.label_text):
            continue
        value = _first_region_amount(hit, context)
        if value is not None:
            return value if _has_cents(value) else None
    return None


def _confirms(expected: Decimal, totals: list[_Total], paid: _Paid | None) -> bool:
    """Return whether a second reading agrees with the computed total.

    The payment agrees when it equals the computed total. A printed total
    agrees when it equals it or differs in one digit that OCR misread, but
    not in the last digit, because a rounding line that OCR missed changes
    that digit too.
    """
    if paid is not None and paid.value == expected:
        return True
    return any(_one_digit_misread(total.value, expected) for total in totals)


def _one_digit_misread(printed: Decimal, expected: Decimal) -> bool:
    printed_text, expected_text = f"{printed:.2f}", f"{expected:.2f}"
    if len(printed_text) != len(expected_text):
        return False
    differences = [
        index
        for index, (first, second) in enumerate(
            zip(printed_text, expected_text, strict=True)
        )
        if first != second
    ]
    if not differences:
        return True
    return len(differences) == 1 and differences[0] < len(expected_text) - 1


@dataclass(frozen=True)
class _Paid:
    value: Decimal
    by_card: bool
    # The lines of the cash, change or card payment that gave the value.
    line_indexes: frozenset[int]


def _printed_elsewhere(paid: _Paid, context: DocumentContext) -> bool:
    """Return whether the amount paid is printed apart from the payment lines.

    The sum of an item line, or a total whose label OCR misread ("Nett
    Tota1"), confirms a paid amount that no total label does.
    """
    return any(
        match.value == paid.value
        for index, line in enumerate(context.lines)
        if index not in paid.line_indexes
        for match in context.amounts(line.text)
    )


def _amount_paid(hits: list[LabelHit], context: DocumentContext) -> _Paid | None:
    """Return what the customer paid: cash handed over minus change, or by card.

    Cash handed over without a change line counts as paid exactly.
    """
    tendered = _labelled_hit_amount(hits, context, Label.TENDERED)
    if tendered is None:
        tendered = _payment_line_amount(context)
    change = _labelled_hit_amount(hits, context, Label.CHANGE)
    if tendered is not None and _has_cents(tendered[0]):
        change_value = abs(change[0]) if change else Decimal(0)
        indexes = {tendered[1], change[1]} if change else {tendered[1]}
        return _Paid(
            tendered[0] - change_value, by_card=False, line_indexes=frozenset(indexes)
        )
    for index, line in enumerate(context.lines):
        match = _METHOD_AT_START.match(line.text)
        if match is None or not match["card"]:
            continue
        amounts = context.amounts(line.text)
        if amounts and _has_cents(amounts[-1].value):
            return _Paid(
                abs(amounts[-1].value), by_card=True, line_indexes=frozenset({index})
            )
    return None


def _payment_line_amount(context: DocumentContext) -> tuple[Decimal, int] | None:
    """Return the amount of a line that starts "Paid" or "Payment", and its index.

    Such a line gives the amount handed over when no cash label does
    ("Paid RM4.00", "Payment 6.00").
    """
    for index, line in enumerate(context.lines):
        if _PAYMENT_AT_START.match(line.text):
            amounts = context.amounts(line.text)
            if amounts:
                return amounts[-1].value, index
    return None


def _has_cents(value: Decimal) -> bool:
    # OCR drops the decimal mark ("RM 85 54"), leaving a whole number that
    # must not confirm a total.
    return value.as_tuple().exponent < 0


def _set_total(result: ExtractionResult, value: Decimal, confidence: float) -> None:
    if result.total_gross != value:
        # The invoice logic chose other totals; their net and VAT no longer fit.
        result.total_net = None
        result.confidence.pop("total_net", None)
    if result.amount_due == result.total_gross:
        # The amount due was the gross total for lack of a label of its own.
        result.amount_due = value
    result.total_gross = value
    result.confidence["total_gross"] = round(confidence, 2)


def _total_candidates(hits: list[LabelHit], context: DocumentContext) -> list[_Total]:
    totals = []
    rounding = _labelled_amount(hits, context, Label.ROUNDING)
    for hit in hits:
        strength = hit.strength
        if hit.label == Label.TOTAL_NET and _RECEIPT_NET_TOTAL.match(hit.label_text):
            strength = _RECEIPT_NET_TOTAL_SCORE
        elif hit.label not in (Label.TOTAL_GROSS, Label.AMOUNT_DUE):
            continue
        value = _first_region_amount(hit, context)
        if value is None or _is_summary_row(hit, context):
            continue
        on_step = not value % _CASH_ROUNDING_STEP
        # With a rounding adjustment printed, the total after rounding is
        # the one on the step, whatever its label.
        is_rounded = "round" in hit.label_text.lower() or bool(rounding and on_step)
        totals.append(_Total(value, strength, hit.line_index, is_rounded))
        if rounding and not is_rounded and not on_step:
            rounded = value + rounding
            if not rounded % _CASH_ROUNDING_STEP:
                totals.append(
                    _Total(rounded, strength * 0.8, hit.line_index, rounded=True)
                )
    return sorted(totals, key=lambda total: total.line_index)


def _is_summary_row(hit: LabelHit, context: DocumentContext) -> bool:
    """Return whether a total label starts a table's sums row ("Total 42.40 2.54").

    A tax summary's last row gives the sum of the bases and of the tax, two
    or more amounts of which none is the total paid.
    """
    text = " ".join(region.text for region in hit.regions if region.placement >= 0.9)
    cents = [match for match in context.amounts(text) if _has_cents(match.value)]
    return len(cents) >= 2


def _labelled_amount(
    hits: list[LabelHit], context: DocumentContext, label: Label
) -> Decimal | None:
    found = _labelled_hit_amount(hits, context, label)
    return found[0] if found else None


def _labelled_hit_amount(
    hits: list[LabelHit], context: DocumentContext, label: Label
) -> tuple[Decimal, int] | None:
    """Return the first amount labelled ``label`` and the index of its line."""
    for hit in hits:
        if hit.label == label:
            value = _first_region_amount(hit, context)
            if value is not None:
                return value, hit.line_index
    return None


def _first_region_amount(hit: LabelHit, context: DocumentContext) -> Decimal | None:
    text = " ".join(region.text for region in hit.regions if region.placement >= 0.9)
    amounts = context.amounts(text)
    return amounts[-1].value if amounts else None


def _merchant(lines: list[Line]) -> str | None:
    """Return the merchant's name from the top lines of the receipt."""
    best: tuple[int, int, str] | None = None
    for index, line in enumerate(lines[:_MERCHANT_LINES]):
        text = line.text.strip(" -*.")
        score = _merchant_score(text)
        if score > 0 and (best is None or score > best[0]):
            best = (score, -index, text)
    return best[2] if best else None


def _merchant_score(text: str) -> int:
    letters = [character for character in text if character.isalpha()]
    if len(letters) < 3 or find_labels(text):
        return 0
    score = 1
    if _MERCHANT_LEGAL_FORM.search(text):
        score += 2
    if all(character.isupper() for character in letters) or text.istitle():
        score += 1
    if any(character.isdigit() for character in text):
        # Addresses, phone and registration numbers.
        score -= 1
    return score
