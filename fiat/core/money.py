"""Money amounts: conversion to Decimal, rounding and parsing of text.

Every amount in Fiat is a ``decimal.Decimal``, and its ISO 4217 currency code
is kept in a separate field. This module is the only place that turns outside
values into amounts (``to_decimal`` for machine input, ``parse_amount`` for
text that a person typed or a document printed) and the only place that rounds
them (``round_money``). Floats are rejected because a binary float cannot
store most cent values exactly.

``round_money`` rounds to the currency's minor unit (ISO 4217) with ties
rounded half up, the rounding used for EN 16931 e-invoice amounts.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

MoneyInput = Decimal | int | str

# ISO 4217 minor units for every currency whose minor unit is not 2.
_MINOR_UNITS_BY_CURRENCY = {
    **dict.fromkeys(
        (
            "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
            "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
        ),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}  # fmt: skip
# NOTE: codes that ISO 4217 lists without a minor unit (XAU, XDR and other
# funds and metals) also get 2, and so does any unknown well-formed code.
_DEFAULT_MINOR_UNITS = 2

_MACHINE_AMOUNT_PATTERN = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")
_CURRENCY_CODE_PATTERN = re.compile(r"[A-Z]{3}")

# Currency markers that parse_amount strips: any three capital letters, taken
# as an ISO 4217 code, or a common symbol. "Fr." comes before "Fr" so that the
# dot is stripped with it.
_CURRENCY_MARKER = r"(?:[A-Z]{3}|US\$|R\$|Fr\.|Kč|zł|kr|Fr|[€$£¥₹₽₺₩₪₫₱₴₦])"
_LEADING_CURRENCY_PATTERN = re.compile(rf"^{_CURRENCY_MARKER}")
_TRAILING_CURRENCY_PATTERN = re.compile(rf"{_CURRENCY_MARKER}$")
_MINUS_SIGNS = "-\u2212"  # ASCII hyphen-minus and the Unicode minus sign
_LEADING_SIGNS = "+" + _MINUS_SIGNS

# Digit groups joined by single separators, for example "1.234,56". Spaces
# (normal, no-break U+00A0 and narrow no-break U+202F) and apostrophes
# (ASCII and U+2019) only ever separate thousands, but "." and "," can also
# be the decimal separator.
_DECIMAL_SEPARATORS = ".,"
_NUMBER_PATTERN = re.compile(r"[0-9]+(?:[.,' \u00a0\u202f\u2019][0-9]+)*")
_SEPARATOR_PATTERN = re.compile(r"[.,' \u00a0\u202f\u2019]")


class AmountError(ValueError):
    """Text or a value that cannot be read as a money amount.

    ``text`` is the offending input, as given.
    """

    def __init__(self, text: str, message: str) -> None:
        super().__init__(message)
        self.text = text


class InvalidAmountError(AmountError):
    """Text that is not an amount in any supported notation."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(text, f"Invalid amount {text!r}: {reason}")
        self.reason = reason


class AmbiguousAmountError(AmountError):
    """Text whose one separator can be a decimal or a thousands separator."""

    def __init__(self, text: str, separator: str) -> None:
        message = (
            f"Ambiguous amount {text!r} because {separator!r} can be a decimal "
            "or a thousands separator. Pass decimal_separator=',' or '.' to "
            "parse it."
        )
        super().__init__(text, message)
        self.separator = separator


class InvalidCurrencyError(ValueError):
    """A currency code that is not three capital letters."""

    def __init__(self, currency_code: object) -> None:
        super().__init__(
            f"Invalid currency code {currency_code!r}: expected an ISO 4217 code "
            "of three capital letters, such as 'EUR'."
        )
        self.currency_code = currency_code


def to_decimal(value: MoneyInput) -> Decimal:
    """Convert a Decimal, an int or a machine string such as "-1234.56".

    Raise TypeError for float and bool, and InvalidAmountError for text that
    is not a plain decimal number, for NaN and for infinity. Text with
    thousands separators or a decimal comma belongs to ``parse_amount``.
    """
    if isinstance(value, float):
        raise TypeError(
            f"Money amounts must not be float ({value!r}) because a float "
            "cannot store most cent values exactly. Pass a Decimal or a string."
        )
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(
            f"Money amounts must be Decimal, int or str, not "
            f"{type(value).__name__} ({value!r})."
        )
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        return _decimal_from_machine_text(value)
    if not value.is_finite():
        raise InvalidAmountError(str(value), "an amount must be a finite number.")
    return value


def _decimal_from_machine_text(text: str) -> Decimal:
    if not _MACHINE_AMOUNT_PATTERN.fullmatch(text):
        raise InvalidAmountError(
            text,
            "expected digits with an optional sign and '.' decimal point, such "
            "as '-1234.56'. Use parse_amount for amounts typed by a person.",
        )
    return Decimal(text)


def currency_exponent(currency_code: str) -> int:
    """Return the number of ISO 4217 minor unit digits (2 for EUR, 0 for JPY).

    Raise InvalidCurrencyError unless the code is three capital letters.
    """
    is_well_formed = isinstance(currency_code, str) and bool(
        _CURRENCY_CODE_PATTERN.fullmatch(currency_code)
    )
    if not is_well_formed:
        raise InvalidCurrencyError(currency_code)
    return _MINOR_UNITS_BY_CURRENCY.get(currency_code, _DEFAULT_MINOR_UNITS)


def round_money(amount: MoneyInput, currency: str) -> Decimal:
    """Round an amount to the minor unit of ``currency``, ties half up.

    Ties round away from zero, so -0.125 EUR becomes -0.13 and a negative
    amount rounds like its absolute value. The result always has exactly the
    currency's number of decimals ("10" EUR becomes Decimal("10.00")).
    """
    quantum = Decimal(1).scaleb(-currency_exponent(currency))
    return to_decimal(amount).quantize(quantum, rounding=ROUND_HALF_UP)


def parse_amount(text: str, *, decimal_separator: str | None = None) -> Decimal:
    """Parse an amount written by a person or printed on a document.

    Accept Dutch ("1.234,56"), English ("1,234.56"), space ("1 234,56") and
    apostrophe ("1'234.56") grouping, a currency symbol or ISO code on either
    side, and one sign: a leading "+" or "-", a trailing "-" ("120,00-") or
    accounting parentheses ("(120.00)"). The result keeps the decimals as
    written and is never rounded.

    A single "." or "," followed by exactly three digits, with nothing else
    to tell which it is ("1.355"), raises AmbiguousAmountError unless
    ``decimal_separator`` ("," or ".") gives the decimal separator. Other
    unreadable text raises InvalidAmountError.

    NOTE: Indian lakh grouping ("1,23,456.78") is rejected as invalid.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_amount expects str, not {type(text).__name__}.")
    if decimal_separator is not None and decimal_separator not in _DECIMAL_SEPARATORS:
        raise ValueError(
            f"Invalid decimal_separator {decimal_separator!r}: use ',' or '.'."
        )
    is_negative, number = _strip_sign_and_currency(text)
    integer_digits, fraction_digits = _split_number(text, number, decimal_separator)
    digits = integer_digits + (f".{fraction_digits}" if fraction_digits else "")
    amount = Decimal(digits)
    # A negative zero such as "-0,00" returns Decimal("0.00"), not "-0.00".
    return -amount if is_negative and amount else amount


def _strip_sign_and_currency(text: str) -> tuple[bool, str]:
    """Remove sign marks and one currency marker from both ends of ``text``.

    Return whether the amount is negative and the remaining number text.
    """
    body = text.strip()
    signs: list[str] = []
    currencies: list[str] = []
    while body:
        stripped = _strip_one_affix(body, signs, currencies)
        if stripped is None:
            break
        body = stripped.strip()
    if len(signs) > 1:
        raise InvalidAmountError(text, "an amount can have only one sign.")
    if len(currencies) > 1:
        raise InvalidAmountError(text, "an amount can have only one currency.")
    if not body:
        raise InvalidAmountError(text, "the text contains no digits.")
    return bool(signs) and signs[0] != "+", body


def _strip_one_affix(body: str, signs: list[str], currencies: list[str]) -> str | None:
    """Strip one sign or currency marker, record it and return the rest.

    Return None when neither end of ``body`` has such a marker.
    """
    if body.startswith("(") and body.endswith(")"):
        signs.append("(")
        return body[1:-1]
    if body[0] in _LEADING_SIGNS:
        signs.append(body[0])
        return body[1:]
    if body[-1] in _MINUS_SIGNS:
        signs.append(body[-1])
        return body[:-1]
    for pattern in (_LEADING_CURRENCY_PATTERN, _TRAILING_CURRENCY_PATTERN):
        match = pattern.search(body)
        if match:
            currencies.append(match.group())
            return body[: match.start()] + body[match.end() :]
    return None


def _split_number(
    text: str, number: str, decimal_separator: str | None
) -> tuple[str, str]:
    """Split the unsigned number text into integer and fraction digits.

    ``text`` is the whole input, used in error messages. The fraction is ""
    when the number has no decimal separator.
    """
    if not _NUMBER_PATTERN.fullmatch(number):
        raise InvalidAmountError(
            text, "expected digits separated by single '.', ',', ' ' or \"'\"."
        )
    groups = _SEPARATOR_PATTERN.split(number)
    separators = _SEPARATOR_PATTERN.findall(number)
    if decimal_separator is None:
        decimal_separator = _detect_decimal_separator(text, groups, separators)
    if decimal_separator not in separators:
        _check_grouping(text, groups, separators)
        return "".join(groups), ""
    if separators.count(decimal_separator) > 1 or separators[-1] != decimal_separator:
        raise InvalidAmountError(
            text,
            f"the decimal separator {decimal_separator!r} must occur once, after "
            "all thousands separators.",
        )
    _check_grouping(text, groups[:-1], separators[:-1])
    return "".join(groups[:-1]), groups[-1]


def _detect_decimal_separator(
    text: str, groups: list[str], separators: list[str]
) -> str | None:
    """Return the decimal separator that the number's layout implies, if any.

    When both "." and "," occur, the last of them is the decimal separator.
    A single kind of mark that occurs more than once separates thousands.
    """
    marks = [separator for separator in separators if separator in _DECIMAL_SEPARATORS]
    if not marks:
        return None
    last_mark = marks[-1]
    if len(set(marks)) > 1:
        return last_mark
    if len(marks) > 1 or separators[-1] != last_mark:
        return None
    if len(groups[-1]) != 3:
        return last_mark
    # One mark followed by three digits: "1.355" is 1355 or 1.355. Only other
    # grouping ("1 234.567") or an integer part that no thousands grouping
    # can produce ("0.355", "1234.567") settles it.
    if len(separators) > 1 or len(groups[0]) > 3 or groups[0].startswith("0"):
        return last_mark
    raise AmbiguousAmountError(text, last_mark)


def _check_grouping(text: str, groups: list[str], separators: list[str]) -> None:
    """Raise InvalidAmountError unless the integer part is grouped by three.

    All thousands separators must be the same character, except that the
    three kinds of space count as one.
    """
    if not separators:
        return
    kinds = {" " if separator.isspace() else separator for separator in separators}
    if len(kinds) > 1:
        raise InvalidAmountError(
            text, "all thousands separators must be the same character."
        )
    first_group, *other_groups = groups
    if len(first_group) > 3 or first_group.startswith("0"):
        raise InvalidAmountError(
            text,
            "1 to 3 digits, not starting with 0, must come before the first "
            "thousands separator.",
        )
    if any(len(group) != 3 for group in other_groups):
        raise InvalidAmountError(
            text, "each group after a thousands separator must have 3 digits."
        )
