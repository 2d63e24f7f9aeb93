"""`flask catalog import FILE.csv [--update]`: the CSV product import with a progress bar.

The checking and writing live in `showroom.catalog.importer`; this edge reads the file,
shows progress, prints every bad row and commits once (or not at all).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from showroom.auth.models import Staff
from showroom.catalog.importer import COLUMNS, ImportFileError, check_rows, read_csv, write_rows
from showroom.db import deferred_reads
from showroom.extensions import db

catalog_cli = AppGroup("catalog", help="Products and stock.")

IMPORT_HELP = f"""Import products from a CSV file: all rows or none.

\b
Columns (header row required, any order):
  {", ".join(COLUMNS[:6])},
  {", ".join(COLUMNS[6:])}

Required: code, name, price_wholesale, price_franchise. Prices in yuan with at
most two decimals ("12.50"); stock is a whole number of pieces received (入库),
blank = 0; area is an area code (e.g. A1). Codes are stored upper-case. Chinese
headers (编码, 条码, 名称, 批发价, 加盟价, 库存 …) are accepted. The file may be
UTF-8 (with or without BOM) or GB18030/GBK (Excel on Chinese Windows).

If any row is bad nothing is written: every bad row is listed with its line
number and the reason, and the command exits with status 1. Good files are
written in one transaction (on SQLite the floor waits for its write lock while
the rows are written: import big files outside opening hours).

A code that is already in the catalog is an error unless --update is given.
With --update, such a row updates that product: the cells given replace the
stored name, category, area, prices, care note, material, origin and barcode;
blank cells keep the stored value; stock is received on top of what is on hand
(so re-importing the same file with --update receives its stock again; blank
the stock column to change only prices or names).
"""


@catalog_cli.command("import", help=IMPORT_HELP)
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--update", is_flag=True, help="Update products whose code already exists.")
@click.option("--staff", "staff_no", default=None,
              help="Staff number recorded on the stock receipt.")
@click.option("--max-errors", default=200, show_default=True,
              help="How many bad rows to print (all are counted).")
def import_command(csv_file: Path, update: bool, staff_no: str | None, max_errors: int) -> None:
    started = time.perf_counter()
    try:
        parsed = read_csv(csv_file.read_bytes())
    except ImportFileError as exc:
        raise click.ClickException(f"{csv_file.name}: {exc}") from exc
    total = len(parsed.records)
    click.echo(f"{csv_file.name}: {total} rows, {parsed.encoding}")
    # Check in a read transaction so the floor can keep writing meanwhile (SQLite takes its
    # write lock only for the writing); a code taken in between fails the unique index.
    with deferred_reads():
        staff_id = None
        if staff_no:
            staff_id = db.session.scalar(select(Staff.id).where(Staff.staff_no == staff_no))
        if staff_no and staff_id is None:
            db.session.rollback()
            raise click.ClickException(f"no staff member {staff_no}")
        with click.progressbar(length=total, label="checking", file=sys.stderr,
                               show_pos=True) as bar:
            checked = check_rows(parsed, update=update, progress=bar.update)
        db.session.rollback()
    if not checked.ok:
        lines = sorted({e.line for e in checked.errors})
        for error in checked.errors[:max_errors]:
            click.echo(str(error), err=True)
        if len(checked.errors) > max_errors:
            click.echo(f"… and {len(checked.errors) - max_errors} more problems", err=True)
        raise click.ClickException(
            f"{len(lines)} bad rows out of {total}: nothing imported. Correct them and run again.")
    try:
        with click.progressbar(length=len(checked.rows), label="writing",
                               file=sys.stderr, show_pos=True) as bar:
            result = write_rows(checked.rows, staff_id=staff_id, progress=bar.update)
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise click.ClickException(
            "the catalog changed while importing (a code or barcode was taken meanwhile): "
            "nothing imported, run again") from exc
    except Exception:
        db.session.rollback()
        raise
    receipt = f", {result.units} pieces received on {result.receipt_number}" if result.units else ""
    click.echo(f"imported {result.created} new, updated {result.updated}{receipt} "
               f"in {time.perf_counter() - started:.1f} s")
