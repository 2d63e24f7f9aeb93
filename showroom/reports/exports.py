"""Exports managers ask for (customer balances, the daily report, a customer's ledger) as
CSV and Excel.

CSV is UTF-8 with a BOM so Excel opens Chinese correctly; money is a string "1234.50".
In .xlsx money is a number with two decimals (format 0.00, exact: fen / 100 as Decimal).
Any text cell that a spreadsheet would read as a formula (starting with = + - @, tab or
CR) is neutralised with a leading apostrophe (OWASP "CSV injection").
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from showroom.clock import local
from showroom.customers.models import Customer, LedgerEntry
from showroom.extensions import db
from showroom.labels import label
from showroom.money import fen_str, to_decimal
from showroom.reports.daily import DailyFigures

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Fen:
    """A money cell: fen, written as "1234.50" in CSV and 1234.50 (0.00) in Excel."""

    fen: int


Cell = str | int | Fen | None


@dataclass(frozen=True)
class Sheet:
    name: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def neutral(text: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(sheet: Sheet) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutral(h) for h in sheet.header])
    for row in sheet.rows:
        writer.writerow([_csv_cell(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Fen):
        return fen_str(cell.fen)
    if isinstance(cell, int):
        return str(cell)
    return neutral(cell)


def to_xlsx(sheet: Sheet) -> bytes:
    from openpyxl import Workbook  # imported when an export is asked for

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet.name[:31]
    ws.append([neutral(h) for h in sheet.header])
    for r, row in enumerate(sheet.rows, start=2):
        for c, cell in enumerate(row, start=1):
            target = ws.cell(row=r, column=c)
            if isinstance(cell, Fen):
                target.value = to_decimal(cell.fen)
                target.number_format = "0.00"
            elif isinstance(cell, int):
                target.value = cell
            elif cell is not None:
                target.value = neutral(cell)
                target.data_type = "s"  # text stays text, never a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _when(dt: Any) -> str:
    return local(dt, current_app.config["SHOWROOM_TIMEZONE"]).strftime("%Y-%m-%d %H:%M")


def balances_sheet() -> Sheet:
    rows = db.session.execute(select(Customer.code, Customer.name, Customer.kind,
                                     Customer.balance, Customer.credit_limit)
                              .order_by(Customer.code)).all()
    return Sheet(_("Balances"), [_("Code"), _("Name"), _("Kind"), _("Balance"),
                                 _("Credit limit")],
                 [(code, name, label(kind, "customer_kind"), Fen(balance),
                   Fen(limit) if limit is not None else None)
                  for code, name, kind, balance, limit in rows])


def ledger_sheet(customer: Customer) -> Sheet:
    entries: Iterable[LedgerEntry] = db.session.scalars(
        select(LedgerEntry).where(LedgerEntry.customer_id == customer.id)
        .order_by(LedgerEntry.id))
    return Sheet(customer.code, [_("Date"), _("Kind"), _("Reference"), _("Amount"),
                                 _("Balance after"), _("Note")],
                 [(_when(e.created_at), label(e.kind, "ledger"), e.ref, Fen(e.amount),
                   Fen(e.balance_after), e.note) for e in entries])


def daily_sheet(r: DailyFigures) -> Sheet:
    rows: list[Sequence[Cell]] = [
        (_("Sales"), Fen(r.sales_total)), (_("Orders settled"), r.orders)]
    rows += [(label(m, "payment"), Fen(v)) for m, v in r.payments_by_method.items()]
    rows += [(_("Money taken"), Fen(r.payments_total)),
             (_("On account"), Fen(r.on_account_total)), (_("Returns"), Fen(r.returns_total)),
             (_("Refunds of credit"), Fen(r.refunds_total)),
             (_("Debts outstanding (end of day)"), Fen(r.debt_total)),
             (_("Credit held (end of day)"), Fen(r.credit_total))]
    rows += [(f"{s['number']} {s['cashier_staff_no']} {s['cashier']}", Fen(s["cash_difference"]))
             for s in r.shifts]
    return Sheet(r.day.isoformat(), [_("Figure"), _("Amount")], rows)


def as_decimal(fen: int) -> Decimal:
    return to_decimal(fen)
