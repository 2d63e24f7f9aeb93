"""The CSV importer's reasons (English, as `flask catalog import` prints them) in the
screen's language: one pattern per reason the importer gives, its values kept. A reason
no pattern knows is shown as it is. Column names get their Chinese header names."""
from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

COLUMN_LABELS = {"code": _l("Product code"), "barcode": _l("Barcode"), "name": _l("Product name"),
                 "category": _l("Category"), "area": _l("Area"),
                 "price_wholesale": _l("Wholesale price"),
                 "price_franchise": _l("Franchise price"), "care_note": _l("Care note"),
                 "material": _l("Material"), "origin": _l("Origin"), "stock": _l("Stock"),
                 "row": _l("Row")}

Words = Callable[[re.Match[str]], str]
_REASONS: list[tuple[re.Pattern[str], Words]] = [
    (re.compile(r"required"), lambda m: _("required")),
    (re.compile(r"contains control characters"), lambda m: _("contains control characters")),
    (re.compile(r"too long: (\d+) characters, at most (\d+)"),
     lambda m: _("too long: %(n)s characters, at most %(limit)s", n=m[1], limit=m[2])),
    (re.compile(r"unknown area (.+)"), lambda m: _("unknown area %(code)s", code=m[1])),
    (re.compile(r"(.+): stock cannot be negative"),
     lambda m: _("%(value)s: stock cannot be negative", value=m[1])),
    (re.compile(r"(.+): stock must be a whole number"),
     lambda m: _("%(value)s: stock must be a whole number", value=m[1])),
    (re.compile(r"(.+): stock is too large \(at most (\d+)\)"),
     lambda m: _("%(value)s: stock is too large (at most %(n)s)", value=m[1], n=m[2])),
    (re.compile(r"(.+): no spaces or control characters allowed"),
     lambda m: _("%(value)s: no spaces or control characters allowed", value=m[1])),
    (re.compile(r"(.+): looks like a number shortened by a spreadsheet; format the column "
                r"as text"),
     lambda m: _("%(value)s: looks like a number shortened by a spreadsheet; format the "
                 "column as text", value=m[1])),
    (re.compile(r"(.+): EAN-13 check digit should be (\d)"),
     lambda m: _("%(value)s: the EAN-13 check digit should be %(digit)s", value=m[1],
                 digit=m[2])),
    (re.compile(r"(too many|too few) cells: (\d+), the header has (\d+) .*"),
     lambda m: _("%(n)s cells but the header has %(columns)s (a comma inside a value needs "
                 "quotes)", n=m[2], columns=m[3])),
    (re.compile(r"duplicate code (.+), already on line (\d+)"),
     lambda m: _("code %(code)s is already on line %(line)s", code=m[1], line=m[2])),
    (re.compile(r"(.+) is already in the catalog \(import with update to change it\)"),
     lambda m: _("%(code)s is already in the catalog (tick \"update\" to change it)",
                 code=m[1])),
    (re.compile(r"duplicate barcode (.+), already on line (\d+)"),
     lambda m: _("barcode %(barcode)s is already on line %(line)s", barcode=m[1], line=m[2])),
    (re.compile(r"barcode (.+) already belongs to product (.+)"),
     lambda m: _("barcode %(barcode)s already belongs to product %(code)s", barcode=m[1],
                 code=m[2])),
    # whole-file problems (ImportFileError)
    (re.compile(r"the file is neither UTF-8 nor GB18030 text"),
     lambda m: _("the file is neither UTF-8 nor GB18030 text")),
    (re.compile(r"line (\d+): not valid CSV \((.*)\)"),
     lambda m: _("line %(line)s is not valid CSV (%(why)s)", line=m[1], why=m[2])),
    (re.compile(r"the file is empty: a header row is required"),
     lambda m: _("the file is empty: a header row is required")),
    (re.compile(r"the file has a header but no product rows"),
     lambda m: _("the file has a header but no product rows")),
    (re.compile(r"unknown columns in the header: (.+) \(expected: (.+)\)"),
     lambda m: _("unknown columns in the header: %(names)s (expected: %(expected)s)",
                 names=m[1], expected=m[2])),
    (re.compile(r"columns given twice: (.+)"),
     lambda m: _("columns given twice: %(names)s", names=m[1])),
    (re.compile(r"the header lacks required columns: (.+)"),
     lambda m: _("the header lacks required columns: %(names)s", names=m[1])),
]


def reason_words(reason: str) -> str:
    for pattern, words in _REASONS:
        found = pattern.fullmatch(reason)
        if found:
            return words(found)
    return reason


def column_words(name: str) -> str:
    label = COLUMN_LABELS.get(name)
    return str(label) if label is not None else name
