"""Labels that invoices print before their values, in nl, en, de and fr.

Each label kind maps to regular expressions, matched case-insensitively on
whole words. Where labels overlap the longest wins, so "Total HT" is a net
total and not "Total", "BTW-nummer" a VAT number and not a VAT amount, and
"Subtotaal" never matches "totaal". Some labels are weak: a bare "Invoice",
"Datum" or "Subtotal" often names something else, so a value found through
one gets a lower confidence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum


class Label(StrEnum):
    INVOICE_NUMBER = "invoice_number"
    ISSUE_DATE = "issue_date"
    DUE_DATE = "due_date"
    TOTAL_GROSS = "total_gross"
    TOTAL_NET = "total_net"
    TOTAL_VAT = "total_vat"
    AMOUNT_DUE = "amount_due"
    IBAN = "iban"
    BIC = "bic"
    COC_NUMBER = "coc_number"
    VAT_NUMBER = "vat_number"
    PO_REFERENCE = "po_reference"
    PAYMENT_REFERENCE = "payment_reference"
    # Receipts: the cash handed over, the change given back and the rounding
    # of a cash total to the nearest 5 cents.
    TENDERED = "tendered"
    CHANGE = "change"
    ROUNDING = "rounding"
    # Labels recognised only so that their values are not taken for another
    # field's ("Klantnummer", "Orderdatum", "Seite").
    OTHER = "other"


# "incl. VAT", "Including GST", "inclusive of tax", and the same with "excl.".
_TAXES = r"(?:vat|tax|gst|btw|mwst\.?|ust\.?|usts?t\.?|umsatzsteuer)"
_INCLUDING = rf"(?:incl|inkl)(?:\.|udes?|uding|usive)?(?:\s+of)?\s*{_TAXES}"
_EXCLUDING = rf"(?:excl|exkl)(?:\.|uding|usive)?(?:\s+of)?\s*{_TAXES}"
# German invoices print "Rechnungssumme" (invoice sum) before net and gross.
_INVOICE_SUM = r"(?:rechnungs\s*-?\s*summe|gesamt\s*summe|summe)"

# Each entry: (pattern, strength). Strength 1.0 is a label that names the
# field unambiguously. Lower values are common words that often do.
_PATTERNS: dict[Label, list[tuple[str, float]]] = {
    Label.INVOICE_NUMBER: [
        (r"factuur\s*(?:nummer|nr\.?|no\.?)", 1.0),
        (r"factuurnr\.?", 1.0),
        (r"invoice\s*(?:number|no\.?|nr\.?|num\.?|#|id)", 1.0),
        (r"rechnungs?\s*-?\s*(?:nummer|nr\.?|no\.?)", 1.0),
        # "Handelsrechnung (380) Nr. 471102", "Rechnungskorrektur Nr. RK21",
        # "Rechnung # RE-2017": the word for invoice may be compounded.
        (
            (
                r"(?:handels|schluss|teil|abschlags|gesamt)?rechnung(?:skorrektur)?"
                r"\s*(?:\(\d{3}\)\s*)?(?:nr\.?|nummer|#)"
            ),
            1.0,
        ),
        (r"beleg\s*-?\s*(?:nummer|nr\.?)", 0.9),
        (r"num[ée]ro\s+de\s+(?:la\s+)?facture", 1.0),
        (r"n[°º]\s*(?:de\s+)?facture", 1.0),
        (r"facture\s*(?:n[°ºo]\.?|num[ée]ro|#)", 1.0),
        (r"(?:creditnota|creditfactuur)\s*(?:nummer|nr\.?)?", 0.8),
        (r"credit\s*note\s*(?:number|no\.?|#)?", 0.8),
        (r"gutschrift(?:s\s*-?\s*(?:nummer|nr\.?))?", 0.6),
        (r"avoir(?:\s*n[°º])?", 0.8),
        (r"factuur|invoice|rechnung|facture|bill\s+no\.?|receipt\s+no\.?", 0.4),
        # A payment receipt's only reference ("Booking ID IBZY2087").
        (r"booking\s+(?:id|number|no\.?|reference)", 0.4),
    ],
    Label.ISSUE_DATE: [
        (r"factuur\s*-?\s*datum", 1.0),
        (r"invoice\s+date|date\s+of\s+invoice|date\s+of\s+issue|issue\s+date", 1.0),
        (r"rechnungs\s*-?\s*datum|datum\s+der\s+rechnung", 1.0),
        (r"date\s+de\s+(?:la\s+)?facture|date\s+d['\u2019][ée]mission", 1.0),
        (r"creditnota\s*datum|gutschriftsdatum|date\s+de\s+l['\u2019]avoir", 1.0),
        (r"beleg\s*-\s*datum|ausstellungs\s*datum|issued\s+(?:at|on)", 1.0),
        (r"datum|date|dated|belegdatum", 0.5),
    ],
    Label.DUE_DATE: [
        (r"verval\s*datum|vervaldag|uiterste\s+betaal\s*datum", 1.0),
        (r"te\s+betalen\s+v[oó][oó]r|betalen\s+v[oó][oó]r", 1.0),
        (r"due\s+date|payment\s+due(?:\s+date)?|due\s+on|pay\s+by", 1.0),
        (r"f[äa]llig(?:keitsdatum|\s+am|\s+bis)?|zahlungsziel|zahlbar\s+bis", 1.0),
        (r"f[äa]lligkeit(?:stag|sdatum)?(?:\s+am)?", 1.0),
        # "Zahlbar innerhalb 30 Tagen netto bis 04.04.2013", "Zahlbar ohne
        # Abschlag bis", "Bitte überweisen Sie bis zum 24.07.2014".
        (
            (
                r"zahlbar\s+(?:innerhalb\s+\d+\s+tagen\s+)?(?:netto|rein|sofort"
                r"|ohne\s+(?:abzug|abschlag))\s+bis(?:\s+(?:zum|sp[äa]testens))?"
            ),
            1.0,
        ),
        (r"[üu]berweisen\s+sie\s+bis(?:\s+zum)?", 1.0),
        (r"(?:please\s+)?remit\s+(?:until|by|before)|payable\s+(?:until|by)", 1.0),
        (r"date\s+d['\u2019][ée]ch[ée]ance|[ée]ch[ée]ance", 1.0),
        (r"date\s+limite\s+de\s+paiement|[àa]\s+payer\s+avant\s+le", 1.0),
    ],
    Label.TOTAL_GROSS: [
        (r"totaal\s*bedrag|totaal|factuur\s*totaal|factuur\s*bedrag", 1.0),
        (r"totaal\s+incl(?:\.|usief)?\s*btw|incl(?:\.|usief)?\s*btw", 1.0),
        (r"grand\s+total|invoice\s+total|total\s+amount|total|nett\s+total", 1.0),
        (r"round(?:ed)?\s+total|total\s+rounded|total\s+after\s+rounding", 1.0),
        (rf"total(?:\s+sales)?\s*\(?{_INCLUDING}\)?", 1.0),
        (rf"\(?{_INCLUDING}\)?", 0.7),
        (r"gesamt\s*betrag|gesamt\s*summe|rechnungs\s*betrag|end\s*betrag", 1.0),
        (r"brutto\s*betrag|summe\s+brutto|gesamt\s+brutto|inkl\.?\s*mwst\.?", 1.0),
        (r"total\s+ttc|montant\s+(?:eur\s+)?ttc|total\s+facture|ttc", 1.0),
        (rf"{_INVOICE_SUM}\s+brutto|br\s?utto\s*summe|due\s+payable", 1.0),
        (rf"{_INVOICE_SUM}\s*\(?{_INCLUDING}\.?\)?", 1.0),
        (r"rechnungs\s*beitrag", 1.0),
        (r"summe|gesamt|somme", 0.5),
    ],
    Label.TOTAL_NET: [
        (r"sub\s*-?\s*tota(?:a)?l|zwischen\s*summe|sous\s*-?\s*total", 0.6),
        (r"(?:totaal\s+|bedrag\s+)?excl(?:\.|usief)?\s*btw", 1.0),
        (r"net\s+amount|net\s+total|total\s+net|total\s+before\s+tax", 1.0),
        (rf"(?:total(?:\s+sales)?\s*)?\(?{_EXCLUDING}\)?", 1.0),
        (r"netto\s*betrag|netto\s*summe|summe\s+netto|gesamt\s+netto|netto", 1.0),
        (r"net\s+amt|net", 0.5),
        (r"ohne\s+mwst\.?", 0.8),
        (rf"{_INVOICE_SUM}\s+(?:netto|ohne\s+{_TAXES})", 1.0),
        (rf"{_INVOICE_SUM}\s*\(?{_EXCLUDING}\.?\)?", 1.0),
        (r"total\s+ht|montant\s+(?:eur\s+)?ht|hors\s+taxes?|ht", 1.0),
        (r"grondslag|basis|base\s+ht|montant\s+net", 0.6),
    ],
    Label.TOTAL_VAT: [
        (r"btw(?:\s*-?\s*bedrag)?|omzetbelasting", 1.0),
        (r"vat(?:\s+amount)?|sales\s+tax|tax(?:\s+amount)?|gst|sst", 1.0),
        (r"mwst\.?|ust\.?|umsatzsteuer|mehrwertsteuer|steuer(?:betrag)?", 1.0),
        (r"tva|montant\s+(?:de\s+la\s+)?tva|total\s+tva", 1.0),
        (r"summe\s+(?:umsatzsteuer|mwst\.?|ust\.?)|(?:ust|mwst)\.?\s+gesamt", 1.0),
        (r"vat\s+total|tax\s+total|total\s+(?:vat|tax)|taxes", 1.0),
        (r"versicherungs?steuer", 0.9),
    ],
    Label.AMOUNT_DUE: [
        (r"(?:totaal\s+|nog\s+)?te\s+betalen|openstaand(?:\s+bedrag)?", 1.0),
        (r"(?:total\s+)?amount\s+due|balance\s+due|total\s+due", 1.0),
        (r"amount\s+payable|amount\s+to\s+pay|balance", 0.8),
        (r"zu\s+zahlen(?:der\s+betrag)?|zahlbetrag|offener\s+betrag", 1.0),
        (r"ausstehende\s+forderung", 0.8),
        (r"(?:net|montant|somme|reste|total)\s+[àa]\s+payer", 1.0),
    ],
    Label.IBAN: [(r"iban(?:\s*(?:nr\.?|nummer|number))?", 1.0)],
    Label.BIC: [(r"bic|swift(?:\s*/\s*bic)?(?:\s*code)?", 1.0)],
    Label.COC_NUMBER: [
        (r"kvk(?:\s*-?\s*(?:nummer|nr\.?))?|kamer\s+van\s+koophandel", 1.0),
        (r"coc(?:\s+(?:number|no\.?))?|chamber\s+of\s+commerce", 1.0),
    ],
    Label.VAT_NUMBER: [
        (r"btw\s*-?\s*(?:nummer|nr\.?|id|identificatienummer)", 1.0),
        (r"omzetbelastingnummer|btw\s*-?\s*id\s*-?\s*nummer", 1.0),
        (
            r"vat\s*(?:number|no\.?|nr\.?|id|reg(?:istration)?(?:\s+(?:no\.?|number))?)",
            1.0,
        ),
        (r"ust\s*-?\s*id(?:\s*-?\s*nr\.?)?|ust\s*-?\s*idnr\.?|ustid(?:nr\.?)?", 1.0),
        # "USt.-Id.-Nr.", "USt.-Identnr.", "USt-IdNr".
        (r"ust\.?\s*-?\s*id(?:ent)?\.?\s*-?\s*n(?:r|ummer)\.?", 1.0),
        (r"umsatzsteuer\s*-?\s*id(?:entifikationsnummer)?", 1.0),
        (r"(?:n[°º]\s*(?:de\s+)?)?tva\s+intra\s*-?\s*communautaire", 1.0),
        (r"n[°º]\s*(?:de\s+)?tva|num[ée]ro\s+de\s+tva", 1.0),
        # "N° TVA client", "Kunden-USt-IdNr." name the customer's number.
        (r"(?:n[°º]\s*(?:de\s+)?)?tva\s+(?:du\s+)?(?:client|acheteur)", 1.0),
    ],
    Label.PO_REFERENCE: [
        (r"order\s*(?:nummer|nr\.?|number|no\.?|id)|inkoop\s*order(?:nummer)?", 1.0),
        (
            r"purchase\s+order(?:\s+(?:number|no\.?))?|po\s*(?:number|no\.?|nr\.?|#)",
            1.0,
        ),
        (r"bestell\s*-?\s*(?:nummer|nr\.?)|ihre\s+bestellung", 1.0),
        (r"bon\s+de\s+commande|n[°º]\s*(?:de\s+)?commande|commande\s+n[°º]", 1.0),
        (r"uw\s+(?:referentie|ordernummer)|your\s+reference|reference", 0.6),
    ],
    Label.PAYMENT_REFERENCE: [
        (r"betalings\s*kenmerk|betaal\s*kenmerk|kenmerk", 1.0),
        (r"payment\s+reference|communication\s+for\s+your\s+payment", 1.0),
        (r"verwendungszweck|zahlungs\s*referenz", 1.0),
        (r"r[ée]f[ée]rence\s+(?:de\s+|du\s+)?paiement", 1.0),
    ],
    Label.TENDERED: [
        (r"cash|contant|tunai|bar(?:geld)?|esp[èe]ces|gegeven|received", 1.0),
    ],
    Label.CHANGE: [
        (r"change|wisselgeld|terug|retour|r[üu]ckgeld|rendu|monnaie", 1.0),
    ],
    Label.ROUNDING: [
        (r"round(?:ing)?\s*(?:adj(?:ustment)?\.*|off)?|afronding|arrondi|rundung", 1.0),
    ],
    Label.OTHER: [
        (r"total\s+(?:qty|quantity|items?|discount)|item\s*\(?s\)?|qty", 1.0),
        # Dates of the service period, not of the invoice.
        (
            (
                r"date\s+(?:de\s+)?(?:d[ée]but|fin)(?:\s+de\s+(?:la\s+)?prestation)?"
                r"|leistungs\s*-?\s*(?:datum|zeitraum)|service\s+period"
            ),
            1.0,
        ),
        # The invoice that a credit note or a correction refers to.
        (
            (
                r"facture\s+(?:li[ée]e|d['\u2019]origine)"
                r"|(?:n[°º]|date)\s+de\s+facture\s+associ[ée]e"
                r"|related\s+invoice|original\s+invoice"
            ),
            1.0,
        ),
        # Sums of allowances and charges, not of the invoice.
        (
            r"gesamt\s*betrag\s+der\s+(?:zu|ab)schl[äa]ge|total\s+(?:allowances|charges)",
            1.0,
        ),
        (r"klant\s*(?:nummer|nr\.?)|customer\s*(?:number|no\.?|id)", 1.0),
        (r"kunden\s*-?\s*(?:nummer|nr\.?)|n[°º]\s*client|id\.?\s*client", 1.0),
        (r"account\s+(?:number|no\.?)|contract\s+no\.?", 1.0),
        (r"order\s*datum|order\s+date|bestell\s*datum|date\s+de\s+commande", 1.0),
        (r"lever\s*datum|delivery\s+date|liefer\s*datum|date\s+de\s+livraison", 1.0),
        (r"pagina|page|seite|tel\.?|telefoon|phone|fax|e-?mail", 1.0),
        (r"steuer\s*-?\s*nr\.?|steuernummer|siret|siren|rcs|hrb", 1.0),
        (r"btw\s*%|vat\s*%|tax\s*\(%\)|tax\s*%", 1.0),
    ],
}

# Words before a label that make it the customer's ("Uw BTW-nummer").
CUSTOMER_MARKER = re.compile(
    r"(?:^|\W)(?:uw|your|ihre?|votre|customer|client|klant|kunden?|afnemer)\W*$",
    re.IGNORECASE,
)

# Words inside a label that make it the customer's ("N° TVA client").
CUSTOMER_IN_LABEL = re.compile(
    r"(?<!\w)(?:client|acheteur|klant|kunden?|customer|buyer|afnemer)(?!\w)",
    re.IGNORECASE,
)

# A label starts and ends on a word boundary, except that a label ending in
# a sign such as "°" or "#" may touch its value ("Facture n°562044387").
_START = r"(?<!\w)"
_END = r"(?:(?<=[^\w\s])|(?!\w))"
# Every label has two letters in a row. Amounts and dates have none, so
# they are ruled out before any pattern runs.
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")


# Every pattern with its label kind and strength, in the order of
# ``_PATTERNS``. Where matches of two patterns have the same length and
# strength, the earlier pattern wins.
_ENTRIES = [
    (label, pattern, strength)
    for label, entries in _PATTERNS.items()
    for pattern, strength in entries
]
# The patterns contain no capital letters, so on ASCII text a case-sensitive
# search of the lowercased text finds the same matches at the same positions
# as a search that ignores case, in about 30% less time on the cell texts of
# invoice2data's sample invoices. Other text is searched ignoring case,
# because re matches some letters to others that lowercasing does not give:
# "\u017f" (long s) to "s".
_FLAGS_FOR_LOWERCASE_ASCII = 0
_FLAGS_FOR_ANY_TEXT = re.IGNORECASE


def _any_pattern(first: int, stop: int) -> str:
    """Return one regular expression for any of ``_ENTRIES[first:stop]``.

    It matches the first of them, in the order of ``_ENTRIES``, that matches
    at the position, with the span that pattern would match alone: the
    engine backtracks into the next pattern when the end boundary fails
    after one. Group ``i`` is empty and ends pattern ``first + i - 1``, so
    ``lastindex`` gives the pattern that matched, and the start of that
    group gives the end of its match. A group around each pattern would give
    the same, but it made the search about four times slower, because re
    then no longer skips a pattern by its first letter.
    """
    alternatives = "|".join(
        f"(?:{pattern})()" for _, pattern, _ in _ENTRIES[first:stop]
    )
    return f"(?:{alternatives}){_END}"


def _compile_label_starts(flags: int) -> re.Pattern[str]:
    """Compile a search for every position where a label starts.

    It matches the empty string there, so that ``finditer`` also finds a
    label that starts inside another one. Most cells of a document contain
    no label, and this one scan rules them out.
    """
    compiled = re.compile(f"{_START}(?={_any_pattern(0, len(_ENTRIES))})", flags)
    if compiled.groups != len(_ENTRIES):
        raise ValueError(
            "A label pattern contains a capturing group. Write it as (?:...)."
        )
    return compiled


_LABEL_STARTS = {
    flags: _compile_label_starts(flags)
    for flags in (_FLAGS_FOR_LOWERCASE_ASCII, _FLAGS_FOR_ANY_TEXT)
}


# Per pattern, the index in ``_ENTRIES`` after the last pattern of its kind.
_KIND_ENDS = [
    max(index for index, entry in enumerate(_ENTRIES) if entry[0] == label) + 1
    for label, _, _ in _ENTRIES
]


@functools.cache
def _patterns_between(first: int, stop: int, flags: int) -> re.Pattern[str]:
    """Compile a match for any of ``_ENTRIES[first:stop]``.

    It is called for the rest of a kind and for all kinds after one. Each is
    compiled when first needed, because compiling all of them, for both sets
    of flags, took about 0.15 seconds, and most documents need only a few.
    """
    return re.compile(f"{_START}{_any_pattern(first, stop)}", flags)


@dataclass(frozen=True)
class LabelMatch:
    label: Label
    start: int
    end: int
    strength: float


@functools.lru_cache(maxsize=4096)
def find_labels(text: str) -> tuple[LabelMatch, ...]:
    """Return the labels in ``text``, longest first where they overlap.

    The result is in reading order and no two matches overlap.
    """
    if _TWO_LETTERS.search(text) is None:
        return ()
    if text.isascii():
        flags, text = _FLAGS_FOR_LOWERCASE_ASCII, text.lower()
    else:
        flags = _FLAGS_FOR_ANY_TEXT
    candidates = _candidates(text, flags)
    if not candidates:
        return ()
    # Longest first, then strongest. Ties keep the order of ``_ENTRIES`` and
    # then of the text.
    candidates.sort(
        key=lambda item: (item[1] - item[2], -_ENTRIES[item[0]][2], item[0], item[1])
    )
    chosen: list[LabelMatch] = []
    for index, start, end in candidates:
        if not any(start < other.end and other.start < end for other in chosen):
            label, _, strength = _ENTRIES[index]
            chosen.append(LabelMatch(label, start, end, strength))
    return tuple(sorted(chosen, key=lambda match: match.start))


def _candidates(text: str, flags: int) -> list[tuple[int, int, int]]:
    """Return (pattern index, start, end) for every match of every pattern.

    As with ``finditer`` of each pattern alone, a pattern's next match starts
    at or after the end of its previous one.
    """
    candidates = []
    ends: dict[int, int] = {}
    for position in _LABEL_STARTS[flags].finditer(text):
        start = position.start()
        for index, end in _matches_at(text, start, position, flags):
            if start >= ends.get(index, 0):
                ends[index] = end
                candidates.append((index, start, end))
    return candidates


def _matches_at(
    text: str, start: int, first_match: re.Match[str], flags: int
) -> Iterator[tuple[int, int]]:
    """Yield (pattern index, end) for every pattern that matches at ``start``.

    ``first_match`` is the match of the first of them. The patterns after
    each match are tried in order: the rest of its kind, then the kinds
    after it.
    """
    match: re.Match[str] | None = first_match
    first = 0
    while match is not None:
        index = first + match.lastindex - 1
        yield index, match.start(match.lastindex)
        kind_end = _KIND_ENDS[index]
        first, match = index + 1, None
        if first < kind_end:
            match = _patterns_between(first, kind_end, flags).match(text, start)
        if match is None and kind_end < len(_ENTRIES):
            first = kind_end
            match = _patterns_between(first, len(_ENTRIES), flags).match(text, start)
