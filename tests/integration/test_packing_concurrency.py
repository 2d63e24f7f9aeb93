"""Races at the bench, on SQLite and PostgreSQL: scanners on one order never pack more
than the line holds, a cross-out replayed from two tablets credits once, and an untick
racing the seal either voids the sign-offs first or is refused after it."""
from __future__ import annotations

import uuid
from typing import Any

import factories
import pytest
from sqlalchemy import func, select
from test_concurrency_services import race

from showroom.catalog.models import Product, StockMove
from showroom.customers.models import LedgerEntry
from showroom.errors import DomainError
from showroom.extensions import db
from showroom.idempotency import claim, complete, fingerprint
from showroom.orders.models import OrderLine
from showroom.packing import crossout, services, signoff
from showroom.packing.errors import AlreadySealed, OverScan, SealRefused
from showroom.packing.models import Packing, PackingTick
from showroom.settlement.models import ReturnSlip

pytestmark = pytest.mark.concurrency


@pytest.fixture
def bench(app: Any) -> dict[str, Any]:
    with app.app_context():
        cust = factories.customer()
        prod = factories.product(stock=50)
        other = factories.product(stock=50)
        order = factories.settled_order(cust.id, [(prod, 5), (other, 1)])
        factories.staff("manager", staff_no="7209", pin="975310")
        for no, pin in (("7201", "314159"), ("7202", "271828")):
            factories.staff("packer", staff_no=no, pin=pin)
        db.session.commit()
        line = db.session.scalar(select(OrderLine.id).where(OrderLine.order_id == order.id,
                                                            OrderLine.product_id == prod.id))
        return {"order": order.id, "barcode": prod.barcode, "other": other.barcode,
                "line": line, "product": prod.id, "customer": cust.id}


def test_eight_scanners_five_units_five_ticks(app: Any, bench: dict[str, Any]) -> None:
    results = race(app, 8, lambda i: services.scan(bench["order"], bench["barcode"]).qty)
    assert sorted(r for r in results if r == 1) == [1] * 5
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 3 and all(isinstance(r, OverScan) for r in refused)
    with app.app_context():
        assert db.session.get(OrderLine, bench["line"]).packed_qty == 5
        assert db.session.scalar(select(func.count(PackingTick.id))) == 5


def test_one_cross_out_from_two_tablets_with_one_key(app: Any, bench: dict[str, Any]) -> None:
    key = str(uuid.uuid4())

    def work(_i: int) -> str:
        scope = f"cross-out:{bench['order']}"
        replay = claim(key, scope, fingerprint(scope, [bench["line"], 2]))
        if replay is not None:
            return str(replay.body["number"])
        slip = crossout.cross_out(bench["order"], [(bench["line"], 2)], handler_id=None,
                                  manager_staff_no="7209", manager_pin="975310",
                                  customer_agreed=True)
        complete(key, 201, {"number": slip.number})
        return slip.number

    results = race(app, 4, work)
    assert len(set(results)) == 1 and isinstance(results[0], str), results
    with app.app_context():
        assert db.session.scalar(select(func.count(ReturnSlip.id))) == 1
        assert db.session.scalar(select(func.count(LedgerEntry.id)).where(
            LedgerEntry.kind == "return_credit")) == 1
        assert db.session.get(Product, bench["product"]).on_hand == 50 - 5 + 2


def test_cross_outs_without_a_key_never_cross_more_than_is_left(
        app: Any, bench: dict[str, Any]) -> None:
    results = race(app, 4, lambda i: crossout.cross_out(
        bench["order"], [(bench["line"], 2)], handler_id=None, manager_staff_no="7209",
        manager_pin="975310", customer_agreed=True).number)
    made = [r for r in results if isinstance(r, str)]
    assert len(made) == 2  # 5 units: two crossings of 2, the rest refused
    with app.app_context():
        line = db.session.get(OrderLine, bench["line"])
        assert line.crossed_qty == 4
        credits = db.session.scalars(select(LedgerEntry.amount).where(
            LedgerEntry.kind == "return_credit")).all()
        assert sum(credits) == -4 * line.unit_price


def test_untick_racing_the_seal(app: Any, bench: dict[str, Any]) -> None:
    """Sign-offs stand only beside complete boxes, so what can race the seal is a change
    that voids them: the untick goes first (the seal is refused, nothing sealed with a
    unit out of its box) or the seal goes first (the untick is refused: already sealed)."""
    with app.app_context():
        for _ in range(5):
            services.scan(bench["order"], bench["barcode"])
        services.scan(bench["order"], bench["other"])
        signoff.sign(bench["order"], "7201", "314159")
        signoff.sign(bench["order"], "7202", "271828")
        box = db.session.scalar(select(PackingTick.box_id).limit(1))
        db.session.commit()

    def work(i: int) -> str:
        if i == 0:
            signoff.seal(bench["order"], "absent", staff_id=None)
            return "sealed"
        services.untick(bench["order"], bench["line"], box_id=box)
        return "unticked"

    results = race(app, 2, work)
    with app.app_context():
        line = db.session.get(OrderLine, bench["line"])
        packing = db.session.scalar(select(Packing))
        if results[0] == "sealed":  # the seal went first: the untick found it sealed
            assert isinstance(results[1], AlreadySealed) and line.packed_qty == 5
            assert packing.status == "sealed" and len(packing.signatures) == 2
        else:  # the untick went first: the sign-offs were voided, the seal refused
            assert isinstance(results[0], SealRefused) and results[1] == "unticked"
            assert packing.status == "packing" and packing.signatures == []
            assert line.packed_qty == 4


def test_cross_out_racing_a_sale_of_the_same_product_keeps_stock_exact(
        app: Any, bench: dict[str, Any]) -> None:
    with app.app_context():
        prod = db.session.get(Product, bench["product"])
        cust = factories.customer()
        other_order = factories.order_with_lines(cust.id, [(prod, 4)])
        db.session.commit()
        other_id, total = other_order.id, other_order.total

    def work(i: int) -> str:
        if i == 0:
            return crossout.cross_out(bench["order"], [(bench["line"], 3)], handler_id=None,
                                      manager_staff_no="7209", manager_pin="975310",
                                      customer_agreed=True).number
        from showroom.settlement.services import PaymentIn, settle
        settle(other_id, [PaymentIn("cash", total)], cashier_id=None)
        return "settled"

    results = race(app, 2, work)
    assert results[1] == "settled" and isinstance(results[0], str), results
    with app.app_context():
        moves = db.session.scalar(select(func.sum(StockMove.qty)).where(
            StockMove.product_id == bench["product"]))
        assert db.session.get(Product, bench["product"]).on_hand == moves == 50 - 5 + 3 - 4
