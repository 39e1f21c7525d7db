"""Which VAT applies to a sale, from where the customer is and who they are.

A Dutch company charges Dutch VAT to customers in the Netherlands and to
consumers anywhere in the EU. A business customer in another EU member
state with a valid VAT number gets the invoice without VAT, because the
customer accounts for it (reverse charge). The invoice then states "btw
verlegd" ("VAT reverse charged" in English) and shows the customer's VAT
number. Customers
outside the EU get the export treatment, zero rated (EN 16931 category G).

NOTE: a VAT number is checked for its format and check digits only; no
VIES lookup confirms that it is registered.
"""

from fiat.core import identifiers

HOME_COUNTRY = "NL"
# EU member states by ISO 3166 code. Greece is "GR" here; its VAT numbers
# start with "EL".
EU_COUNTRIES = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR",
        "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO",
        "SE", "SI", "SK",
    }
)  # fmt: skip
# The VAT number prefix of each member state where it differs from the ISO
# country code.
_VAT_PREFIXES = {"GR": "EL"}

DOMESTIC = "domestic"
REVERSE_CHARGE = "reverse_charge"
EXPORT = "export"

# EN 16931 category per treatment where the treatment overrides the line's
# own VAT code, with the VATEX exemption reason code that rules BR-AE-10
# and BR-G-10 require.
TREATMENT_CATEGORIES = {REVERSE_CHARGE: "AE", EXPORT: "G"}
EXEMPTION_REASON_CODES = {"AE": "VATEX-EU-AE", "G": "VATEX-EU-G"}


def decide_vat_treatment(
    country: str,
    vat_number: str,
    *,
    is_consumer: bool,
    home_country: str = HOME_COUNTRY,
) -> str:
    """Return DOMESTIC, REVERSE_CHARGE or EXPORT for a customer.

    ``country`` is the customer's ISO 3166 code. Reverse charge needs a
    business customer in another EU member state whose VAT number is valid
    and belongs to that state. Any other EU customer pays Dutch VAT.
    """
    country = country.upper()
    if country == home_country:
        return DOMESTIC
    if country not in EU_COUNTRIES:
        return EXPORT
    if is_consumer or not has_valid_vat_number(country, vat_number):
        return DOMESTIC
    return REVERSE_CHARGE


def has_valid_vat_number(country: str, vat_number: str) -> bool:
    """Return whether ``vat_number`` is a valid VAT number of ``country``."""
    if not vat_number:
        return False
    try:
        compact = identifiers.clean_vat_number(vat_number)
    except identifiers.InvalidIdentifierError:
        return False
    return compact.startswith(_VAT_PREFIXES.get(country, country))
