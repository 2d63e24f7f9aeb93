"""Returns and exchanges through the services, on both backends: the returnable lines
(oldest first, how the goods left, every way of returning counted), the verdict before
anything moves, one document with its stock moves, ONE ledger entry (or none when an
exchange is even), a manager's override recorded and printed, the returnable quantity
never overridden, and the franchise quota at its boundary in whole fen."""
from __future__ import annotations

import json

import aftersales_support as S
import factories
import pytest
from sqlalchemy import func, select

from showroom.aftersales.models import AfterSalesDoc, AfterSalesLine
from showroom.aftersales.returnable import packing_ticks, quota_of, returnable_lines
from showroom.aftersales.services import VerdictRefused, check_return, make_return
from showroom.catalog.models import Product, StockMove
from showroom.customers.models import LedgerEntry
from showroom.errors import Forbidden, InsufficientStock, ValidationFailed
from showroom.extensions import db
from showroom.packing.crossout import cross_out
from showroom.printjobs.models import PrintJob
from showroom.shipping.models import Shipment

MGR, PIN = "1001", "135790"


@pytest.fixture
def world(ctx):
    factories.staff("manager", staff_no=MGR, pin=PIN)
    packer = factories.staff("packer", name="张装箱")
    c = factories.customer(name="远方批发")
    p = factories.product(code="SL-0001", wholesale=12_000, franchise=11_000, stock=50)
    q = factories.product(code="SL-0002", wholesale=13_500, franchise=12_500, stock=5)
    db.session.commit()
    return {"c": c, "p": p, "q": q, "packer": packer}


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_returnable_lines_oldest_first_with_how_they_left(world):
    c, p = world["c"], world["p"]
    newer = S.sold(c.id, [(p, 1)], how="shipped", days_ago=2)
    older = S.sold(c.id, [(p, 3)], how="shipped", days_ago=40)
    picked = S.sold(c.id, [(p, 1)], how="self_pickup", days_ago=1)
    left = S.sold(c.id, [(p, 1)], how="left")
    waiting = S.sold(c.id, [(p, 2)], how="unshipped")
    bench = S.sold(c.id, [(p, 2)], how="at_bench")
    other = factories.customer()
    S.sold(other.id, [(p, 5)], how="shipped")
    lines = returnable_lines(c.id, p.id)
    assert [ln.order_number for ln in lines] == [older.number, newer.number, picked.number,
                                                 left.number, waiting.number, bench.number]
    assert [ln.delivery for ln in lines] == ["shipped", "shipped", "self_pickup", "self_pickup",
                                             "unshipped", "unshipped"]
    assert [ln.returnable_qty for ln in lines] == [3, 1, 1, 1, 2, 0]  # the bench crosses out
    assert lines[0].unit_price == 12_000 and lines[0].channel == "showroom"
    assert lines[-1].channel == "video" and lines[-1].at_bench
    at_bench = check_return(S.request(c.id, [(S.line_of(bench, p).id, 1)], kind="exchange",
                                      reason="goods_differ", replacements=[(world["q"].barcode, 1)]))
    assert (at_bench.verdict.allowed, at_bench.verdict.rule) == (False, "returnable_qty")
    assert not at_bench.verdict.overridable


def test_returned_counts_the_desk_the_bench_and_the_documents(world):
    c, p = world["c"], world["p"]
    order = factories.order_with_lines(c.id, [(p, 6)])
    from showroom.orders.services import order_lines
    from showroom.settlement.services import PaymentIn, return_on_the_spot, settle

    line_id = order_lines(order.id)[0].id
    return_on_the_spot(order.id, [(line_id, 1)], staff_id=None)  # 5 sold
    db.session.refresh(order)
    settle(order.id, [PaymentIn("on_account", order.total)], cashier_id=None)
    cross_out(order.id, [(line_id, 1)], handler_id=world["packer"].id, manager_staff_no=MGR,
              manager_pin=PIN, customer_agreed=True)
    for _ in range(4):
        from showroom.packing.services import scan
        scan(order.id, p.barcode)
    from showroom.orders.models import PACKED, SHIPPED
    db.session.refresh(order)
    order.transition(PACKED)
    order.transition(SHIPPED)
    db.session.add(Shipment(number="FH-X-1", order_id=order.id, customer_id=c.id,
                            carrier="sto_express", waybill="ST1", boxes=1, fee=0))
    make_return(S.request(c.id, [(line_id, 1)], kind="exchange", reason="goods_differ",
                          replacements=[(world["q"].barcode, 1)]), staff_id=None)
    (ln,) = returnable_lines(c.id, p.id)
    assert (ln.sold_qty, ln.returned_qty, ln.returnable_qty) == (6, 3, 3)


def test_exchange_goods_differ_one_document_one_entry(world):
    c, p, q = world["c"], world["p"], world["q"]
    order = S.sold(c.id, [(p, 2)], how="shipped", packer_id=world["packer"].id)
    line = S.line_of(order, p)
    ticks = packing_ticks([line.id])[line.id]
    assert [t.qty for t in ticks] == [1, 1] and all("张装箱" in t.staff for t in ticks)
    before = {"balance": c.balance, "p": p.on_hand, "q": q.on_hand, "entries": _count(LedgerEntry)}
    req = S.request(c.id, [(line.id, 2)], kind="exchange", reason="goods_differ",
                    confirmed=False, replacements=[(q.barcode, 2)])
    a = check_return(req)
    assert (a.verdict.allowed, a.verdict.rule) == (True, "remote_exchange")
    assert _count(AfterSalesDoc) == 0  # the check wrote nothing
    doc = make_return(req, staff_id=None, station="cashier-1")
    assert doc.number.startswith("HH-")
    assert (doc.credit, doc.replacement_total, doc.difference) == (24_000, 27_000, 3_000)
    entries = S.entries_for(doc.number)
    assert len(entries) == 1 and entries[0].kind == "sale" and entries[0].amount == 3_000
    assert _count(LedgerEntry) == before["entries"] + 1
    db.session.refresh(c)
    assert c.balance == before["balance"] + 3_000 == doc.balance_after
    assert db.session.get(Product, p.id).on_hand == before["p"] + 2
    assert db.session.get(Product, q.id).on_hand == before["q"] - 2
    moves = db.session.execute(select(StockMove.product_id, StockMove.qty, StockMove.reason)
                               .where(StockMove.ref == doc.number)).all()
    assert sorted(moves) == sorted([(p.id, 2, "return"), (q.id, -2, "exchange")])
    job = db.session.scalar(select(PrintJob).where(PrintJob.ref == doc.number))
    assert job.document == "aftersales_exchange" and job.station == "cashier-1"
    payload = json.loads(job.payload)
    assert payload["rule"] == "remote_exchange" and payload["difference"] == "30.00"
    assert S.stock_mismatches() == [] and S.balance_mismatches() == []


def test_exchange_for_less_credits_and_even_exchange_writes_no_entry(world):
    c, p = world["c"], world["p"]
    cheap = factories.product(wholesale=5_000, stock=10)
    same = factories.product(wholesale=12_000, stock=10)
    order = S.sold(c.id, [(p, 3)], how="shipped")
    line = S.line_of(order, p)
    down = make_return(S.request(c.id, [(line.id, 1)], kind="exchange", reason="goods_differ",
                                 replacements=[(cheap.barcode, 1)]), staff_id=None)
    (entry,) = S.entries_for(down.number)
    assert (entry.kind, entry.amount) == ("return_credit", -7_000)
    even = make_return(S.request(c.id, [(line.id, 1)], kind="exchange", reason="quality",
                                 replacements=[(same.barcode, 1)]), staff_id=None)
    assert even.difference == 0 and even.ledger_entry_id is None
    assert S.entries_for(even.number) == []  # an even exchange posts no entry at all
    assert S.balance_mismatches() == []


def test_self_pickup_refused_then_overridden_with_reason(world):
    c, p = world["c"], world["p"]
    order = S.sold(c.id, [(p, 2)], how="self_pickup")
    line = S.line_of(order, p)
    with pytest.raises(VerdictRefused) as refused:
        make_return(S.request(c.id, [(line.id, 1)]), staff_id=None)
    assert refused.value.rule == "wholesale_self_pickup"
    assert _count(AfterSalesDoc) == 0 and _count(AfterSalesLine) == 0
    doc = make_return(S.request(c.id, [(line.id, 1)], override=(MGR, PIN, "老客户，特批")),
                      staff_id=None)
    assert (doc.allowed, doc.rule, doc.override_reason) == (False, "wholesale_self_pickup",
                                                            "老客户，特批")
    assert doc.override_manager.staff_no == MGR
    (entry,) = S.entries_for(doc.number)
    assert (entry.kind, entry.amount) == ("return_credit", -12_000)
    payload = json.loads(db.session.scalar(select(PrintJob.payload)
                                           .where(PrintJob.ref == doc.number)))
    assert payload["manager"].startswith(MGR) and payload["override_reason"] == "老客户，特批"


def test_override_needs_a_manager_and_the_right_pin(world):
    c, p = world["c"], world["p"]
    clerk = factories.staff("cashier", staff_no="3003", pin="111222")
    line = S.line_of(S.sold(c.id, [(p, 1)], how="self_pickup"), p)
    db.session.commit()  # the rollbacks below undo only the tries
    from showroom.auth.services import SignInFailed

    with pytest.raises(SignInFailed):
        make_return(S.request(c.id, [(line.id, 1)], override=(MGR, "000000", "特批")),
                    staff_id=None)
    db.session.rollback()
    with pytest.raises(Forbidden):
        make_return(S.request(c.id, [(line.id, 1)], override=(clerk.staff_no, "111222", "特批")),
                    staff_id=None)
    db.session.rollback()
    assert _count(AfterSalesDoc) == 0


def test_returnable_qty_is_never_overridden(world):
    c, p = world["c"], world["p"]
    line = S.line_of(S.sold(c.id, [(p, 2)], how="shipped"), p)
    make_return(S.request(c.id, [(line.id, 2)], kind="exchange", reason="goods_differ",
                          replacements=[(world["q"].barcode, 2)]), staff_id=None)
    with pytest.raises(VerdictRefused) as refused:
        make_return(S.request(c.id, [(line.id, 1)], kind="exchange", reason="goods_differ",
                              replacements=[(world["q"].barcode, 1)],
                              override=(MGR, PIN, "再退一件")), staff_id=None)
    assert refused.value.rule == "returnable_qty"
    assert not refused.value.verdict.overridable


def test_replacement_short_of_stock_moves_nothing(world):
    c, p = world["c"], world["p"]
    rare = factories.product(stock=1)
    line = S.line_of(S.sold(c.id, [(p, 2)], how="shipped"), p)
    req = S.request(c.id, [(line.id, 2)], kind="exchange", reason="goods_differ",
                    replacements=[(rare.barcode, 2)])
    assert check_return(req).verdict.allowed is False  # the rule says: not in stock
    with pytest.raises(VerdictRefused):
        make_return(req, staff_id=None)
    with pytest.raises(InsufficientStock):
        make_return(S.request(c.id, [(line.id, 2)], kind="exchange", reason="goods_differ",
                              replacements=[(rare.barcode, 2)], override=(MGR, PIN, "先换")),
                    staff_id=None)


def test_lines_of_another_customer_are_refused(world):
    c, p = world["c"], world["p"]
    other = factories.customer()
    line = S.line_of(S.sold(other.id, [(p, 1)], how="shipped"), p)
    with pytest.raises(ValidationFailed) as bad:
        check_return(S.request(c.id, [(line.id, 1)]))
    assert "lines[0].line_id" in bad.value.errors


def _franchisee(a_price: int, b_price: int):  # type: ignore[no-untyped-def]
    """A franchisee with a 10 % contract who bought A and B (one each, shipped)."""
    f = factories.customer(kind="franchise", name="加盟店")
    S.contract(f.id, 1000)
    a = factories.product(franchise=a_price, wholesale=a_price, stock=10)
    b = factories.product(franchise=b_price, wholesale=b_price, stock=10)
    S.sold(f.id, [(a, 1)], how="shipped")
    order = S.sold(f.id, [(b, 1)], how="shipped")
    return f, S.line_of(order, b)


def test_franchise_quota_exactly_at_the_limit_is_allowed(world):
    # bought 900.00 + 100.00 = 1,000.00 at 0.10: returning 100.00 is exactly the ratio
    f, line_b = _franchisee(90_000, 10_000)
    q = quota_of(f.id)
    assert (q.purchased, q.returned, q.limit, q.headroom) == (100_000, 0, 10_000, 10_000)
    doc = make_return(S.request(f.id, [(line_b.id, 1)], reason="other", confirmed=False),
                      staff_id=None)
    assert doc.allowed and doc.rule == "franchise_ratio" and doc.quota_value == 10_000
    q = quota_of(f.id)
    assert (q.returned, q.headroom) == (10_000, 0)


def test_franchise_quota_one_fen_more_is_refused(world):
    # bought 899.99 + 100.01 = 1,000.00 at 0.10: returning 100.01 is one fen over
    f, line_b = _franchisee(89_999, 10_001)
    a = check_return(S.request(f.id, [(line_b.id, 1)], reason="other"))
    assert (a.verdict.allowed, a.verdict.rule) == (False, "franchise_ratio")
    assert "0.01" in a.verdict.reasons[0]
    with pytest.raises(VerdictRefused):
        make_return(S.request(f.id, [(line_b.id, 1)], reason="other"), staff_id=None)
    assert _count(AfterSalesDoc) == 0


def test_franchise_contract_stored_exactly(world):
    f = factories.customer(kind="franchise")
    from showroom.aftersales.contracts import parse_contract, set_contract

    start, end, bp = parse_contract({"starts_on": "2026-01-01", "ends_on": "2026-12-31",
                                     "return_ratio": "0.125"})
    c = set_contract(f.id, start, end, bp, staff_id=None)
    assert c.ratio_bp == 1250
    with pytest.raises(ValidationFailed) as bad:
        parse_contract({"starts_on": "2026-12-31", "ends_on": "2026-01-01",
                        "return_ratio": "10%"})
    assert set(bad.value.errors) == {"ends_on", "return_ratio"}
    from showroom.errors import Conflict

    with pytest.raises(Conflict):
        set_contract(world["c"].id, start, end, bp, staff_id=None)  # a wholesale customer


def test_integrity_check_sees_after_sales(world):
    from showroom.ops.integrity import check_database

    c, p = world["c"], world["p"]
    line = S.line_of(S.sold(c.id, [(p, 1)], how="shipped"), p)
    make_return(S.request(c.id, [(line.id, 1)], kind="exchange", reason="goods_differ",
                          replacements=[(world["q"].barcode, 1)]), staff_id=None)
    db.session.commit()
    assert check_database().ok
    db.session.rollback()
    db.session.add(AfterSalesLine(doc_id=db.session.scalar(select(AfterSalesDoc.id)),
                                  order_line_id=line.id, order_id=line.order_id,
                                  product_id=p.id, qty=1, unit_price=line.unit_price))
    db.session.commit()
    kinds = check_database().kinds()
    db.session.rollback()
    assert {"aftersales_lines", "aftersales_slip"} <= kinds
