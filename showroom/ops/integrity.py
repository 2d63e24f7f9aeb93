"""Does the database agree with itself? `check_database()` answers with every finding.

Several numbers are cached beside the ledgers that justify them (a customer's balance,
a product's on-hand, an order line's packed quantity, a box's units); the services keep
them in step inside one transaction. After a restore, a crash or a hand-made repair
this module proves they still are, without a request: it runs in any app context, reads
one consistent snapshot and writes nothing. Each check is one aggregate query, so it
stays cheap on a full showroom. Ledger and stock checks live here, order, settlement
and packing checks in `integrity_orders`.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Subquery, func, or_, select
from sqlalchemy.orm import QueryableAttribute, aliased

from showroom.catalog.models import Product, StockMove
from showroom.customers.models import Customer, LedgerEntry
from showroom.db import deferred_reads
from showroom.extensions import db
from showroom.money import fen_str


@dataclass(frozen=True)
class Finding:
    """One disagreement: `kind` is a stable code (tests, scripts), `message` says it for people."""

    kind: str
    message: str


@dataclass
class CheckReport:
    findings: list[Finding]
    checked: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.findings

    def kinds(self) -> set[str]:
        return {f.kind for f in self.findings}

    def summary(self) -> str:
        counted = ", ".join(f"{name} {n}" for name, n in self.checked.items())
        if self.ok:
            return _("OK: the database agrees with itself (%(counted)s; %(seconds)s s)",
                     counted=counted, seconds=f"{self.seconds:.2f}")
        return _("%(n)s findings: the database does not agree with itself (%(counted)s; "
                 "%(seconds)s s)", n=len(self.findings), counted=counted,
                 seconds=f"{self.seconds:.2f}")

    def lines(self) -> list[str]:
        return [self.summary()] + [f"  [{f.kind}] {f.message}" for f in self.findings]


Check = Callable[[], Iterable[Finding]]
Expr = ColumnElement[int] | QueryableAttribute[int]


def check_database() -> CheckReport:
    """Run every check in one read-only snapshot; the caller's edge rolls back after."""
    from showroom.ops.integrity_orders import ORDER_CHECKS

    started = time.perf_counter()
    _begin_snapshot()
    findings: list[Finding] = []
    for check in (*LEDGER_CHECKS, *ORDER_CHECKS):
        findings.extend(check())
    return CheckReport(findings=findings, checked=_counts(),
                       seconds=time.perf_counter() - started)


def _begin_snapshot() -> None:
    """SQLite: a DEFERRED transaction (no write lock; WAL gives one snapshot for all the
    queries). PostgreSQL: REPEATABLE READ, so the queries see one moment as well."""
    if db.session().in_transaction():
        return  # the caller's transaction (a test, or a restore that just finished)
    if db.engine.dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        return
    with deferred_reads():
        db.session.connection()


def _counts() -> dict[str, int]:
    from showroom.orders.models import Order, OrderLine
    from showroom.settlement.models import Settlement

    models = {"customers": Customer, "ledger entries": LedgerEntry, "products": Product,
              "stock moves": StockMove, "orders": Order, "order lines": OrderLine,
              "settlements": Settlement}
    return {name: int(db.session.scalar(select(func.count()).select_from(model)) or 0)
            for name, model in models.items()}


def sums_by(value: Expr, group: Expr) -> Subquery:
    """A subquery: (key, total) summing `value` per `group`, for an outer join."""
    return select(group.label("key"), func.sum(value).label("total")).group_by(group).subquery()


def customer_balances() -> Iterator[Finding]:
    entries = sums_by(LedgerEntry.amount, LedgerEntry.customer_id)
    total = func.coalesce(entries.c.total, 0)
    rows = db.session.execute(
        select(Customer.code, Customer.name, Customer.balance, total)
        .outerjoin(entries, entries.c.key == Customer.id)
        .where(Customer.balance != total).order_by(Customer.id))
    for code, name, balance, summed in rows:
        yield Finding("balance", _(
            "customer %(code)s %(name)s: balance %(balance)s, but the ledger entries add up "
            "to %(sum)s", code=code, name=name, balance=fen_str(balance), sum=fen_str(int(summed))))


def ledger_chains() -> Iterator[Finding]:
    """Each entry's balance_after is the sum of the customer's entries up to it (by id:
    entries of one customer are written one at a time, under the customer's row lock)."""
    running = func.sum(LedgerEntry.amount).over(partition_by=LedgerEntry.customer_id,
                                                order_by=LedgerEntry.id)
    inner = select(LedgerEntry.id, LedgerEntry.customer_id, LedgerEntry.balance_after,
                   running.label("running")).subquery()
    rows = db.session.execute(
        select(inner.c.id, Customer.code, inner.c.balance_after, inner.c.running)
        .join(Customer, Customer.id == inner.c.customer_id)
        .where(inner.c.balance_after != inner.c.running).order_by(inner.c.id))
    for entry_id, code, after, summed in rows:
        yield Finding("ledger_chain", _(
            "customer %(code)s: ledger entry #%(id)s says the balance after it is %(after)s, "
            "but the entries up to it add up to %(sum)s", code=code, id=entry_id,
            after=fen_str(after), sum=fen_str(int(summed))))


def reversals() -> Iterator[Finding]:
    original = aliased(LedgerEntry)
    rows = db.session.execute(
        select(LedgerEntry.id, original.id, LedgerEntry.amount, original.amount)
        .join(original, original.id == LedgerEntry.reverses_id)
        .where(or_(LedgerEntry.amount != -original.amount,
                   LedgerEntry.customer_id != original.customer_id))
        .order_by(LedgerEntry.id))
    for entry_id, original_id, amount, original_amount in rows:
        yield Finding("reversal", _(
            "ledger entry #%(id)s reverses #%(original)s, but %(amount)s does not cancel "
            "%(original_amount)s for the same customer", id=entry_id, original=original_id,
            amount=fen_str(amount), original_amount=fen_str(original_amount)))


def stock_on_hand() -> Iterator[Finding]:
    moves = sums_by(StockMove.qty, StockMove.product_id)
    total = func.coalesce(moves.c.total, 0)
    rows = db.session.execute(
        select(Product.code, Product.on_hand, total)
        .outerjoin(moves, moves.c.key == Product.id)
        .where(Product.on_hand != total).order_by(Product.id))
    for code, on_hand, summed in rows:
        yield Finding("on_hand", _(
            "product %(code)s: %(on_hand)s on hand, but its stock moves add up to %(sum)s",
            code=code, on_hand=on_hand, sum=int(summed)))


def stock_not_negative() -> Iterator[Finding]:
    rows = db.session.execute(select(Product.code, Product.on_hand)
                              .where(Product.on_hand < 0).order_by(Product.id))
    for code, on_hand in rows:
        yield Finding("negative_stock", _("product %(code)s: %(on_hand)s on hand, below zero",
                                          code=code, on_hand=on_hand))


def consignor_balances() -> Iterator[Finding]:
    """A consignor's payable (the cached balance) is the sum of their ledger, and each
    entry's balance_after the sum of the entries up to it."""
    from showroom.consignment.models import Consignor, ConsignorEntry

    entries = sums_by(ConsignorEntry.amount, ConsignorEntry.consignor_id)
    total = func.coalesce(entries.c.total, 0)
    rows = db.session.execute(
        select(Consignor.code, Consignor.balance, total)
        .outerjoin(entries, entries.c.key == Consignor.id)
        .where(Consignor.balance != total).order_by(Consignor.id))
    for code, balance, summed in rows:
        yield Finding("consignor_balance", _(
            "consignor %(code)s: payable %(balance)s, but the ledger entries add up to %(sum)s",
            code=code, balance=fen_str(balance), sum=fen_str(int(summed))))
    running = func.sum(ConsignorEntry.amount).over(partition_by=ConsignorEntry.consignor_id,
                                                   order_by=ConsignorEntry.id)
    inner = select(ConsignorEntry.id, ConsignorEntry.balance_after,
                   running.label("running")).subquery()
    for entry_id, after, summed in db.session.execute(
            select(inner.c.id, inner.c.balance_after, inner.c.running)
            .where(inner.c.balance_after != inner.c.running).order_by(inner.c.id)):
        yield Finding("consignor_chain", _(
            "consignor entry #%(id)s says the payable after it is %(after)s, but the entries "
            "up to it add up to %(sum)s", id=entry_id, after=fen_str(after),
            sum=fen_str(int(summed))))


LEDGER_CHECKS: tuple[Check, ...] = (customer_balances, ledger_chains, reversals, stock_on_hand,
                                    stock_not_negative, consignor_balances)
