"""Product import from CSV: read, check every row, then write all rows or none.

A service (no Flask request, no click): `flask catalog import` drives it and commits once.
- `read_csv(bytes)`: UTF-8 (with or without BOM), else GB18030 (what Excel saves on a
  Chinese Windows); a header row naming the columns (English names or the Chinese ones in
  `ALIASES`). Whole-file problems raise `ImportFileError`.
- `check_rows(...)`: every bad row is reported with its line number and reason; nothing is
  written while any row is bad.
- `write_rows(...)` (from `showroom.catalog.bulk`): bulk INSERT/UPDATE in batches, COPY on
  PostgreSQL. Stock arrives as one stock receipt (入库单): each row's stock is appended as
  a receipt move and on-hand moves by the same amount in the same transaction, so on-hand
  stays the sum of the moves.

With `update=True`, a code already in the catalog updates that product instead of being
an error: the cells given replace the stored values, blank cells keep them, and `stock`
is received on top of what is on hand.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from showroom.catalog import bulk
from showroom.catalog.bulk import ImportResult, Progress, write_rows
from showroom.catalog.models import Area
from showroom.catalog.services import MAX_QTY
from showroom.extensions import db
from showroom.money import MoneyError, parse_fen

__all__ = ["COLUMNS", "CsvFile", "ImportFileError", "ImportResult", "RowError", "check_rows",
           "ean13_check_digit", "import_products", "read_csv", "valid_ean13", "write_rows"]

COLUMNS = ("code", "barcode", "name", "category", "area", "price_wholesale",
           "price_franchise", "care_note", "material", "origin", "stock")
REQUIRED_COLUMNS = ("code", "name", "price_wholesale", "price_franchise")
ALIASES = {"编码": "code", "商品编码": "code", "货号": "code", "条码": "barcode",
           "名称": "name", "商品名称": "name", "品名": "name", "类别": "category",
           "分类": "category", "区域": "area", "批发价": "price_wholesale",
           "加盟价": "price_franchise", "保养说明": "care_note", "材质": "material",
           "产地": "origin", "库存": "stock", "数量": "stock"}
LIMITS = {"code": 40, "barcode": 64, "name": 120, "category": 40, "area": 20,
          "care_note": 2000, "material": 60, "origin": 60}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_NOTE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # line breaks and tabs are fine
_SPACE = re.compile(r"\s")


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (encoding, header)."""


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.reason}"


@dataclass
class CsvFile:
    encoding: str
    columns: list[str]
    records: list[tuple[int, list[str]]]  # (first line number, cells)


@dataclass(slots=True)
class CleanRow:
    line: int
    values: dict[str, Any]  # only the columns the row gives (blank cells left out)
    stock: int
    existing_id: int | None = None


@dataclass
class CheckResult:
    rows: list[CleanRow]
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def ean13_check_digit(first12: str) -> int:
    """GS1 check digit: weights 1,3,1,3… from the left over the first 12 digits."""
    total = sum(map(int, first12[0:12:2])) + 3 * sum(map(int, first12[1:12:2]))
    return (10 - total % 10) % 10


def valid_ean13(code: str) -> bool:
    return len(code) == 13 and code.isdigit() and ean13_check_digit(code[:12]) == int(code[12])


def decode(data: bytes) -> tuple[str, str]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFileError("the file is neither UTF-8 nor GB18030 text")


def read_csv(data: bytes) -> CsvFile:
    text, encoding = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    records: list[tuple[int, list[str]]] = []
    last = 0
    try:
        for cells in reader:
            first, last = last + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = _columns(cells)
            else:
                records.append((first, cells))
    except csv.Error as exc:
        raise ImportFileError(f"line {last + 1}: not valid CSV ({exc})") from exc
    if header is None:
        raise ImportFileError("the file is empty: a header row is required")
    if not records:
        raise ImportFileError("the file has a header but no product rows")
    return CsvFile(encoding, header, records)


def _columns(cells: list[str]) -> list[str]:
    names = [c.strip().lstrip("\ufeff").strip() for c in cells]
    names = [ALIASES.get(n, n.lower()) for n in names]
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        raise ImportFileError("unknown columns in the header: " + ", ".join(unknown)
                              + " (expected: " + ", ".join(COLUMNS) + ")")
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        raise ImportFileError("columns given twice: " + ", ".join(doubled))
    missing = [n for n in REQUIRED_COLUMNS if n not in names]
    if missing:
        raise ImportFileError("the header lacks required columns: " + ", ".join(missing))
    return names


def check_rows(file: CsvFile, *, update: bool = False, progress: Progress = None) -> CheckResult:
    """Clean each row, then check codes and barcodes against the file and the catalog."""
    areas = {code: area_id for code, area_id in db.session.execute(select(Area.code, Area.id))}
    cleaners = [_cleaner(name, areas) for name in file.columns]
    result = CheckResult(rows=[])
    for n, (line, cells) in enumerate(file.records, 1):
        row, errors = _clean(line, file.columns, cleaners, cells)
        if errors:
            result.errors.extend(errors)
        elif row is not None:
            result.rows.append(row)
        if progress and n % 1000 == 0:
            progress(1000)
    if progress:
        progress(len(file.records) % 1000)
    _check_uniqueness(file, result, update)
    result.errors.sort(key=lambda e: e.line)
    return result


def _clean(line: int, columns: list[str], cleaners: list[Callable[[str], Any]],
           cells: list[str]) -> tuple[CleanRow | None, list[RowError]]:
    if len(cells) != len(columns):
        what = "too many" if len(cells) > len(columns) else "too few"
        reason = (f"{what} cells: {len(cells)}, the header has {len(columns)} "
                  "(a comma inside a value needs quotes)")
        return None, [RowError(line, "row", reason)]
    errors: list[RowError] = []
    values: dict[str, Any] = {}
    for name, clean, raw in zip(columns, cleaners, cells, strict=True):
        value = raw.strip()
        if not value:
            if name in REQUIRED_COLUMNS:
                errors.append(RowError(line, name, "required"))
            continue
        try:
            values[name] = clean(value)
        except ValueError as exc:
            errors.append(RowError(line, name, str(exc)))
    if errors:
        return None, errors
    if "area" in values:
        values["area_id"] = values.pop("area")
    return CleanRow(line, values, values.pop("stock", 0)), []


def _cleaner(name: str, areas: dict[str, int]) -> Callable[[str], Any]:
    """value -> clean value, or ValueError(reason). Blank cells never get here."""
    limit = LIMITS.get(name, 0)

    def text(value: str) -> str:
        if len(value) > limit:
            raise ValueError(f"too long: {len(value)} characters, at most {limit}")
        if (_CONTROL_NOTE if name == "care_note" else _CONTROL).search(value):
            raise ValueError("contains control characters")
        return value

    def code(value: str) -> str:
        if len(value) > limit:
            raise ValueError(f"too long: {len(value)} characters, at most {limit}")
        problem = _code_problem(name, value)
        if problem:
            raise ValueError(f"{value!r}: {problem}")
        return value.upper() if name == "code" else value

    def area(value: str) -> int:
        found = areas.get(value, areas.get(value.upper()))
        if found is None:
            raise ValueError(f"unknown area {value!r}")
        return found

    if name in ("price_wholesale", "price_franchise"):
        return _price
    if name == "stock":
        return _qty
    if name == "area":
        return area
    return code if name in ("code", "barcode") else text


def _price(value: str) -> int:
    try:
        return parse_fen(value)
    except MoneyError as exc:
        raise ValueError(f"{value!r}: {exc}") from None


def _qty(value: str) -> int:
    text = value.replace(",", "")
    if text.startswith("-") and text[1:].isdigit():
        raise ValueError(f"{value!r}: stock cannot be negative")
    if not text.isdigit():
        raise ValueError(f"{value!r}: stock must be a whole number")
    if int(text) > MAX_QTY:
        raise ValueError(f"{value!r}: stock is too large (at most {MAX_QTY})")
    return int(text)


def _code_problem(name: str, value: str) -> str | None:
    if not value.isprintable() or _SPACE.search(value):
        return "no spaces or control characters allowed"
    if name == "barcode":
        if "E+" in value.upper() and value.replace(".", "").replace("+", "").isalnum():
            return "looks like a number shortened by a spreadsheet; format the column as text"
        if len(value) == 13 and value.isdigit() and not valid_ean13(value):
            return f"EAN-13 check digit should be {ean13_check_digit(value[:12])}"
    return None


def _check_uniqueness(file: CsvFile, result: CheckResult, update: bool) -> None:
    """Duplicates inside the file, codes already in the catalog, barcodes owned elsewhere."""
    first_code: dict[str, int] = {}
    first_barcode: dict[str, int] = {}
    # Rows with field errors still claim their code/barcode so duplicates of them show too.
    at_code = file.columns.index("code")
    at_barcode = file.columns.index("barcode") if "barcode" in file.columns else None
    for line, cells in file.records:
        code = cells[at_code].strip().upper() if at_code < len(cells) else ""
        barcode = (cells[at_barcode].strip()
                   if at_barcode is not None and at_barcode < len(cells) else "")
        if code:
            first_code.setdefault(code, line)
        if barcode:
            first_barcode.setdefault(barcode, line)
    existing = _existing("code", [r.values["code"] for r in result.rows])
    owners = _existing("barcode",
                       [r.values["barcode"] for r in result.rows if "barcode" in r.values])
    kept: list[CleanRow] = []
    for row in result.rows:
        code, barcode = str(row.values["code"]), str(row.values.get("barcode") or "")
        bad = len(result.errors)
        if first_code[code] != row.line:
            result.errors.append(RowError(row.line, "code", f"duplicate code {code}, "
                                          f"already on line {first_code[code]}"))
        elif code in existing:
            if update:
                row.existing_id = existing[code][0]
            else:
                result.errors.append(RowError(row.line, "code", f"{code} is already in the "
                                              "catalog (import with update to change it)"))
        if barcode:
            if first_barcode[barcode] != row.line:
                result.errors.append(RowError(
                    row.line, "barcode",
                    f"duplicate barcode {barcode}, already on line {first_barcode[barcode]}"))
            elif barcode in owners and owners[barcode][1] != code:
                result.errors.append(RowError(row.line, "barcode", f"barcode {barcode} already "
                                              f"belongs to product {owners[barcode][1]}"))
        if len(result.errors) == bad:
            kept.append(row)
    result.rows = kept


def _existing(column: str, values: Sequence[str]) -> dict[str, tuple[int, str]]:
    """{value: (product id, product code)} for the values already in the catalog."""
    return {value: (pid, code) for value, pid, code in bulk.lookup(column, values)}


def import_products(data: bytes, *, update: bool = False,
                    staff_id: int | None = None) -> tuple[CheckResult, ImportResult | None]:
    """Read, check and (if every row is good) write. The caller commits or rolls back."""
    checked = check_rows(read_csv(data), update=update)
    if not checked.ok:
        return checked, None
    return checked, write_rows(checked.rows, staff_id=staff_id)
