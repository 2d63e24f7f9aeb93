"""对账单: a customer's ledger over a period, as a `printing.documents.CustomerStatement`
snapshot (JSON-ready: money "123.45", dates showroom-local).

The period is a range of showroom-local calendar days, both ends included: an entry
posted at 23:30 in the showroom on the 31st belongs to that month even though it is
already the 1st in UTC (and the reverse at 00:30 local). The opening balance is the sum
of every entry before the first day; each entry carries the running balance after it;
opening + sum(entries) == closing, always, because all three come from the same sums.
Entry kinds stay codes ("sale", "payment", …) as in every snapshot: the renderer names
them in the document's language (销售, 收款, 冲正 …). Only cashier and manager may see a
statement (debts, SPEC §12); views check that.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from showroom.clock import local, now_utc, showroom_tz
from showroom.customers.models import Customer, LedgerEntry
from showroom.customers.services import get_customer
from showroom.errors import ValidationFailed, required
from showroom.extensions import db
from showroom.money import fen_str
from showroom.privacy import mask_phone

FIRST_YEAR, LAST_YEAR = 2000, 2099  # outside this a date is a typo, not a statement
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Period:
    """Showroom-local calendar days `start`..`end`, both included."""
    start: date
    end: date

    def utc_bounds(self, tz_name: str) -> tuple[datetime, datetime]:
        """[from, to) in UTC: local midnight of the first day to local midnight after the last."""
        tz = showroom_tz(tz_name)
        begin = datetime.combine(self.start, time(), tzinfo=tz).astimezone(UTC)
        end = datetime.combine(self.end + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
        return begin, end

    @property
    def is_month(self) -> bool:
        return (self.start.day == 1 and self.start.year == self.end.year
                and self.start.month == self.end.month
                and self.end.day == calendar.monthrange(self.end.year, self.end.month)[1])

    def slug(self) -> str:
        """For file names: "2026-11" for a calendar month, else "2026-11-01_2026-11-15"."""
        if self.is_month:
            return self.start.strftime("%Y-%m")
        return f"{self.start.isoformat()}_{self.end.isoformat()}"


def _tz_name() -> str:
    return str(current_app.config["SHOWROOM_TIMEZONE"])


def this_month() -> Period:
    """The showroom-local calendar month of today."""
    today = local(now_utc(), _tz_name()).date()
    last = calendar.monthrange(today.year, today.month)[1]
    return Period(today.replace(day=1), today.replace(day=last))


def parse_period(start: str | None, end: str | None) -> Period:
    """Two YYYY-MM-DD dates from a form; every problem is reported by field."""
    errors: dict[str, str] = {}
    days: dict[str, date] = {}
    for field, text in (("from", start), ("to", end)):
        text = (text or "").strip()
        if not text:
            errors[field] = required()
            continue
        try:
            day = date.fromisoformat(text) if DATE_RE.match(text) else None
        except ValueError:
            day = None
        if day is None:
            errors[field] = _("a date like 2026-11-01")
        elif not FIRST_YEAR <= day.year <= LAST_YEAR:
            errors[field] = _("a year between %(first)s and %(last)s",
                              first=FIRST_YEAR, last=LAST_YEAR)
        else:
            days[field] = day
    if not errors and days["from"] > days["to"]:
        errors["to"] = _("the end date is before the start date")
    if errors:
        raise ValidationFailed(_("please correct the statement period"), errors=errors)
    return Period(days["from"], days["to"])


def statement_payload(customer_id: int, period: Period, *, lang: str = "zh") -> dict[str, Any]:
    """The CustomerStatement snapshot for one customer and period (reads only)."""
    customer: Customer = get_customer(customer_id)
    tz_name = _tz_name()
    begin, end = period.utc_bounds(tz_name)
    opening = _sum_before(customer.id, begin)
    rows = _entries(customer.id, begin, end)
    reversed_kinds = _kinds_of([r.reverses_id for r in rows if r.reverses_id])
    balance = opening
    entries = []
    for row in rows:
        balance += row.amount
        entries.append({"date": local(row.created_at, tz_name).strftime("%Y-%m-%d"),
                        "kind": row.kind, "ref": row.ref,
                        "amount": fen_str(row.amount), "balance_after": fen_str(balance),
                        # a reversal (冲销) names the kind it reverses; its ref is the reversed
                        # entry's ref
                        "reverses": reversed_kinds.get(row.reverses_id or 0, "")})
    return {
        "shop": current_app.config["SHOWROOM_SHOP_NAME"], "lang": lang,
        "customer": {"code": customer.code, "name": customer.name, "kind": customer.kind,
                     "phone_masked": mask_phone(customer.phone), "address": customer.address},
        "period_from": period.start.isoformat(), "period_to": period.end.isoformat(),
        "opening_balance": fen_str(opening), "entries": entries,
        "closing_balance": fen_str(balance),
        "printed_at": local(now_utc(), tz_name).strftime("%Y-%m-%d %H:%M"),
    }


def _kinds_of(entry_ids: list[int]) -> dict[int, str]:
    if not entry_ids:
        return {}
    return dict(db.session.execute(select(LedgerEntry.id, LedgerEntry.kind)
                                   .where(LedgerEntry.id.in_(entry_ids))).tuples().all())


def _sum_before(customer_id: int, before: datetime) -> int:
    total = db.session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount), 0))
                              .where(LedgerEntry.customer_id == customer_id,
                                     LedgerEntry.created_at < before))
    return int(total or 0)


def _entries(customer_id: int, begin: datetime, end: datetime) -> list[LedgerEntry]:
    stmt = (select(LedgerEntry)
            .where(LedgerEntry.customer_id == customer_id, LedgerEntry.created_at >= begin,
                   LedgerEntry.created_at < end)
            .order_by(LedgerEntry.created_at, LedgerEntry.id))
    return list(db.session.scalars(stmt))


def file_name(customer: Customer, period: Period) -> str:
    """对账单-K00042-2026-11.pdf"""
    return f"对账单-{customer.code}-{period.slug()}.pdf"
