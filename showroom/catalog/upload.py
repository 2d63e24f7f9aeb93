"""CSV product import from the browser: the same importer as `flask catalog import`
(read, check every row, then write all rows or none), driven by an uploaded file.

A file that is not a CSV, a header the importer does not know, or any bad row refuses the
whole import with every problem listed by line number; nothing is written. The request
body limit (security.py, MAX_CONTENT_LENGTH) bounds the file before a byte is read.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from flask_babel import gettext as _

from showroom.catalog.import_words import reason_words
from showroom.catalog.importer import ImportFileError, RowError, check_rows, read_csv, write_rows
from showroom.errors import ValidationFailed, required

SHOWN_ERRORS = 500  # rows listed on the page; all are counted


class ImportRefused(ValidationFailed):
    """Bad rows: nothing imported; `rows` lists every problem, `total` the rows read."""

    code = "import-refused"

    def __init__(self, message: str, *, problems: list[RowError], total: int) -> None:
        super().__init__(message, errors={"file": _("bad rows")})
        self.problems = problems
        self.total = total


@dataclass
class UploadResult:
    filename: str
    encoding: str
    rows: int
    created: int
    updated: int
    units: int
    receipt_number: str | None
    seconds: float


def _not_csv(filename: str, data: bytes) -> bool:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix and suffix not in ("csv", "txt"):
        return True
    return b"\x00" in data[:4096] or data[:4] in (b"%PDF", b"PK\x03\x04", b"\x89PNG")


def import_upload(filename: str, data: bytes, *, update: bool,
                  staff_id: int | None) -> UploadResult:
    started = time.perf_counter()
    filename = (filename or "").strip()[:120]
    if not data:
        raise ValidationFailed(_("Choose a CSV file to import."), errors={"file": required()})
    if _not_csv(filename, data):
        raise ValidationFailed(_("This is not a CSV file: save the sheet as CSV (UTF-8 or "
                                 "GB18030) and upload that."),
                               errors={"file": _("not a CSV file")})
    try:
        parsed = read_csv(data)
    except ImportFileError as exc:
        reason = reason_words(str(exc))
        raise ValidationFailed(_("This file cannot be imported: %(reason)s", reason=reason),
                               errors={"file": reason}) from None
    checked = check_rows(parsed, update=update)
    if not checked.ok:
        bad = len({e.line for e in checked.errors})
        raise ImportRefused(_("%(bad)s bad rows out of %(total)s: nothing imported. Correct "
                              "them and upload the file again.", bad=bad,
                              total=len(parsed.records)),
                            problems=checked.errors, total=len(parsed.records))
    result = write_rows(checked.rows, staff_id=staff_id)
    return UploadResult(filename, parsed.encoding, len(parsed.records), result.created,
                        result.updated, result.units, result.receipt_number,
                        round(time.perf_counter() - started, 2))
