"""Packing services: count one, pack one, tick one; refusals change nothing; sealing
needs every tick, settlement and the sign-offs; cross-outs credit exactly once."""
from __future__ import annotations

import io
import json
from typing import Any

import factories
import pytest
from PIL import Image
from sqlalchemy import func, select

from showroom.auth.models import LoginAttempt
from showroom.auth.services import SignInFailed
from showroom.catalog.models import Product, StockMove
from showroom.customers.models import Customer, LedgerEntry
from showroom.errors import Forbidden, InvalidTransition, ValidationFailed
from showroom.extensions import db
from showroom.orders.models import PACKED, Order, OrderLine
from showroom.packing import crossout, services, signoff
from showroom.packing.documents import signed_slip_payload
from showroom.packing.errors import (
    AlreadySealed,
    NameNotConfirmed,
    NotOnOrder,
    OverScan,
    SealRefused,
    SignoffRefused,
)
from showroom.packing.models import Packing, PackingBox, PackingSignature, PackingTick
from showroom.packing.queries import packing_queue, packing_view
from showroom.printjobs.models import PrintJob
from showroom.settlement.models import ReturnSlip


@pytest.fixture
def bench(ctx: Any) -> dict[str, Any]:
    cust = factories.customer(name="张三", phone="13812345678")
    prods = [factories.product(stock=50) for _ in range(3)]
    order = factories.settled_order(cust.id, [(prods[0], 2), (prods[1], 1), (prods[2], 3)])
    a = factories.staff("packer", staff_no="7001", pin="314159")
    b = factories.staff("packer", staff_no="7002", pin="271828")
    m = factories.staff("manager", staff_no="7009", pin="975310")
    db.session.commit()
    return {"order": order, "prods": prods, "cust": cust, "a": a, "b": b, "m": m}


def snapshot() -> tuple[Any, ...]:
    """Everything packing may touch."""
    db.session.expire_all()
    return (
        tuple(db.session.execute(select(OrderLine.id, OrderLine.packed_qty, OrderLine.crossed_qty)
                                 .order_by(OrderLine.id)).all()),
        db.session.scalar(select(func.count(PackingTick.id))),
        tuple(db.session.execute(select(PackingBox.id, PackingBox.number, PackingBox.units)
                                 .order_by(PackingBox.id)).all()),
        tuple(db.session.execute(select(Packing.id, Packing.status, Packing.mode)).all()),
        db.session.scalar(select(func.count(PackingSignature.id))),
        tuple(db.session.execute(select(Order.id, Order.status).order_by(Order.id)).all()),
        db.session.scalar(select(func.count(PrintJob.id))),
        db.session.scalar(select(func.count(LedgerEntry.id))),
        db.session.scalar(select(func.count(StockMove.id))),
        tuple(db.session.execute(select(Product.id, Product.on_hand).order_by(Product.id)).all()),
    )


def pack_all(order: Order, prods: list[Product], boxes: int = 1) -> None:
    lines = sorted(packing_view(order).lines, key=lambda ln: ln.id)
    for i, ln in enumerate(lines):
        if boxes > 1 and i == len(lines) - 1:
            services.add_box(order.id)
        for _ in range(ln.to_pack - ln.packed_qty):
            services.scan(order.id, ln.product.barcode)


def test_scan_ticks_one_unit_into_the_last_box(bench: dict[str, Any]) -> None:
    order, p = bench["order"], bench["prods"]
    tick = services.scan(order.id, p[0].barcode, staff_id=bench["a"].id)
    assert (tick.line.packed_qty, tick.box.number, tick.box.units, tick.qty) == (1, 1, 1, 1)
    assert not tick.line_done
    tick = services.scan(order.id, p[0].code)  # the code typed in works as well
    assert tick.line_done and tick.box.units == 2
    box2 = services.add_box(order.id)
    tick = services.scan(order.id, p[2].barcode)
    assert tick.box.id == box2.id and box2.number == 2
    tick = services.scan(order.id, p[2].barcode, box_id=tick.box.id - 1)
    assert tick.box.number == 1
    view = packing_view(order)
    assert [(b.number, b.units) for b in view.boxes] == [(1, 3), (2, 1)]
    assert view.packed == 4 and view.to_pack == 6 and not view.complete


def test_over_scan_and_wrong_product_are_refused_and_change_nothing(
        bench: dict[str, Any]) -> None:
    order, p = bench["order"], bench["prods"]
    services.scan(order.id, p[1].barcode)
    db.session.commit()
    before = snapshot()
    with pytest.raises(OverScan) as over:
        services.scan(order.id, p[1].barcode)
    assert over.value.status == 409 and "请放回" in over.value.message
    db.session.rollback()
    stranger = factories.product(stock=5)
    db.session.commit()
    before = snapshot()
    with pytest.raises(NotOnOrder):
        services.scan(order.id, stranger.barcode)
    db.session.rollback()
    with pytest.raises(NotOnOrder):
        services.scan(order.id, "0000000000000")
    db.session.rollback()
    with pytest.raises(ValidationFailed):
        services.scan(order.id, "   ")
    db.session.rollback()
    with pytest.raises(OverScan):
        services.manual_tick(order.id, packing_view(order).lines[1].id, reason="标签掉了", qty=1)
    db.session.rollback()
    assert snapshot() == before


def test_manual_tick_needs_a_reason_and_is_recorded(bench: dict[str, Any]) -> None:
    order = bench["order"]
    line = packing_view(order).lines[2]
    with pytest.raises(ValidationFailed) as exc:
        services.manual_tick(order.id, line.id, reason="  ")
    assert "reason" in exc.value.errors
    db.session.rollback()
    services.manual_tick(order.id, line.id, reason="条码磨损", qty=2, staff_id=bench["a"].id)
    tick = db.session.scalar(select(PackingTick).order_by(PackingTick.id.desc()))
    assert (tick.method, tick.reason, tick.qty, tick.staff_id) == ("manual", "条码磨损", 2,
                                                                  bench["a"].id)
    with pytest.raises(OverScan):
        services.manual_tick(order.id, line.id, reason="x", qty=2)


def test_untick_takes_one_back_out_and_boxes_stay_numbered(bench: dict[str, Any]) -> None:
    order, p = bench["order"], bench["prods"]
    t = services.scan(order.id, p[0].barcode)
    with pytest.raises(ValidationFailed):  # box 1 is not empty, box 2 can start
        services.remove_empty_box(order.id, t.box.id)
    box2 = services.add_box(order.id)
    with pytest.raises(ValidationFailed):  # box 2 is empty: no box 3 yet
        services.add_box(order.id)
    services.scan(order.id, p[0].barcode)  # into box 2
    back = services.untick(order.id, t.line.id, box_id=box2.id, reason="放错箱")
    assert back.line.packed_qty == 1 and back.box.units == 0
    with pytest.raises(ValidationFailed):  # nothing of it left in box 2
        services.untick(order.id, t.line.id, box_id=box2.id)
    services.remove_empty_box(order.id, box2.id)  # emptied: retired, its ticks kept
    assert [b.number for b in packing_view(order).boxes] == [1]
    assert services.add_box(order.id).number == 2


def test_only_settled_orders_are_packed(ctx: Any) -> None:
    cust = factories.customer()
    prod = factories.product()
    awaiting = factories.order_with_lines(cust.id, [(prod, 1)])
    db.session.commit()
    before = snapshot()
    with pytest.raises(InvalidTransition):
        services.scan(awaiting.id, prod.barcode)
    db.session.rollback()
    with pytest.raises(SealRefused) as exc:
        signoff.seal(awaiting.id, "absent", staff_id=None)
    assert exc.value.status == 409 and "尚未结算" in exc.value.message
    db.session.rollback()
    assert snapshot() == before
    assert [o.id for o, _p in packing_queue()] == []


def _sign(order: Order, *who: Any) -> None:
    pins = {"7001": "314159", "7002": "271828", "7009": "975310"}
    for staff in who:
        signoff.sign(order.id, staff.staff_no, pins[staff.staff_no])


@pytest.mark.parametrize("case", ["one_signer", "line_short", "same_signer_twice", "empty_box"])
def test_absent_seal_refused_with_409_and_nothing_changes(bench: dict[str, Any],
                                                          case: str) -> None:
    order, p = bench["order"], bench["prods"]
    pack_all(order, p)
    if case == "line_short":  # signed when complete, then a unit taken out: voided
        _sign(order, bench["a"], bench["b"])
        line = packing_view(order).lines[0]
        services.untick(order.id, line.id, box_id=packing_view(order).boxes[0].id)
    elif case == "same_signer_twice":
        _sign(order, bench["a"], bench["a"])
    elif case == "empty_box":
        services.add_box(order.id)
        _sign(order, bench["a"], bench["b"])
    else:
        _sign(order, bench["a"])
    db.session.commit()
    before = snapshot()
    with pytest.raises(SealRefused) as exc:
        signoff.seal(order.id, "absent", staff_id=bench["a"].id)
    assert exc.value.status == 409
    db.session.rollback()
    assert snapshot() == before
    assert db.session.get(Order, order.id).status == "settled"


def test_absent_seal_with_two_signers_queues_a_label_and_list_per_box(
        bench: dict[str, Any]) -> None:
    order, p, cust = bench["order"], bench["prods"], bench["cust"]
    pack_all(order, p, boxes=2)
    _sign(order, bench["a"], bench["b"])
    packing = signoff.seal(order.id, "absent", staff_id=bench["a"].id, station="pack-2")
    assert (packing.status, packing.mode) == ("sealed", "absent")
    assert db.session.get(Order, order.id).status == PACKED
    jobs = db.session.scalars(select(PrintJob).where(PrintJob.order_id == order.id,
                                                     PrintJob.document.in_(("box_label",
                                                                            "packing_list")))
                              .order_by(PrintJob.id)).all()
    assert [(j.document, j.ref, j.station) for j in jobs] == [
        ("box_label", f"{order.number}-1", "pack-2"), ("packing_list", f"{order.number}-1", "pack-2"),
        ("box_label", f"{order.number}-2", "pack-2"), ("packing_list", f"{order.number}-2", "pack-2")]
    label = json.loads(jobs[0].payload)
    assert (label["phone"], label["box_no"], label["box_count"], label["name"]) == (
        cust.phone, 1, 2, "张三")
    contents = json.loads(jobs[3].payload)
    assert contents["customer"]["phone_masked"] != cust.phone
    assert [i["qty"] for i in contents["items"]] == [3]
    with pytest.raises(AlreadySealed):
        signoff.seal(order.id, "absent", staff_id=None)
    with pytest.raises(AlreadySealed):
        services.scan(order.id, p[0].barcode)


def test_present_seal_needs_customer_signature_payment_check_and_a_counter(
        bench: dict[str, Any]) -> None:
    order, p = bench["order"], bench["prods"]
    pack_all(order, p)
    problems = signoff.seal_problems(order, packing_view(order).packing, "present")
    assert len(problems) == 3
    with pytest.raises(ValidationFailed):
        signoff.customer_signs(order.id, b"\x89PNG\r\n\x1a\nnot really")
    with pytest.raises(ValidationFailed):  # a blank pad
        buf = io.BytesIO()
        Image.new("RGB", (300, 100), "white").save(buf, "PNG")
        signoff.customer_signs(order.id, buf.getvalue())
    db.session.rollback()
    pack_all(order, p)
    signoff.confirm_name(order.id, staff_id=bench["a"].id)
    signoff.customer_signs(order.id, factories.signature_png())
    signoff.confirm_payment(order.id, staff_id=bench["a"].id)
    db.session.commit()
    with pytest.raises(SealRefused) as exc:  # no counter has signed
        signoff.seal(order.id, "present", staff_id=bench["a"].id)
    assert "点货人还没签名" in exc.value.message
    db.session.rollback()
    _sign(order, bench["a"])
    packing = signoff.seal(order.id, "present", staff_id=bench["a"].id)
    assert packing.mode == "present" and packing.customer_signature.startswith(b"\x89PNG")
    payload = signed_slip_payload(order, packing)
    assert payload is not None and payload["customer_signature_png"]
    assert payload["counted_by"] == [bench["a"].name]


def test_wrong_pin_signs_nothing(bench: dict[str, Any]) -> None:
    order = bench["order"]
    with pytest.raises(SignInFailed):
        signoff.sign(order.id, "7001", "000000")
    assert db.session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.staff_no == "7001", LoginAttempt.success.is_(False))) == 1


def _all_signoffs(order: Order, bench: dict[str, Any]) -> None:
    _sign(order, bench["a"], bench["b"])
    signoff.confirm_name(order.id, staff_id=bench["a"].id)
    signoff.customer_signs(order.id, factories.signature_png())
    signoff.confirm_payment(order.id, staff_id=bench["a"].id)
    db.session.commit()


def test_signoffs_wait_until_every_line_is_fully_ticked(bench: dict[str, Any]) -> None:
    """Accepted at 5/6 before: a counter's PIN, the customer's "all my goods are in the
    boxes" and the payment check now vouch only for complete boxes (409, nothing kept)."""
    order, p = bench["order"], bench["prods"]
    with pytest.raises(SignoffRefused):  # 0/6: nothing boxed at all
        signoff.customer_signs(order.id, factories.signature_png(), name_confirmed=True)
    db.session.rollback()
    pack_all(order, p)
    line = next(ln for ln in packing_view(order).lines if ln.product_id == p[2].id)
    services.untick(order.id, line.id, box_id=packing_view(order).boxes[0].id)  # 5/6
    db.session.commit()
    before = snapshot()
    attempts = [
        lambda: signoff.sign(order.id, "7001", "314159"),
        lambda: signoff.customer_signs(order.id, factories.signature_png(), name_confirmed=True),
        lambda: signoff.confirm_payment(order.id, staff_id=bench["a"].id, name_confirmed=True),
    ]
    for attempt in attempts:
        with pytest.raises(SignoffRefused) as exc:
            attempt()
        assert exc.value.status == 409 and f"{line.product.code} 2/3" in exc.value.message
        db.session.rollback()
    assert snapshot() == before
    packing = db.session.scalars(select(Packing)).one()
    assert (packing.customer_signature, packing.payment_checked_at, packing.name_confirmed,
            packing.signatures) == (None, None, False, [])
    services.scan(order.id, p[2].barcode)  # 6/6: now they are taken
    signoff.sign(order.id, "7001", "314159")
    assert [s.staff_id for s in packing_view(order).packing.signatures] == [bench["a"].id]


def test_the_customer_signs_and_payment_is_checked_only_after_the_name(
        bench: dict[str, Any]) -> None:
    order, p = bench["order"], bench["prods"]
    pack_all(order, p)
    db.session.commit()
    for attempt in (lambda: signoff.customer_signs(order.id, factories.signature_png()),
                    lambda: signoff.confirm_payment(order.id, staff_id=bench["a"].id)):
        with pytest.raises(NameNotConfirmed) as exc:
            attempt()
        assert exc.value.status == 409 and "张三" in exc.value.message
        db.session.rollback()
    packing = signoff.confirm_name(order.id, staff_id=bench["a"].id)
    assert packing.name_confirmed
    signoff.customer_signs(order.id, factories.signature_png())
    signoff.confirm_payment(order.id, staff_id=bench["a"].id)
    assert signoff.missing_signoffs(packing, "present") == ["点货人还没签名"]


@pytest.mark.parametrize("change", ["untick", "box-added", "box-removed"])
def test_a_change_after_the_signoffs_voids_them_all(bench: dict[str, Any],
                                                    change: str) -> None:
    order, p = bench["order"], bench["prods"]
    pack_all(order, p)
    if change == "box-removed":
        services.add_box(order.id)  # an empty box 2, started before anyone signed
    _all_signoffs(order, bench)
    packing = packing_view(order).packing
    assert signoff.seal_problems(order, packing, "present") == ([] if change != "box-removed"
                                                               else ["第 2 箱是空的：请装货或删除"])
    view = packing_view(order)
    if change == "untick":
        tick = services.untick(order.id, view.lines[0].id, box_id=view.boxes[0].id)
        assert tick.voided
    elif change == "box-added":
        services.add_box(order.id)
    else:
        services.remove_empty_box(order.id, view.boxes[-1].id)
    packing = packing_view(order).packing
    assert (packing.signatures, packing.customer_signature, packing.customer_signed_at,
            packing.payment_checked_at, packing.payment_checked_by_id) == ([], None, None, None, None)
    assert packing.name_confirmed  # the customer's name did not change
    assert (packing.signoffs_void_reason, packing.signoffs_voided_at is not None) == (change, True)
    kept = db.session.scalars(select(PackingSignature).order_by(PackingSignature.id)).all()
    assert [(s.staff_id, s.void_reason) for s in kept] == [
        (bench["a"].id, change), (bench["b"].id, change)]  # history, not deleted
    for mode in ("present", "absent"):
        assert signoff.void_notice(packing, mode).startswith("签名已作废")
        assert signoff.missing_signoffs(packing, mode)
    # the change and the voiding are one transaction: undone together
    db.session.rollback()
    packing = packing_view(order).packing
    assert len(packing.signatures) == 2 and packing.customer_signature is not None


def test_signing_again_after_a_void_and_sealing(bench: dict[str, Any]) -> None:
    order, p = bench["order"], bench["prods"]
    pack_all(order, p)
    _sign(order, bench["a"], bench["b"])
    view = packing_view(order)
    line_id, box_id, barcode = view.lines[0].id, view.boxes[0].id, view.lines[0].product.barcode
    services.untick(order.id, line_id, box_id=box_id)
    db.session.commit()
    with pytest.raises(SealRefused):
        signoff.seal(order.id, "absent", staff_id=None)
    db.session.rollback()
    services.scan(order.id, barcode)
    _sign(order, bench["a"], bench["b"])  # the same two sign again: allowed, one standing each
    db.session.commit()
    assert signoff.void_notice(packing_view(order).packing, "absent") == ""
    packing = signoff.seal(order.id, "absent", staff_id=bench["a"].id)
    assert packing.status == "sealed"
    rows = db.session.execute(select(PackingSignature.staff_id, PackingSignature.void_reason)
                              .order_by(PackingSignature.id)).all()
    assert [tuple(r) for r in rows] == [(bench["a"].id, "untick"), (bench["b"].id, "untick"),
                                        (bench["a"].id, ""), (bench["b"].id, "")]


def test_a_cross_out_voids_signoffs_given_before_this_rule(bench: dict[str, Any]) -> None:
    """Sign-offs can no longer stand beside unpacked units, but ones given before the rule
    can: a cross-out (goods and amount change) voids them like any other change."""
    order, p = bench["order"], bench["prods"]
    services.scan(order.id, p[0].barcode)
    packing = packing_view(order).packing
    db.session.add(PackingSignature(packing_id=packing.id, staff_id=bench["a"].id))
    packing.payment_checked_at, packing.payment_checked_by_id = packing.started_at, bench["a"].id
    db.session.commit()
    line = next(ln for ln in packing_view(order).lines if ln.product_id == p[2].id)
    crossout.cross_out(order.id, [(line.id, 1)], handler_id=bench["a"].id,
                       manager_staff_no="7009", manager_pin="975310", customer_agreed=True)
    packing = packing_view(order).packing
    assert (packing.signatures, packing.payment_checked_at) == ([], None)
    assert packing.signoffs_void_reason == "cross-out"


def test_two_standing_signatures_of_one_counter_are_refused_by_the_database(
        bench: dict[str, Any]) -> None:
    from sqlalchemy.exc import IntegrityError

    order, p = bench["order"], bench["prods"]
    pack_all(order, p)
    _sign(order, bench["a"])
    packing = packing_view(order).packing
    db.session.add(PackingSignature(packing_id=packing.id, staff_id=bench["a"].id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def _credits(customer_id: int) -> list[int]:
    return list(db.session.scalars(select(LedgerEntry.amount).where(
        LedgerEntry.customer_id == customer_id, LedgerEntry.kind == "return_credit")))


def test_cross_out_credits_ledger_and_restores_stock_once(bench: dict[str, Any]) -> None:
    order, p, cust = bench["order"], bench["prods"], bench["cust"]
    line = next(ln for ln in packing_view(order).lines if ln.product_id == p[2].id)
    balance, on_hand = cust.balance, p[2].on_hand
    slip = crossout.cross_out(order.id, [(line.id, 2)], handler_id=bench["a"].id,
                              manager_staff_no="7009", manager_pin="975310",
                              customer_agreed=True, reason="客户不要了", station="pack-1")
    db.session.commit()
    db.session.expire_all()
    assert (slip.kind, slip.manager_id, slip.total) == ("cross_out", bench["m"].id,
                                                      2 * line.unit_price)
    assert _credits(cust.id) == [-2 * line.unit_price]
    assert db.session.get(Customer, cust.id).balance == balance - 2 * line.unit_price
    assert db.session.get(Product, p[2].id).on_hand == on_hand + 2
    line = db.session.get(OrderLine, line.id)
    assert (line.crossed_qty, line.to_pack) == (2, 1)
    job = db.session.scalar(select(PrintJob).where(PrintJob.document == "return_slip",
                                                   PrintJob.ref == slip.number))
    assert job is not None and job.station == "pack-1"
    # the same units again: only one is left unpacked, so asking for 2 is refused
    before = snapshot()
    with pytest.raises(ValidationFailed):
        crossout.cross_out(order.id, [(line.id, 2)], handler_id=bench["a"].id,
                           manager_staff_no="7009", manager_pin="975310", customer_agreed=True)
    db.session.rollback()
    assert snapshot() == before
    # a crossed-out unit no longer scans: 1 left to pack
    services.scan(order.id, p[2].barcode)
    with pytest.raises(OverScan):
        services.scan(order.id, p[2].barcode)


def test_cross_out_needs_customer_and_a_real_manager(bench: dict[str, Any]) -> None:
    order = bench["order"]
    line = packing_view(order).lines[0]
    db.session.commit()
    before = snapshot()
    cases = [
        ({"customer_agreed": False, "manager_staff_no": "7009", "manager_pin": "975310"},
         ValidationFailed),
        ({"customer_agreed": True, "manager_staff_no": "7009", "manager_pin": "123456"},
         SignInFailed),
        ({"customer_agreed": True, "manager_staff_no": "7002", "manager_pin": "271828"},
         Forbidden),
        ({"customer_agreed": True, "manager_staff_no": "", "manager_pin": ""}, ValidationFailed),
    ]
    for kwargs, error in cases:
        with pytest.raises(error):
            crossout.cross_out(order.id, [(line.id, 1)], handler_id=bench["a"].id, **kwargs)
        db.session.rollback()
    assert snapshot() == before
    assert db.session.scalar(select(func.count(ReturnSlip.id))) == 0


def test_packed_units_cannot_be_crossed_out(bench: dict[str, Any]) -> None:
    order, p = bench["order"], bench["prods"]
    services.scan(order.id, p[1].barcode)
    line = next(ln for ln in packing_view(order).lines if ln.product_id == p[1].id)
    with pytest.raises(ValidationFailed) as exc:
        crossout.cross_out(order.id, [(line.id, 1)], handler_id=bench["a"].id,
                           manager_staff_no="7009", manager_pin="975310", customer_agreed=True)
    assert "先从箱里取出" in exc.value.message


def test_database_refuses_packing_more_than_ordered(bench: dict[str, Any]) -> None:
    from sqlalchemy.exc import IntegrityError

    line = packing_view(bench["order"]).lines[1]
    line.packed_qty = line.qty + 1
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_queue_lists_settled_orders_until_sealed(bench: dict[str, Any]) -> None:
    order = bench["order"]
    assert [o.id for o, _p in packing_queue()] == [order.id]
    pack_all(order, bench["prods"])
    _sign(order, bench["a"], bench["b"])
    signoff.seal(order.id, "absent", staff_id=None)
    assert packing_queue() == []
