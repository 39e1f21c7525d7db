"""The Dutch default chart of accounts and VAT codes.

The account codes follow the common Dutch numbering by class (0 fixed assets,
1 bank and short-term claims and debts, 4 costs, 8 revenue, 9 closing); a
company can rename, add or deactivate accounts in the admin. VAT rates are the
Dutch rates in force since 2019: 21% standard ("hoog") and 9% reduced
("laag").
"""

from decimal import Decimal

# (code, Dutch name, English name, account type)
ACCOUNTS = [
    ("0100", "Inventaris", "Equipment", "asset"),
    ("0500", "Eigen vermogen", "Equity", "equity"),
    ("1000", "Kas", "Cash", "asset"),
    ("1100", "Bank", "Bank", "asset"),
    ("1300", "Debiteuren", "Accounts receivable", "asset"),
    ("1400", "Te betalen declaraties", "Expense claims payable", "liability"),
    ("1500", "Af te dragen btw hoog", "Output VAT standard rate", "liability"),
    ("1510", "Af te dragen btw laag", "Output VAT reduced rate", "liability"),
    ("1520", "Af te dragen btw verlegd", "Output VAT reverse charge", "liability"),
    ("1530", "Te vorderen btw", "Input VAT", "asset"),
    ("1540", "Te vorderen btw verlegd", "Input VAT reverse charge", "asset"),
    ("1560", "Btw-afdracht", "VAT payable to the tax office", "liability"),
    ("1600", "Crediteuren", "Accounts payable", "liability"),
    ("1700", "Nog te ontvangen facturen", "Invoices to receive", "liability"),
    ("1900", "Vraagposten", "Suspense account", "asset"),
    ("4000", "Inkoopkosten", "Cost of goods purchased", "expense"),
    ("4100", "Personeelskosten", "Staff costs", "expense"),
    ("4200", "Huisvestingskosten", "Housing costs", "expense"),
    ("4300", "Kantoorkosten", "Office costs", "expense"),
    ("4400", "Automatiseringskosten", "IT costs", "expense"),
    ("4500", "Reis- en verblijfkosten", "Travel and accommodation", "expense"),
    ("4600", "Verkoopkosten en marketing", "Sales and marketing", "expense"),
    ("4700", "Advieskosten", "Professional fees", "expense"),
    ("4800", "Representatiekosten", "Entertainment costs", "expense"),
    ("4900", "Algemene kosten", "General costs", "expense"),
    ("4910", "Bankkosten", "Bank charges", "expense"),
    ("4920", "Koersverschillen", "Exchange differences", "expense"),
    ("4930", "Afrondingsverschillen", "Rounding differences", "expense"),
    ("8000", "Omzet hoog tarief", "Revenue standard rate", "revenue"),
    ("8100", "Omzet laag tarief", "Revenue reduced rate", "revenue"),
    ("8200", "Omzet vrijgesteld of nul", "Revenue exempt or zero rated", "revenue"),
    ("8300", "Omzet binnen de EU", "Revenue within the EU", "revenue"),
    ("8400", "Omzet buiten de EU", "Revenue outside the EU", "revenue"),
]

ZERO = Decimal("0")

# (code, Dutch name, English name, direction, category, rate,
#  VAT account code, reverse-charge rate, reverse-charge account code)
VAT_CODES = [
    ("V21", "Btw hoog 21%", "VAT standard 21%", "sales", "S", Decimal("21"),
     "1500", None, None),
    ("V9", "Btw laag 9%", "VAT reduced 9%", "sales", "S", Decimal("9"),
     "1510", None, None),
    ("V0", "Btw 0%", "VAT zero rated", "sales", "Z", ZERO, None, None, None),
    ("VVR", "Vrijgesteld van btw", "Exempt from VAT", "sales", "E", ZERO,
     None, None, None),
    ("VEU", "Levering binnen de EU", "Intra-community supply", "sales", "K",
     ZERO, None, None, None),
    ("VVL", "Btw verlegd", "VAT reverse charge", "sales", "AE", ZERO,
     None, None, None),
    ("VEX", "Export buiten de EU", "Export outside the EU", "sales", "G",
     ZERO, None, None, None),
    ("I21", "Voorbelasting 21%", "Input VAT 21%", "purchases", "S",
     Decimal("21"), "1530", None, None),
    ("I9", "Voorbelasting 9%", "Input VAT 9%", "purchases", "S", Decimal("9"),
     "1530", None, None),
    ("I0", "Inkoop zonder btw", "Purchase without VAT", "purchases", "Z",
     ZERO, None, None, None),
    ("IEU", "Verlegde btw inkoop EU", "Reverse charge purchase within the EU",
     "purchases", "AE", ZERO, "1540", Decimal("21"), "1520"),
    ("IVR", "Vrijgestelde inkoop", "Exempt purchase", "purchases", "E", ZERO,
     None, None, None),
]


def install_dutch_defaults(account_model, vat_code_model) -> None:
    """Create the default accounts and VAT codes that are not there yet.

    Takes the model classes as arguments so that a data migration can pass its
    historical models. Existing rows are left as the company changed them.
    """
    accounts = {}
    for code, name, name_en, account_type in ACCOUNTS:
        accounts[code], _created = account_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "account_type": account_type},
        )
    for row in VAT_CODES:
        (code, name, name_en, direction, category, rate,
         vat_account, reverse_rate, reverse_account) = row
        vat_code_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "direction": direction,
                "category": category,
                "rate": rate,
                "vat_account": accounts.get(vat_account),
                "reverse_charge_rate": reverse_rate,
                "reverse_charge_account": accounts.get(reverse_account),
            },
        )
