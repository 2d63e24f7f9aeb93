"""`flask showroom check` / `showroom.ops.integrity.check_database` on the suite's backend.

A small showroom is built through the real services (settled, packed, returned and
waiting orders; ledgers with payments; stock moves); the check passes on it and on a
fresh demo seed. Then each kind of inconsistency is planted with plain SQL statements
that bypass the services (ledgers are append-only, so a bad row is inserted rather
than an old one changed) and the check must name exactly that kind.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import factories
import pytest
from ops_support import ENGLISH, other_app  # noqa: F401  (fixture)
from sqlalchemy import insert, select, text, update

from showroom.catalog.models import Product, StockMove
from showroom.customers.models import Customer, LedgerEntry
from showroom.customers.services import post_entry
from showroom.extensions import db
from showroom.ops.integrity import check_database
from showroom.orders.models import Order, OrderLine
from showroom.packing.models import PackingBox, PackingTick
from showroom.packing.queries import active_lines
from showroom.packing.services import scan
from showroom.settlement.models import ReturnSlip, Settlement
from showroom.settlement.services import return_on_the_spot
from showroom.shipping.models import Shipment

Ids = dict[str, int]


@pytest.fixture
def app_config() -> dict[str, Any]:
    return dict(ENGLISH)


def build_showroom() -> Ids:
    """Through the services only; returns the ids the planters need (flushed, not committed)."""
    a, b, c = factories.customer(), factories.customer(), factories.customer()
    p1, p2, p3 = (factories.product(stock=20), factories.product(stock=20),
                  factories.product(stock=5))
    settled = factories.settled_order(a.id, [(p1, 3), (p2, 2)])
    scan(settled.id, p1.barcode)  # one unit of p1 into box 1
    waiting = factories.order_with_lines(b.id, [(p2, 1)])
    with_return = factories.order_with_lines(b.id, [(p1, 2)])
    return_on_the_spot(with_return.id, [(active_lines(with_return.id)[0].id, 1)], staff_id=None)
    post_entry(c.id, "adjustment", 5_000, ref="OPENING")
    payment = post_entry(c.id, "payment", -1_000, ref="PAY")
    lines = {ln.product_id: ln.id for ln in active_lines(settled.id)}
    return {"a": a.id, "c": c.id, "p3": p3.id, "settled": settled.id, "waiting": waiting.id,
            "line_p1": lines[p1.id], "line_p2": lines[p2.id], "payment": payment.id,
            "box": db.session.scalar(select(PackingBox.id)) or 0,
            "slip": db.session.scalar(select(ReturnSlip.id)) or 0}


def _entry(ids: Ids, amount: int, after_delta: int = 0, **extra: Any) -> None:
    """A ledger row written by hand for customer c; its balance_after is the cached balance
    plus amount (plus `after_delta`); the cached balance itself is left alone."""
    balance = db.session.scalar(select(Customer.balance).where(Customer.id == ids["c"])) or 0
    db.session.execute(insert(LedgerEntry).values(
        customer_id=ids["c"], kind=extra.pop("kind", "adjustment"), amount=amount,
        balance_after=balance + amount + after_delta, ref="PLANTED", note="", **extra))


def _move_balance(ids: Ids, amount: int) -> None:
    db.session.execute(update(Customer).where(Customer.id == ids["c"])
                       .values(balance=Customer.balance + amount))


def _without_packing_rule() -> None:
    """Let one bad order line past the CHECK constraint (rolled back with the test's
    transaction on PostgreSQL; SQLite's switch is per connection and reset after)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ALTER TABLE order_lines DROP CONSTRAINT "
                                "ck_order_lines_packing_within_qty"))
    else:
        db.session.execute(text("PRAGMA ignore_check_constraints = ON"))


def plant_over_packed(ids: Ids) -> None:
    _without_packing_rule()
    db.session.execute(insert(PackingTick).values(
        packing_id=select(PackingBox.packing_id).where(PackingBox.id == ids["box"]).scalar_subquery(),
        order_line_id=ids["line_p1"], box_id=ids["box"], qty=3, method="manual", reason="planted"))
    db.session.execute(update(PackingBox).where(PackingBox.id == ids["box"])
                       .values(units=PackingBox.units + 3))
    db.session.execute(update(OrderLine).where(OrderLine.id == ids["line_p1"])
                       .values(packed_qty=OrderLine.packed_qty + 3))  # 4 packed of 3
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("PRAGMA ignore_check_constraints = OFF"))


PLANTS: dict[str, tuple[Callable[[Ids], None], set[str]]] = {
    # a ledger row appended without moving the customer's cached balance
    "balance": (lambda ids: _entry(ids, 500), {"balance"}),
    # a row whose balance_after is not the running sum (the balance itself moved right)
    "ledger_chain": (lambda ids: (_entry(ids, 100, after_delta=7_777), _move_balance(ids, 100)),
                     {"ledger_chain"}),
    "reversal": (lambda ids: (_entry(ids, 999, kind="reversal", reverses_id=ids["payment"]),
                              _move_balance(ids, 999)), {"reversal"}),
    "on_hand": (lambda ids: db.session.execute(update(Product).where(Product.id == ids["p3"])
                                               .values(on_hand=Product.on_hand + 2)), {"on_hand"}),
    "negative_stock": (lambda ids: (
        db.session.execute(insert(StockMove).values(product_id=ids["p3"], qty=-6, reason="adjustment")),
        db.session.execute(update(Product).where(Product.id == ids["p3"]).values(on_hand=-1))),
        {"negative_stock"}),
    # settled without a settlement
    "settlement_count": (lambda ids: db.session.execute(update(Order).where(
        Order.id == ids["waiting"]).values(status="settled")), {"settlement_count"}),
    "settlement_sums": (lambda ids: db.session.execute(update(Settlement).where(
        Settlement.order_id == ids["settled"]).values(on_account=Settlement.on_account + 100)),
        {"settlement_sums"}),
    "over_packed": (plant_over_packed, {"over_packed"}),
    "packed_ticks": (lambda ids: db.session.execute(update(OrderLine).where(
        OrderLine.id == ids["line_p1"]).values(packed_qty=0)), {"packed_ticks"}),
    "box_units": (lambda ids: db.session.execute(update(PackingBox).where(
        PackingBox.id == ids["box"]).values(units=PackingBox.units + 1)), {"box_units"}),
    "order_total": (lambda ids: db.session.execute(update(Order).where(
        Order.id == ids["waiting"]).values(total=Order.total + 1)), {"order_total"}),
    "return_slip": (lambda ids: db.session.execute(update(ReturnSlip).where(
        ReturnSlip.id == ids["slip"]).values(total=ReturnSlip.total + 100)), {"return_slip"}),
    "return_lines": (lambda ids: db.session.execute(update(OrderLine).where(
        OrderLine.id == ids["line_p2"]).values(crossed_qty=1)), {"return_lines"}),
    "packing_status": (lambda ids: db.session.execute(update(Order).where(
        Order.id == ids["settled"]).values(status="packed")), {"packing_status"}),
    "shipment": (lambda ids: db.session.execute(insert(Shipment).values(
        number="FH-PLANTED-1", order_id=ids["settled"], customer_id=ids["a"],
        carrier="sf_express")), {"shipment"}),
}


def test_each_planted_inconsistency_is_found_and_nothing_else(ctx):
    ids = build_showroom()
    db.session.commit()
    report = check_database()
    assert report.ok, report.lines()
    db.session.rollback()
    wrong = {}
    for name, (plant, expected) in PLANTS.items():
        plant(ids)
        db.session.flush()
        report = check_database()  # inside the planting transaction: sees the bad rows
        if report.kinds() != expected or not all(f.message for f in report.findings):
            wrong[name] = report.lines()
        db.session.rollback()
    assert not wrong, wrong
    assert check_database().ok  # every plant was rolled back
    db.session.rollback()


def test_check_cli_lists_every_finding_and_exits_non_zero(app, other_app):  # noqa: F811
    """Committed plants in a database of their own (one of them drops a constraint)."""
    scratch = other_app("planted")
    with scratch.app_context():
        db.create_all()
        ids = build_showroom()
        db.session.commit()
    cli = scratch.test_cli_runner()
    clean = cli.invoke(args=["showroom", "check"])
    assert clean.exit_code == 0 and clean.output.startswith("OK: the database agrees"), clean.output
    chosen = ("balance", "on_hand", "settlement_count", "over_packed", "box_units", "shipment")
    with scratch.app_context():
        for name in chosen:
            PLANTS[name][0](ids)
        db.session.commit()
    out = cli.invoke(args=["showroom", "check"])
    assert out.exit_code == 1, out.output
    lines = out.output.splitlines()
    assert lines[0].startswith("6 findings: the database does not agree with itself")
    assert sorted(line.split("]")[0].strip(" [") for line in lines[1:]) == sorted(chosen)
    text_out = out.output
    assert "balance 40.00, but the ledger entries add up to 45.00" in text_out
    assert "has 0 settlements (expected 1)" in text_out
    assert "packed 4 + returned 0 + crossed out 0, but 3 were ordered" in text_out
    assert "has shipment FH-PLANTED-1" in text_out


def test_check_passes_on_a_fresh_demo_seed(runner):
    seeded = runner.invoke(args=["showroom", "seed-demo", "--products", "80"])
    assert seeded.exit_code == 0, seeded.output
    out = runner.invoke(args=["showroom", "check"])
    assert out.exit_code == 0, out.output
    assert out.output.startswith("OK: the database agrees with itself"), out.output
    assert "settlements 4" in out.output
