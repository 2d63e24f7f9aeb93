"""The daily report (日报表, SPEC §9.1): one business day in the showroom's time zone.

Every figure is a sum of what was recorded that day, so it equals the ledger and the
payments of the day:
- sales = settlements of the day (their totals), orders = how many;
- payments by method = settlement payments (on account apart) + desk payments (收款单);
- returns = return credits posted on the ledger + on-the-spot return slips (taken off the
  order before settling, so never on the ledger);
- refunds = credit refunds (退款单);
- debts / credits outstanding = Σ positive / Σ negative customer balances at the end of the
  day: each customer's balance now minus the ledger entries posted after the day;
- the shifts closed that day.
Each figure is one indexed aggregate query (created_at is indexed on every table read).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from showroom.auth.models import Staff
from showroom.clock import local, now_utc, showroom_tz
from showroom.customers.models import Customer, LedgerEntry
from showroom.errors import ValidationFailed
from showroom.extensions import db
from showroom.money import fen_str
from showroom.money_desk.models import CreditRefund, DeskPayment, ShiftClose
from showroom.settlement.models import Payment, ReturnSlip, Settlement

METHODS = ("cash", "bank_transfer", "wechat", "alipay")
FIRST_YEAR, LAST_YEAR = 2000, 2099


@dataclass
class DailyFigures:
    day: date
    sales_total: int = 0
    orders: int = 0
    payments_by_method: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METHODS, 0))
    on_account_total: int = 0
    returns_total: int = 0
    refunds_total: int = 0
    debt_total: int = 0
    credit_total: int = 0
    shifts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def payments_total(self) -> int:
        return sum(self.payments_by_method.values())


def parse_day(text: object) -> date:
    """YYYY-MM-DD (full-width digits accepted); missing = today in the showroom."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return local(now_utc(), current_app.config["SHOWROOM_TIMEZONE"]).date()
    from showroom.money import ascii_number

    raw = ascii_number(str(text)).strip()
    try:
        day = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationFailed(_("the date must look like 2026-11-22"),
                               errors={"date": _("a date like 2026-11-22")})
    return day


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of the showroom's calendar day, as aware datetimes."""
    tz = showroom_tz(current_app.config["SHOWROOM_TIMEZONE"])
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def daily_report(day: date) -> DailyFigures:
    start, end = day_bounds(day)
    out = DailyFigures(day=day)
    sales, orders = db.session.execute(
        select(func.coalesce(func.sum(Settlement.total), 0), func.count(Settlement.id))
        .where(Settlement.created_at >= start, Settlement.created_at < end)).one()
    out.sales_total, out.orders = int(sales), int(orders)
    for method, amount in db.session.execute(
            select(Payment.method, func.sum(Payment.amount))
            .join(Settlement, Settlement.id == Payment.settlement_id)
            .where(Settlement.created_at >= start, Settlement.created_at < end)
            .group_by(Payment.method)):
        if method == "on_account":
            out.on_account_total += int(amount)
        else:
            out.payments_by_method[method] = out.payments_by_method.get(method, 0) + int(amount)
    for method, amount in db.session.execute(
            select(DeskPayment.method, func.sum(DeskPayment.amount))
            .where(DeskPayment.created_at >= start, DeskPayment.created_at < end)
            .group_by(DeskPayment.method)):
        out.payments_by_method[method] = out.payments_by_method.get(method, 0) + int(amount)
    credited = db.session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount), 0))
        .where(LedgerEntry.kind == "return_credit", LedgerEntry.created_at >= start,
               LedgerEntry.created_at < end))
    on_the_spot = db.session.scalar(
        select(func.coalesce(func.sum(ReturnSlip.total), 0))
        .where(ReturnSlip.kind == "on_the_spot", ReturnSlip.created_at >= start,
               ReturnSlip.created_at < end))
    out.returns_total = -int(credited or 0) + int(on_the_spot or 0)
    out.refunds_total = int(db.session.scalar(
        select(func.coalesce(func.sum(CreditRefund.amount), 0))
        .where(CreditRefund.created_at >= start, CreditRefund.created_at < end)) or 0)
    out.debt_total, out.credit_total = outstanding_at(end)
    out.shifts = _shifts(start, end)
    return out


def outstanding_at(end: datetime) -> tuple[int, int]:
    """(Σ positive, Σ negative) customer balances just before `end`: the balance now
    minus what was posted since (few rows for a recent day, found by the created_at index)."""
    later = (select(LedgerEntry.customer_id, func.sum(LedgerEntry.amount).label("moved"))
             .where(LedgerEntry.created_at >= end).group_by(LedgerEntry.customer_id).subquery())
    at_end = (Customer.balance - func.coalesce(later.c.moved, 0))
    rows = select(at_end.label("b")).select_from(Customer).outerjoin(
        later, later.c.customer_id == Customer.id).subquery()
    debt, credit = db.session.execute(select(
        func.coalesce(func.sum(case((rows.c.b > 0, rows.c.b), else_=0)), 0),
        func.coalesce(func.sum(case((rows.c.b < 0, rows.c.b), else_=0)), 0))).one()
    return int(debt), int(credit)


def _shifts(start: datetime, end: datetime) -> list[dict[str, Any]]:
    manager = aliased(Staff)
    rows = db.session.execute(
        select(ShiftClose, Staff.staff_no, Staff.name, manager.staff_no, manager.name)
        .join(Staff, Staff.id == ShiftClose.cashier_id)
        .outerjoin(manager, manager.id == ShiftClose.manager_id)
        .where(ShiftClose.closed_at >= start, ShiftClose.closed_at < end)
        .order_by(ShiftClose.closed_at, ShiftClose.id)).all()
    return [{"id": c.id, "number": c.number, "cashier_staff_no": no, "cashier": name,
             "seq": c.seq, "since": c.since, "closed_at": c.closed_at,
             "expected_cash": c.expected_cash, "counted_cash": c.counted_cash,
             "cash_difference": c.cash_difference,
             "expected": {m: int(getattr(c, f"expected_{m}")) for m in METHODS},
             "counted": {m: getattr(c, f"counted_{m}") for m in METHODS},
             "manager_staff_no": mno, "manager": mname or ""}
            for c, no, name, mno, mname in rows]


def report_json(r: DailyFigures) -> dict[str, Any]:
    """The API's shape: money as strings with two decimals."""
    return {
        "date": r.day.isoformat(), "sales_total": fen_str(r.sales_total), "orders": r.orders,
        "payments_by_method": {m: fen_str(v) for m, v in r.payments_by_method.items()},
        "payments_total": fen_str(r.payments_total),
        "on_account_total": fen_str(r.on_account_total),
        "returns_total": fen_str(r.returns_total), "refunds_total": fen_str(r.refunds_total),
        "debt_total": fen_str(r.debt_total), "credit_total": fen_str(r.credit_total),
        "shifts": [{"id": s["id"], "number": s["number"], "seq": s["seq"],
                    "cashier_staff_no": s["cashier_staff_no"], "cashier": s["cashier"],
                    "since": s["since"], "closed_at": s["closed_at"],
                    "expected_cash": fen_str(s["expected_cash"]),
                    "counted_cash": fen_str(s["counted_cash"]),
                    "cash_difference": fen_str(s["cash_difference"]),
                    "manager_staff_no": s["manager_staff_no"]} for s in r.shifts],
    }


def report_payload(r: DailyFigures) -> dict[str, Any]:
    """The PDF's snapshot (printing.documents.DailyReport)."""
    tz = current_app.config["SHOWROOM_TIMEZONE"]
    return {
        "date": r.day.isoformat(), "printed_at": local(now_utc(), tz).strftime("%Y-%m-%d %H:%M"),
        "sales_total": fen_str(r.sales_total), "orders": r.orders,
        "payments": [{"method": m, "amount": fen_str(v)} for m, v in r.payments_by_method.items()],
        "payments_total": fen_str(r.payments_total),
        "on_account_total": fen_str(r.on_account_total),
        "returns_total": fen_str(r.returns_total), "refunds_total": fen_str(r.refunds_total),
        "debt_total": fen_str(r.debt_total), "credit_total": fen_str(r.credit_total),
        "shifts": [{"number": s["number"], "cashier": f"{s['cashier_staff_no']} {s['cashier']}",
                    "closed_at": local(s["closed_at"], tz).strftime("%H:%M"),
                    "expected_cash": fen_str(s["expected_cash"]),
                    "counted_cash": fen_str(s["counted_cash"]),
                    "cash_difference": fen_str(s["cash_difference"]),
                    "manager": s["manager"]} for s in r.shifts],
    }
