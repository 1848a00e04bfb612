"""The .po → .mo compiler, and the committed example catalogs being its output."""
import gettext
import glob
import io
import os

import msgfmt
from conftest import LEGACY_CASES

PO = r'''
# a comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

msgid "Your code must make use of the \"{0}\" keyword."
msgstr "Via kodo devas uzi "
"la ŝlosilvorton \"{0}\"."

#, fuzzy
msgid "fuzzy one"
msgstr "never used"

msgid "untranslated"
msgstr ""

msgctxt "menu"
msgid "Open"
msgstr "Malfermi"

msgid "tab\tand\\backslash"
msgstr "tabo\tkaj\\"
'''


def test_parse_po():
    catalog = msgfmt.parse_po(PO)
    assert catalog == {
        "": "Content-Type: text/plain; charset=UTF-8\n",
        'Your code must make use of the "{0}" keyword.': 'Via kodo devas uzi la ŝlosilvorton "{0}".',
        "menu\x04Open": "Malfermi",
        "tab\tand\\backslash": "tabo\tkaj\\",
    }


def test_compiled_catalog_is_read_by_gettext():
    translations = gettext.GNUTranslations(io.BytesIO(msgfmt.compile_mo(msgfmt.parse_po(PO))))
    assert translations.gettext('Your code must make use of the "{0}" keyword.') == \
        'Via kodo devas uzi la ŝlosilvorton "{0}".'
    assert translations.pgettext("menu", "Open") == "Malfermi"
    assert translations.gettext("fuzzy one") == "fuzzy one"
    assert translations.gettext("untranslated") == "untranslated"


def test_the_committed_catalogs_are_compiled_from_their_po():
    pos = glob.glob(os.path.join(LEGACY_CASES, "*", "conf", "locale", "*", "LC_MESSAGES", "graders.po"))
    assert len(pos) == 2
    for po in pos:
        with open(po, encoding="utf-8") as f:
            expected = msgfmt.compile_mo(msgfmt.parse_po(f.read()))
        with open(po[:-3] + ".mo", "rb") as f:
            assert f.read() == expected, po
