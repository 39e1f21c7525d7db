"""The demo company's suppliers as they present themselves on paper.

Names, VAT and KvK numbers, IBANs, languages and payment terms come from
``fiat.core.demo``, so the sample invoices match the parties that ``fiat
demo`` loads. What the demo data does not hold (street address, contact
details, the look of the letterhead) is added here. Each BIC is derived from
the IBAN's bank code with schwifty's bank registry.
"""

from dataclasses import dataclass

from schwifty import IBAN

from fiat.core.demo import COMPANY, SUPPLIERS
from fiat.sampledocs.formatting import DateStyle
from fiat.sampledocs.model import Address, Party
from fiat.sampledocs.pdf import Letterhead, LetterheadLayout

KANTOORHUIS = "Kantoorhuis Nederland B.V."
DRUKKERIJ = "Drukkerij De Vries"
HELDER = "Schoonmaakbedrijf Helder"
CLOUDWERK = "CloudWerk GmbH"
BOEKHANDEL = "Boekhandel Lezen"


@dataclass(frozen=True)
class SupplierProfile:
    address: Address
    phone: str
    email: str
    letterhead: Letterhead
    website: str = ""


_PROFILES = {
    KANTOORHUIS: SupplierProfile(
        address=Address("Industrieweg 41", "3542 AD", "Utrecht", "NL"),
        phone="030 241 87 50",
        email="facturen@kantoorhuis.demo.fiat.invalid",
        website="kantoorhuis.demo.fiat.invalid",
        letterhead=Letterhead(
            accent_colour="#1f4e79",
            layout=LetterheadLayout.CLASSIC,
            font_family="Liberation Sans",
            tagline="Kantoorinrichting en kantoorartikelen",
            conditions=(
                "Op al onze leveringen zijn onze algemene leveringsvoorwaarden "
                "van toepassing. Reclames binnen 8 dagen na levering."
            ),
        ),
    ),
    DRUKKERIJ: SupplierProfile(
        address=Address("Lange Herenstraat 8", "2011 LH", "Haarlem", "NL"),
        phone="023 531 40 12",
        email="administratie@drukkerijdevries.demo.fiat.invalid",
        letterhead=Letterhead(
            accent_colour="#7a1f3d",
            layout=LetterheadLayout.CENTRED,
            font_family="Liberation Serif",
            tagline="Drukwerk met zorg sinds 1962",
            date_style=DateStyle.LONG,
        ),
    ),
    HELDER: SupplierProfile(
        address=Address("Schepenbergweg 22", "1105 AT", "Amsterdam", "NL"),
        phone="020 696 11 30",
        email="debiteuren@helder.demo.fiat.invalid",
        website="helder.demo.fiat.invalid",
        letterhead=Letterhead(
            accent_colour="#0f766e",
            layout=LetterheadLayout.BANNER,
            font_family="DejaVu Sans",
            tagline="Schoonmaak en glasbewassing voor kantoren",
        ),
    ),
    CLOUDWERK: SupplierProfile(
        address=Address("Friedrichstraße 68", "10117", "Berlin", "DE"),
        phone="+49 30 2091 4450",
        email="billing@cloudwerk.demo.fiat.invalid",
        website="cloudwerk.demo.fiat.invalid",
        letterhead=Letterhead(
            accent_colour="#312e81",
            layout=LetterheadLayout.BANNER,
            font_family="Liberation Sans",
            tagline="Managed cloud infrastructure",
            conditions=(
                "CloudWerk GmbH, Managing director: Jonas Keller. Registered at "
                "Amtsgericht Charlottenburg, HRB 234567 B."
            ),
            date_style=DateStyle.LONG,
        ),
    ),
    BOEKHANDEL: SupplierProfile(
        address=Address("Oudegracht 150", "3511 AZ", "Utrecht", "NL"),
        phone="030 231 55 08",
        email="zakelijk@boekhandellezen.demo.fiat.invalid",
        letterhead=Letterhead(
            accent_colour="#b45309",
            layout=LetterheadLayout.CLASSIC,
            font_family="DejaVu Serif",
            tagline="Vakliteratuur voor bedrijven",
        ),
    ),
}


@dataclass(frozen=True)
class DemoSupplier:
    party: Party
    language: str
    payment_terms_days: int
    letterhead: Letterhead


def demo_supplier(name: str, *, iban: str = "") -> DemoSupplier:
    """Return a demo supplier by name.

    A non-empty ``iban`` replaces the IBAN that the demo data has on file.
    """
    row = next((row for row in SUPPLIERS if row[0] == name), None)
    if row is None:
        raise KeyError(f"{name!r} is not a supplier in fiat.core.demo.SUPPLIERS.")
    _name, vat_number, coc_number, known_iban, _country, language, terms, *_ = row
    profile = _PROFILES[name]
    iban = iban or known_iban
    party = Party(
        name=name,
        address=profile.address,
        vat_number=vat_number,
        coc_number=coc_number,
        iban=iban,
        bic=IBAN(iban).bic.compact,
        email=profile.email,
        phone=profile.phone,
        website=profile.website,
    )
    return DemoSupplier(party, language, terms, profile.letterhead)


def known_iban(name: str) -> str:
    """Return the IBAN that the demo data has on file for a supplier."""
    return next(row[3] for row in SUPPLIERS if row[0] == name)


def demo_customer() -> Party:
    """Return the demo company as the buyer on its suppliers' invoices."""
    return Party(
        name=COMPANY["legal_name"],
        address=Address(
            COMPANY["street"],
            COMPANY["postal_code"],
            COMPANY["city"],
            COMPANY["country"],
        ),
        vat_number=COMPANY["vat_number"],
        coc_number=COMPANY["coc_number"],
        iban=COMPANY["iban"],
        bic=COMPANY["bic"],
        email=COMPANY["email"],
    )
