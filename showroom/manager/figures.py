"""The figures of the manager's home for a period, one function for the page, the API and
the monthly PDF (so the three always agree), each an indexed aggregate query:

- sales per day: the settlements of each showroom-local day — `sales` their totals (what
  the daily report calls sales), `orders` how many, `returns` the return credits posted
  that day (goods crossed out at packing or taken back later; on-the-spot drops never
  reached a settlement), `net` = sales − returns;
- payments by method: payments at settlement (on account apart: debt, not money) plus
  payments at the money desk (还款 / 汇款到账), amount and count;
- debt ageing: customers' debts now, by age (money_desk/ageing.py);
- service levels per week: `showroom.service_levels.weekly.weekly`;
- complaints recorded in the period, by category.

Settlements are grouped by the hour (quarter hour where the time zone needs it) in SQL and
the hours put on local days here, so a day is the showroom's day on SQLite and PostgreSQL
alike, whatever the zone's offset.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from flask import current_app
from sqlalchemy import Integer, case, cast, func, select
from sqlalchemy.sql.elements import ColumnElement

from showroom.clock import now_utc, showroom_tz
from showroom.complaints.models import Complaint, ComplaintCategory, ComplaintStatus
from showroom.customers.models import Customer, LedgerEntry
from showroom.extensions import db
from showroom.manager.period import Period
from showroom.money_desk.ageing import BUCKETS
from showroom.money_desk.models import DeskPayment
from showroom.settlement.models import Payment, PaymentMethod, Settlement

METHODS = tuple(PaymentMethod.codes())  # cash, bank_transfer, wechat, alipay, on_account


@dataclass
class DaySales:
    day: date
    sales: int = 0
    orders: int = 0
    returns: int = 0

    @property
    def net(self) -> int:
        return self.sales - self.returns


@dataclass
class MethodPayments:
    method: str
    at_settlement: int = 0
    at_desk: int = 0
    count: int = 0

    @property
    def amount(self) -> int:
        return self.at_settlement + self.at_desk


@dataclass
class AgeBucket:
    bucket: str
    customers: int = 0
    amount: int = 0


@dataclass
class WeekLevel:
    week_start: date
    code: str
    met: int
    total: int

    @property
    def share(self) -> float | None:
        return round(self.met / self.total, 4) if self.total else None


@dataclass
class Dashboard:
    period: Period
    sales_per_day: list[DaySales]
    payments_by_method: list[MethodPayments]
    debt_ageing: list[AgeBucket]
    service_levels_weekly: list[WeekLevel]
    complaints_by_category: list[tuple[str, int]]
    debt_total: int = 0
    credit_total: int = 0
    debtors: int = 0
    complaints_open: int = 0

    @property
    def sales(self) -> int:
        return sum(d.sales for d in self.sales_per_day)

    @property
    def orders(self) -> int:
        return sum(d.orders for d in self.sales_per_day)

    @property
    def returns(self) -> int:
        return sum(d.returns for d in self.sales_per_day)

    @property
    def payments_total(self) -> int:
        """Money received: every method but on account."""
        return sum(p.amount for p in self.payments_by_method if p.method != "on_account")

    @property
    def complaints(self) -> int:
        return sum(n for _c, n in self.complaints_by_category)


def dashboard(period: Period, *, now: datetime | None = None) -> Dashboard:
    now = now or now_utc()
    lo, hi = period.bounds()
    ageing, debtors = ageing_buckets(now)
    debt, credit = balances_at(hi, now)
    out = Dashboard(period=period, sales_per_day=sales_per_day(period),
                    payments_by_method=payments_by_method(lo, hi), debt_ageing=ageing,
                    service_levels_weekly=weekly_levels(period),
                    complaints_by_category=complaints_by_category(lo, hi),
                    debt_total=debt, credit_total=credit, debtors=debtors)
    out.complaints_open = int(db.session.scalar(
        select(func.count(Complaint.id)).where(Complaint.status != ComplaintStatus.CLOSED))
        or 0)
    return out


# --- sales per day ------------------------------------------------------------------

def bucket_seconds(days: list[date], tz: tzinfo) -> int:
    """3600 when every offset of the zone over the days is whole hours (Asia/Shanghai:
    always +8), else 900 (zones like +5:30 or +5:45 and their DST)."""
    for day in days:
        for at in (time.min, time(12)):
            off = datetime.combine(day, at, tzinfo=tz).utcoffset() or timedelta(0)
            if off.total_seconds() % 3600:
                return 900
    return 3600


def _bucket(column: Any, seconds: int) -> ColumnElement[int]:
    """The UTC time bucket (seconds since the epoch // `seconds`) of a UTC column."""
    if db.session.get_bind().dialect.name == "sqlite":
        return cast(func.strftime("%s", column), Integer) // seconds
    return cast(func.floor(func.extract("epoch", column) / seconds), Integer)


def bucket_day(bucket: int, seconds: int, tz: tzinfo) -> date:
    """The local day of a bucket: that of its first instant (a bucket never straddles a
    local midnight, as the zone's offsets are whole multiples of the bucket)."""
    return datetime.fromtimestamp(int(bucket) * seconds, UTC).astimezone(tz).date()


def sales_per_day(period: Period) -> list[DaySales]:
    """Every day of the period (zeros included, so the chart's axis is the period)."""
    lo, hi = period.bounds()
    tz = showroom_tz(current_app.config["SHOWROOM_TIMEZONE"])
    size = bucket_seconds(period.day_list(), tz)
    days = {d: DaySales(d) for d in period.day_list()}
    b = _bucket(Settlement.created_at, size).label("b")
    for bucket, total, count in db.session.execute(
            select(b, func.sum(Settlement.total), func.count(Settlement.id))
            .where(Settlement.created_at >= lo, Settlement.created_at < hi).group_by(b)):
        row = days[bucket_day(bucket, size, tz)]
        row.sales += int(total or 0)
        row.orders += int(count)
    r = _bucket(LedgerEntry.created_at, size).label("b")
    for bucket, amount in db.session.execute(
            select(r, func.sum(LedgerEntry.amount))
            .where(LedgerEntry.kind == "return_credit", LedgerEntry.created_at >= lo,
                   LedgerEntry.created_at < hi).group_by(r)):
        days[bucket_day(bucket, size, tz)].returns += -int(amount or 0)
    return list(days.values())


# --- payments, balances, ageing -----------------------------------------------------

def payments_by_method(lo: datetime, hi: datetime) -> list[MethodPayments]:
    rows = {m: MethodPayments(m) for m in METHODS}
    for method, amount, count in db.session.execute(
            select(Payment.method, func.sum(Payment.amount), func.count(Payment.id))
            .join(Settlement, Settlement.id == Payment.settlement_id)
            .where(Settlement.created_at >= lo, Settlement.created_at < hi)
            .group_by(Payment.method)):
        row = rows.setdefault(method, MethodPayments(method))
        row.at_settlement += int(amount or 0)
        row.count += int(count)
    for method, amount, count in db.session.execute(
            select(DeskPayment.method, func.sum(DeskPayment.amount), func.count(DeskPayment.id))
            .where(DeskPayment.created_at >= lo, DeskPayment.created_at < hi)
            .group_by(DeskPayment.method)):
        row = rows.setdefault(method, MethodPayments(method))
        row.at_desk += int(amount or 0)
        row.count += int(count)
    return list(rows.values())


def balances_at(end: datetime, now: datetime) -> tuple[int, int]:
    """(Σ debts, Σ credits as a positive figure) at `end`: the cached balances themselves
    for a period up to now (one pass over customers), else the daily report's way."""
    if end >= now:
        debt, credit = db.session.execute(select(
            func.coalesce(func.sum(case((Customer.balance > 0, Customer.balance), else_=0)), 0),
            func.coalesce(func.sum(case((Customer.balance < 0, Customer.balance), else_=0)),
                          0))).one()
        return int(debt), -int(credit)
    from showroom.reports.daily import outstanding_at

    debt, credit = outstanding_at(end)
    return debt, -credit


def ageing_buckets(now: datetime) -> tuple[list[AgeBucket], int]:
    """Debts now by age, as money_desk/ageing.py splits them (credits pay the oldest debits
    first, so a debtor's balance is made of their newest debits): one grouped query sums
    each debtor's debits per age bucket (from an index alone), then the balance is laid on
    the buckets newest first. Also how many customers owe us."""
    young = now - timedelta(days=31)  # (now - at).days <= 30
    middle = now - timedelta(days=91)  # (now - at).days <= 90
    e = LedgerEntry

    def part(cond: Any) -> Any:
        return func.coalesce(func.sum(case((cond, e.amount), else_=0)), 0)

    rows = db.session.execute(
        select(Customer.balance, part(e.created_at > young),
               part((e.created_at <= young) & (e.created_at > middle)),
               part(e.created_at <= middle))
        .select_from(Customer).join(e, e.customer_id == Customer.id)
        .where(Customer.balance > 0, e.amount > 0).group_by(Customer.id, Customer.balance))
    out = {b: AgeBucket(b) for b in BUCKETS}
    debtors = 0
    for balance, *sums in rows:
        debtors += 1
        left = int(balance)
        for bucket, debits in zip(BUCKETS, sums, strict=True):
            piece = min(left, int(debits))
            if piece > 0:
                out[bucket].customers += 1
                out[bucket].amount += piece
                left -= piece
    return list(out.values()), debtors


# --- service levels, complaints -----------------------------------------------------

def weekly_levels(period: Period) -> list[WeekLevel]:
    from showroom.service_levels import weekly  # looked up per call: tests patch it

    return [WeekLevel(r.week_start, r.code, r.met, r.total)
            for r in weekly.weekly(period.start, period.end)]


def complaints_by_category(lo: datetime, hi: datetime) -> list[tuple[str, int]]:
    counts: dict[str, int] = defaultdict(int, dict.fromkeys(ComplaintCategory.codes(), 0))
    for category, n in db.session.execute(
            select(Complaint.category, func.count(Complaint.id))
            .where(Complaint.recorded_at >= lo, Complaint.recorded_at < hi)
            .group_by(Complaint.category)):
        counts[category] += int(n)
    return list(counts.items())

