"""Compile ISO Schematron (query binding xslt2) to an XSLT 2.0 stylesheet.

The official Peppol BIS 3 and NLCIUS (SI-UBL 2.0) rules are published as
Schematron. Their reference implementation is the ISO Schematron
"skeleton", three XSLT stylesheets that no Python package installable
here ships, so this module does the same three steps in Python:

1. include: each ``<include href>`` is replaced by the root element of the
   file it names, resolved against the including file.
2. abstract patterns: a pattern with ``is-a`` takes the rules of the
   abstract pattern it names, with every ``$name`` of its ``<param>``s
   replaced by the parameter's value. Longer names go first, so that
   ``$BR-10`` is not read as ``$BR-1``. The abstract patterns are dropped.
3. compile: each pattern becomes a mode. Its rules become templates whose
   priorities fall in document order, so that within a pattern only the
   first rule that matches a node fires, as ISO Schematron requires. Each
   template writes ``svrl:fired-rule``, then ``svrl:failed-assert`` for
   each assert that fails and ``svrl:successful-report`` for each report
   that holds, and goes on with the node's attributes and children.

Schema and pattern ``let``s become global variables, rule ``let``s local
ones, and XSLT elements at schema level (the Peppol ``xsl:function``s) are
copied into the stylesheet. Phases, diagnostics and ``extends`` are not
supported: every pattern runs, which is the ``#ALL`` phase, and a schema
that uses ``diagnostics`` or ``extends`` raises UnsupportedSchematronError.
"""

import re
from pathlib import Path

from lxml import etree

SCHEMATRON = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL = "http://purl.oclc.org/dsdl/svrl"
_S = f"{{{SCHEMATRON}}}"
_UNSUPPORTED = ("diagnostics", "extends")
# Characters that may follow a parameter reference without ending its name.
_NAME_CHARACTER = r"[\w.\-]"


class UnsupportedSchematronError(ValueError):
    """A Schematron feature that this compiler does not implement."""


def compile_schematron(path: Path) -> bytes:
    """Return the XSLT 2.0 stylesheet that validates by the schema at ``path``.

    The stylesheet writes an SVRL report for the document it transforms.
    """
    schema = _resolve_includes(etree.parse(str(path)).getroot(), path.parent)
    _check_supported(schema)
    _expand_abstract_patterns(schema)
    return etree.tostring(
        _stylesheet(schema), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def _resolve_includes(element: etree._Element, base: Path) -> etree._Element:
    for include in list(element.iter(f"{_S}include")):
        target = (base / include.get("href")).resolve()
        included = _resolve_includes(etree.parse(str(target)).getroot(), target.parent)
        include.getparent().replace(include, included)
    return element


def _check_supported(schema: etree._Element) -> None:
    for name in _UNSUPPORTED:
        if next(schema.iter(f"{_S}{name}"), None) is not None:
            raise UnsupportedSchematronError(
                f"The Schematron element {name!r} is not supported; run the schema "
                "with a full Schematron implementation."
            )


def _expand_abstract_patterns(schema: etree._Element) -> None:
    patterns = list(schema.iter(f"{_S}pattern"))
    abstract = {p.get("id"): p for p in patterns if p.get("abstract") == "true"}
    for pattern in patterns:
        base_id = pattern.get("is-a")
        if base_id is None:
            continue
        if base_id not in abstract:
            raise UnsupportedSchematronError(
                f"Pattern {pattern.get('id')!r} instantiates {base_id!r}, which is "
                "not an abstract pattern of this schema."
            )
        parameters = {
            param.get("name"): param.get("value")
            for param in pattern.findall(f"{_S}param")
        }
        for param in pattern.findall(f"{_S}param"):
            pattern.remove(param)
        for child in abstract[base_id]:
            pattern.append(_substitute(child, parameters))
        del pattern.attrib["is-a"]
    for pattern in abstract.values():
        pattern.getparent().remove(pattern)


def _substitute(element: etree._Element, parameters: dict[str, str]):
    """Return a copy of ``element`` with ``$name`` replaced in attributes."""
    names = sorted(parameters, key=len, reverse=True)
    alternatives = "|".join(re.escape(name) for name in names)
    reference = re.compile(rf"\$({alternatives})(?!{_NAME_CHARACTER})")
    copy = etree.fromstring(etree.tostring(element))
    for node in copy.iter():
        for attribute, value in node.attrib.items():
            node.set(attribute, reference.sub(lambda m: parameters[m.group(1)], value))
    return copy


def _namespaces(schema: etree._Element) -> dict[str, str]:
    namespaces = {
        prefix: uri
        for prefix, uri in schema.nsmap.items()
        if prefix and uri not in (SCHEMATRON, XSL)
    }
    for ns in schema.iter(f"{_S}ns"):
        namespaces[ns.get("prefix")] = ns.get("uri")
    return namespaces


def _stylesheet(schema: etree._Element) -> etree._Element:
    namespaces = _namespaces(schema)
    stylesheet = etree.Element(
        f"{{{XSL}}}stylesheet",
        nsmap={"xsl": XSL, "svrl": SVRL, **namespaces},
        version="2.0",
    )
    _xsl(stylesheet, "output", method="xml", indent="no")
    for child in schema:
        if isinstance(child.tag, str) and child.tag.startswith(f"{{{XSL}}}"):
            stylesheet.append(_copy(child))
    for let in schema.findall(f"{_S}let"):
        _variable(stylesheet, let)
    patterns = [
        pattern
        for pattern in schema.iter(f"{_S}pattern")
        if pattern.get("abstract") != "true"
    ]
    for pattern in patterns:
        for let in pattern.findall(f"{_S}let"):
            _variable(stylesheet, let)
    _root_template(stylesheet, patterns)
    for index, pattern in enumerate(patterns):
        _pattern_templates(stylesheet, pattern, f"M{index}")
    return stylesheet


def _xsl(parent: etree._Element, element: str, /, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{XSL}}}{element}", attributes)


def _copy(element: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(element))


def _variable(parent: etree._Element, let: etree._Element) -> None:
    _xsl(parent, "variable", name=let.get("name"), select=let.get("value"))


def _root_template(stylesheet: etree._Element, patterns) -> None:
    template = _xsl(stylesheet, "template", match="/")
    output = etree.SubElement(template, f"{{{SVRL}}}schematron-output")
    for index, pattern in enumerate(patterns):
        active = etree.SubElement(output, f"{{{SVRL}}}active-pattern")
        active.set("id", _literal(pattern.get("id", f"pattern-{index}")))
        _xsl(output, "apply-templates", select="/", mode=f"M{index}")


def _pattern_templates(
    stylesheet: etree._Element, pattern: etree._Element, mode: str
) -> None:
    rules = [rule for rule in pattern.findall(f"{_S}rule") if rule.get("context")]
    for position, rule in enumerate(rules):
        priority = str(1000 + len(rules) - position)
        template = _xsl(
            stylesheet, "template", match=rule.get("context"), priority=priority,
            mode=mode,
        )  # fmt: skip
        fired = etree.SubElement(template, f"{{{SVRL}}}fired-rule")
        fired.set("context", _literal(rule.get("context")))
        for child in rule:
            if child.tag == f"{_S}let":
                _variable(template, child)
            elif child.tag == f"{_S}assert":
                _check(template, child, rule, failing=True)
            elif child.tag == f"{_S}report":
                _check(template, child, rule, failing=False)
        _xsl(template, "apply-templates", select="@*|*", mode=mode)
    _xsl(stylesheet, "template", match="text()", priority="-1", mode=mode)
    fallback = _xsl(stylesheet, "template", match="@*|node()", priority="-2", mode=mode)
    _xsl(fallback, "apply-templates", select="@*|*", mode=mode)


def _check(
    template: etree._Element,
    check: etree._Element,
    rule: etree._Element,
    *,
    failing: bool,
) -> None:
    """Write the SVRL element of an assert that fails or a report that holds."""
    test = check.get("test")
    condition = f"not({test})" if failing else test
    branch = _xsl(template, "if", test=condition)
    name = "failed-assert" if failing else "successful-report"
    result = etree.SubElement(branch, f"{{{SVRL}}}{name}")
    result.set("test", _literal(test))
    for attribute in ("id", "role"):
        if check.get(attribute):
            result.set(attribute, _literal(check.get(attribute)))
    flag = check.get("flag") or rule.get("flag")
    if flag:
        result.set("flag", _literal(flag))
    _xsl(result, "attribute", name="location", select="path()")
    text = etree.SubElement(result, f"{{{SVRL}}}text")
    _message(text, check)


def _message(target: etree._Element, check: etree._Element) -> None:
    """Copy the assert's text, evaluating ``value-of`` and ``name``."""
    _append_text(target, check.text)
    for child in check:
        if child.tag == f"{_S}value-of":
            _xsl(target, "value-of", select=child.get("select"))
        elif child.tag == f"{_S}name":
            _xsl(target, "value-of", select=f"name({child.get('path', '.')})")
        else:
            _append_text(target, child.xpath("string()"))
        _append_text(target, child.tail)


def _append_text(target: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(target):
        last = target[-1]
        last.tail = (last.tail or "") + text
    else:
        target.text = (target.text or "") + text


def _literal(value: str) -> str:
    """Escape ``value`` for an attribute value template, where braces evaluate."""
    return value.replace("{", "{{").replace("}", "}}")
