"""The Schematron compiler against the rule unit tests published with Peppol.

Each unit test file is a VEFA ``testSet``: a set of small invoices, each
annotated with the rule ids it must pass (``success``) or fail (``error``,
``warning``). Running the compiled Peppol rules on each must give the
annotated outcome.
"""

from pathlib import Path

import pytest
from lxml import etree

from fiat.einvoice_rules import PEPPOL_UBL_SCHEMATRON, run_rules
from fiat.einvoice_rules.schematron import (
    UnsupportedSchematronError,
    compile_schematron,
)

VEFA = "{http://difi.no/xsd/vefa/validator/1.0}"
PEPPOL_UNIT_TESTS = Path("ubl-einvoice/peppol-bis-invoice-3")
UNIT_TEST_FOLDERS = ("unit-UBL-PEPPOL", "unit-UBL-NL")


def _unit_test_files(corpus_dir: Path) -> list[Path]:
    return sorted(
        path
        for folder in UNIT_TEST_FOLDERS
        for path in (corpus_dir / PEPPOL_UNIT_TESTS / folder).glob("*.xml")
    )


def _mismatches(path: Path, rules: Path) -> list[str]:
    """Return one line for each annotated outcome that the rules missed."""
    mismatches = []
    for number, test in enumerate(etree.parse(str(path)).iter(f"{VEFA}test"), 1):
        document = next(
            child
            for child in test
            if isinstance(child.tag, str) and child.tag != f"{VEFA}assert"
        )
        report = run_rules(etree.tostring(document), rules)
        failed = {failure.rule for failure in report.failed}
        for expected in test.find(f"{VEFA}assert"):
            rule = (expected.text or "").strip()
            outcome = etree.QName(expected).localname
            if outcome == "success" and rule in failed:
                mismatches.append(f"{path.name} test {number}: {rule} failed")
            if outcome in ("error", "warning") and rule not in failed:
                mismatches.append(f"{path.name} test {number}: {rule} passed")
    return mismatches


def test_compiled_peppol_rules_match_unit_tests(corpus_dir):
    rules = corpus_dir / PEPPOL_UBL_SCHEMATRON
    files = _unit_test_files(corpus_dir)

    mismatches = [line for path in files for line in _mismatches(path, rules)]

    assert len(files) >= 60
    assert mismatches == []


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


SCHEMATRON_HEADER = (
    '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
)


def test_included_abstract_pattern_is_instantiated(tmp_path):
    _write(
        tmp_path,
        "abstract.sch",
        '<pattern xmlns="http://purl.oclc.org/dsdl/schematron" abstract="true"'
        ' id="totals"><rule context="$Total">'
        '<assert id="T-1" test="$T-1" flag="fatal">Total <value-of select="."/>'
        " is negative</assert></rule></pattern>",
    )
    schema = _write(
        tmp_path,
        "schema.sch",
        f'{SCHEMATRON_HEADER}<include href="abstract.sch"/>'
        '<pattern is-a="totals" id="bound"><param name="Total" value="total"/>'
        '<param name="T-1" value=". &gt;= 0"/><param name="T-10" value="false()"/>'
        "</pattern></schema>",
    )

    report = run_rules(b"<invoice><total>-5</total></invoice>", schema)

    assert [failure.rule for failure in report.failed] == ["T-1"]
    assert report.failed[0].text == "Total -5 is negative"
    assert report.failed[0].location == "/Q{}invoice[1]/Q{}total[1]"


def test_first_matching_rule_of_pattern_fires(tmp_path):
    schema = _write(
        tmp_path,
        "schema.sch",
        f"{SCHEMATRON_HEADER}<pattern>"
        '<rule context="line[@kind]"><report id="special" test="true()">x</report>'
        "</rule>"
        '<rule context="line"><report id="plain" test="true()">x</report></rule>'
        "</pattern></schema>",
    )

    report = run_rules(b'<lines><line kind="a"/><line/></lines>', schema)

    assert report.fired_rule_count == 2
    assert report.failed == []


def test_diagnostics_are_rejected(tmp_path):
    schema = _write(
        tmp_path,
        "schema.sch",
        f"{SCHEMATRON_HEADER}<diagnostics/></schema>",
    )

    with pytest.raises(UnsupportedSchematronError, match="diagnostics"):
        compile_schematron(schema)
