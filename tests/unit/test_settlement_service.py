"""Settlement through the service layer: ledger, stock and print jobs move together."""
from __future__ import annotations

import factories
import pytest
from sqlalchemy import func, select

from showroom.catalog.models import StockMove
from showroom.customers.models import LedgerEntry
from showroom.errors import AlreadySettled, IncompleteCustomerFile, ValidationFailed
from showroom.extensions import db
from showroom.printjobs.models import PrintJob
from showroom.settlement.services import (
    PaymentIn,
    parse_payments,
    return_on_the_spot,
    settle,
    settlement_result,
)


def test_settle_part_cash_rest_on_account(ctx):
    cust = factories.customer()
    p1 = factories.product(wholesale=12_000, stock=10)
    p2 = factories.product(wholesale=5_050, stock=10)
    order = factories.order_with_lines(cust.id, [(p1, 2), (p2, 3)])
    assert order.total == 2 * 12_000 + 3 * 5_050  # 391.50
    result = settlement_result(settle(
        order.id, [PaymentIn("cash", 30_000, 35_000), PaymentIn("on_account", 9_150)],
        cashier_id=None))
    db.session.commit()
    assert result["change"] == "50.00"
    assert result["balance_before"] == "0.00"
    assert result["balance_after"] == "91.50"
    db.session.refresh(p1)
    assert p1.on_hand == 8
    entries = db.session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)).all()
    assert [(e.kind, e.amount, e.balance_after) for e in entries] == [
        ("sale", 39_150, 39_150), ("payment", -30_000, 9_150)]
    jobs = db.session.scalars(select(PrintJob).order_by(PrintJob.id)).all()
    assert [(j.document, j.copies, j.status) for j in jobs] == [
        ("sales_slip", 3, "queued"), ("cash_receipt", 1, "queued")]
    assert "第三联 客户" in jobs[0].payload


def test_settling_twice_is_refused_and_changes_nothing(ctx):
    cust = factories.customer()
    p = factories.product(stock=5)
    order = factories.order_with_lines(cust.id, [(p, 1)])
    settle(order.id, [PaymentIn("wechat", order.total)], cashier_id=None)
    db.session.commit()
    moves = db.session.scalar(select(func.count()).select_from(StockMove))
    with pytest.raises(AlreadySettled):
        settle(order.id, [PaymentIn("wechat", order.total)], cashier_id=None)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(StockMove)) == moves


def test_incomplete_customer_file_blocks_settlement(ctx):
    cust = factories.customer(address="")
    p = factories.product()
    order = factories.order_with_lines(cust.id, [(p, 1)])
    with pytest.raises(IncompleteCustomerFile) as err:
        settle(order.id, [PaymentIn("cash", order.total)], cashier_id=None)
    assert "address" in err.value.errors


def test_payments_must_add_up(ctx):
    cust = factories.customer()
    p = factories.product(wholesale=1_000)
    order = factories.order_with_lines(cust.id, [(p, 1)])
    with pytest.raises(ValidationFailed):
        settle(order.id, [PaymentIn("cash", 999)], cashier_id=None)


@pytest.mark.parametrize("bad", [
    [{"method": "cash", "amount": 10.5}],
    [{"method": "cash", "amount": "10.555"}],
    [{"method": "bitcoin", "amount": "1.00"}],
    [{"method": "cash", "amount": "-1.00"}],
    [{"method": "cash", "amount": "0.00"}],
    [{"method": "cash", "amount": "5.00", "tendered": "4.00"}],
    [{"method": "alipay", "amount": "5.00", "tendered": "6.00"}],
    "cash",
])
def test_parse_payments_rejects(bad):
    with pytest.raises(ValidationFailed):
        parse_payments(bad)


def test_on_the_spot_return_reduces_total_before_settling(ctx):
    cust = factories.customer()
    p1 = factories.product(wholesale=1_000, stock=10)
    p2 = factories.product(wholesale=2_000, stock=10)
    order = factories.order_with_lines(cust.id, [(p1, 3), (p2, 1)])
    line = next(ln for ln in order_lines_of(order.id) if ln.product_id == p1.id)
    slip = return_on_the_spot(order.id, [(line.id, 2)], staff_id=None)
    assert slip.number.startswith("TH-") and slip.total == 2_000
    db.session.refresh(order)
    assert order.total == 3_000
    settle(order.id, [PaymentIn("cash", 3_000)], cashier_id=None)
    db.session.commit()
    db.session.refresh(p1)
    assert p1.on_hand == 9  # only the kept unit left the shelf


def order_lines_of(order_id):
    from showroom.orders.services import order_lines

    return order_lines(order_id)
