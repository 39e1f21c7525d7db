"""The Dutch catalogue is complete, and compiles without GNU gettext."""

import gettext
import io
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from fiat.core.management.commands.compiletranslations import compile_translations

DUTCH_CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "nl" / "LC_MESSAGES" / "django.po"

# Python-format placeholders such as %(name)s or %d, and brace fields {0}.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sdr]|\{\w*\}")


@pytest.fixture(scope="module")
def dutch() -> polib.POFile:
    return polib.pofile(str(DUTCH_CATALOGUE))


def test_dutch_catalogue_has_no_untranslated_entry(dutch):
    untranslated = [entry.msgid for entry in dutch.untranslated_entries()]

    assert untranslated == []


def test_dutch_catalogue_has_no_fuzzy_entry(dutch):
    fuzzy = [entry.msgid for entry in dutch.fuzzy_entries()]

    assert fuzzy == []
    assert not dutch.metadata_is_fuzzy


def test_dutch_catalogue_declares_language_and_plurals(dutch):
    assert dutch.metadata["Language"] == "nl"
    assert dutch.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_dutch_translations_keep_placeholders(dutch):
    mismatched = []
    for entry in dutch.translated_entries():
        if entry.msgid_plural:
            # A singular form may leave out the count: "elke dag", "every day".
            allowed = set(PLACEHOLDER.findall(entry.msgid_plural))
            texts = entry.msgstr_plural.values()
            mismatched += [
                (entry.msgid, text)
                for text in texts
                if not set(PLACEHOLDER.findall(text)) <= allowed
            ]
        elif sorted(PLACEHOLDER.findall(entry.msgstr)) != sorted(
            PLACEHOLDER.findall(entry.msgid)
        ):
            mismatched.append((entry.msgid, entry.msgstr))

    assert mismatched == []


def test_compiled_catalogue_makes_welcome_dutch(settings):
    compile_translations()
    # Assigning LOCALE_PATHS makes Django drop the catalogues it has loaded.
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)

    with translation.override("nl"):
        welcome = translation.gettext("Welcome")

    assert welcome == "Welkom"


def test_command_writes_mo_beside_po():
    output = io.StringIO()

    call_command("compiletranslations", stdout=output)

    mo_path = DUTCH_CATALOGUE.with_suffix(".mo")
    assert f"Compiled {mo_path}\n" in output.getvalue()
    with mo_path.open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    assert compiled.gettext("Log in") == "Inloggen"
    assert compiled.ngettext("every day", "every %(count)d days", 1) == "elke dag"
    assert compiled.ngettext("every day", "every %(count)d days", 3) == (
        "elke %(count)d dagen"
    )


def test_fuzzy_entry_left_out_of_mo(tmp_path):
    # Plain variables, so that makemessages does not take these test
    # messages into Fiat's own catalogue.
    approve, reject = "Approve", "Reject"
    po_path = tmp_path / "de" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalogue.append(polib.POEntry(msgid=approve, msgstr="Genehmigen"))
    catalogue.append(polib.POEntry(msgid=reject, msgstr="Ablehnen", flags=["fuzzy"]))
    catalogue.save(str(po_path))

    compiled_paths = compile_translations([tmp_path])

    assert compiled_paths == [po_path.with_suffix(".mo")]
    with compiled_paths[0].open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    assert compiled.gettext(approve) == "Genehmigen"
    assert compiled.gettext(reject) == "Reject"
