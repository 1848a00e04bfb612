#!/usr/bin/env python3
"""Compile a gettext ``.po`` catalog into the ``.mo`` file Python's ``gettext`` reads.

    msgfmt.py messages.po [-o messages.mo]

Enough of the format for course catalogs (``conf/locale/LANG/LC_MESSAGES/graders.po``): ``msgid`` and
``msgstr`` with continuation lines, ``msgctxt``, comments; no plural forms. Fuzzy and untranslated entries
are left out, as GNU msgfmt does by default.
"""
import argparse
import ast
import struct
import sys

MO_MAGIC = 0x950412de


def parse_po(text):
    """{msgid: msgstr} of the catalog (context-qualified ids joined with EOT, as gettext stores them)."""
    catalog = {}
    entry, field, fuzzy = {}, None, False

    def finish():
        nonlocal entry, field, fuzzy
        if "msgid" in entry and "msgstr" in entry and not fuzzy and (entry["msgstr"] or entry["msgid"] == ""):
            key = entry["msgid"]
            if "msgctxt" in entry:
                key = entry["msgctxt"] + "\x04" + key
            catalog[key] = entry["msgstr"]
        entry, field, fuzzy = {}, None, False

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if "msgstr" in entry:
                finish()  # comments belong to the next entry
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid", "msgstr"):
            if keyword in ("msgctxt", "msgid") and "msgstr" in entry:
                finish()
            field = keyword
            entry[field] = _string(rest, number)
        elif line.startswith('"') and field:
            entry[field] += _string(line, number)
        else:
            raise ValueError("line %d: cannot read %r" % (number, raw))
    finish()
    return catalog


def _string(token, number):
    token = token.strip()
    if not (token.startswith('"') and token.endswith('"')):
        raise ValueError("line %d: expected a quoted string" % number)
    return ast.literal_eval(token)


def compile_mo(catalog):
    """The ``.mo`` bytes for ``catalog`` (little-endian, no hash table)."""
    ids = sorted(catalog, key=lambda key: key.encode("utf-8"))
    originals = [key.encode("utf-8") for key in ids]
    translations = [catalog[key].encode("utf-8") for key in ids]
    count = len(ids)
    header_size = 7 * 4
    originals_table = header_size
    translations_table = originals_table + count * 8
    data_start = translations_table + count * 8

    tables, data = [], b""
    for strings in (originals, translations):
        table = []
        for string in strings:
            table.append((len(string), data_start + len(data)))
            data += string + b"\0"
        tables.append(table)
    out = struct.pack("<7I", MO_MAGIC, 0, count, originals_table, translations_table, 0, data_start)
    for table in tables:
        for length, offset in table:
            out += struct.pack("<2I", length, offset)
    return out + data


def main(argv=None):
    parser = argparse.ArgumentParser(description="Compile a .po catalog into a .mo file.")
    parser.add_argument("po")
    parser.add_argument("-o", "--output")
    options = parser.parse_args(argv)
    with open(options.po, encoding="utf-8") as f:
        catalog = parse_po(f.read())
    output = options.output or options.po[:-3] + ".mo"
    with open(output, "wb") as f:
        f.write(compile_mo(catalog))
    return 0


if __name__ == "__main__":
    sys.exit(main())
