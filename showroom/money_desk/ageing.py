"""Debt ageing (账龄) for managers: who owes what, and since when.

Credits pay the oldest debts first (first in, first out), so what is still owed is made of
the newest debits: walking a debtor's debits from the newest back until they cover the
balance gives the unpaid part of each and the oldest unpaid one ("since"). Two queries
whatever the number of customers: the debtors, then all their debits in one ordered read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from showroom.clock import now_utc
from showroom.customers.models import Customer, LedgerEntry
from showroom.extensions import db

BUCKETS = ("0_30", "31_90", "90_plus")


def bucket_of(days: int) -> str:
    return "0_30" if days <= 30 else "31_90" if days <= 90 else "90_plus"


@dataclass
class AgedDebt:
    customer_id: int
    code: str
    name: str
    balance: int
    credit_limit: int | None
    since: datetime | None = None  # the oldest debit not yet paid
    buckets: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))

    @property
    def days(self) -> int:
        return (now_utc() - self.since).days if self.since else 0


def debt_ageing(now: datetime | None = None) -> tuple[list[AgedDebt], dict[str, int]]:
    """Every customer who owes us, largest debt first, with their debt split by age; and
    the totals per bucket (plus "total")."""
    now = now or now_utc()
    debtors = {row.id: AgedDebt(row.id, row.code, row.name, row.balance, row.credit_limit)
               for row in db.session.execute(
                   select(Customer.id, Customer.code, Customer.name, Customer.balance,
                          Customer.credit_limit).where(Customer.balance > 0))}
    left = {cid: d.balance for cid, d in debtors.items()}
    if debtors:
        debits = db.session.execute(
            select(LedgerEntry.customer_id, LedgerEntry.amount, LedgerEntry.created_at)
            .join(Customer, Customer.id == LedgerEntry.customer_id)
            .where(Customer.balance > 0, LedgerEntry.amount > 0)
            .order_by(LedgerEntry.customer_id, LedgerEntry.id.desc()))
        for cid, amount, at in debits:
            owed = left.get(cid, 0)
            if owed <= 0:
                continue
            part = min(owed, amount)
            left[cid] = owed - part
            d = debtors[cid]
            d.buckets[bucket_of((now - at).days)] += part
            d.since = at
    rows = sorted(debtors.values(), key=lambda d: (-d.balance, d.code))
    totals = {b: sum(d.buckets[b] for d in rows) for b in BUCKETS}
    totals["total"] = sum(d.balance for d in rows)
    return rows, totals
