"""Back office services without HTTP (update_product, the receipt draft, the waiting
wishes, update_staff), and races on both backends: one receipt from a "Finish" tapped on
five threads with one token, one notification from four taps of "notify"."""
from __future__ import annotations

import threading

import factories
import pytest
from sqlalchemy import func, select

from showroom.auth.keeping import update_staff
from showroom.catalog.models import StockReceipt
from showroom.catalog.receiving import (
    DraftLine,
    DraftRefused,
    add_scan,
    read_draft,
    waiting_wishes,
)
from showroom.catalog.services import receive_stock, update_product
from showroom.errors import Conflict, Forbidden, NotFound, ValidationFailed
from showroom.extensions import db
from showroom.picking.models import Wish
from showroom.picking.services import record_wish


def test_update_product_checks_only_what_is_given(ctx):
    factories.area(code="B2")
    p = factories.product(code="UP-1", barcode="6900000000011", wholesale=1000, stock=5)
    factories.product(code="UP-2", barcode="6900000000028")
    changed = update_product("UP-1", {"price_franchise": "８.８", "area": "B2"})
    assert (changed.price_franchise, changed.price_wholesale, changed.area.code) == (880, 1000, "B2")
    assert update_product("UP-1", {"barcode": "", "area": None}).barcode is None
    with pytest.raises(Conflict) as exc:
        update_product("UP-1", {"barcode": "6900000000028"})
    assert "UP-2" in exc.value.message
    for bad in ({"price_wholesale": "1.001"}, {"name": ""}, {"care_note": "a\x1bb"},
                {"area": "NOPE"}, {"code": None}, {"price_wholesale": 1.5}):
        with pytest.raises(ValidationFailed):
            update_product("UP-1", bad)
    with pytest.raises(NotFound):
        update_product("NOPE", {"name": "x"})
    assert p.on_hand == 5


def test_draft_scans_and_quantities(ctx):
    factories.product(code="D-1", barcode="6900000000011", stock=0)
    lines = add_scan([], "6900000000011", "")
    lines = add_scan(lines, "D-1", "４")
    assert [(ln.code, ln.qty) for ln in lines] == [("D-1", 5)]
    assert [(ln.code, ln.qty) for ln in read_draft([("D-1", "5"), ("D-1", "2")])] == [("D-1", 7)]
    for scan, qty in (("999", ""), ("6900000000011", "0"), ("6900000000011", "100001")):
        with pytest.raises(DraftRefused):
            add_scan([DraftLine("D-1", "", None, 1, 0)], scan, qty)
    with pytest.raises(DraftRefused) as exc:
        read_draft([("D-1", "0"), ("GONE", "1")])
    assert set(exc.value.errors) == {"qty-D-1", "qty-GONE"}


def test_waiting_wishes_are_those_for_the_receipt_products(ctx):
    a = factories.product(code="W-1", stock=0)
    b = factories.product(code="W-2", stock=0)
    cust = factories.customer()
    clerk = factories.staff("clerk", name="跟单甲")
    mine = record_wish(cust.id, product_code="W-1", qty=2, staff_id=clerk.id)
    record_wish(cust.id, product_code="W-2", qty=1)
    record_wish(cust.id, description="红色款", qty=1)
    receipt = receive_stock([("W-1", 3)], staff_id=None)
    waiting = waiting_wishes(receipt)
    assert [(w.wish.id, w.clerk) for w in waiting] == [(mine.id, "跟单甲")]
    assert b.on_hand == 0 and a.on_hand == 3


def test_update_staff_rules(ctx):
    me = factories.staff("manager")
    other = factories.staff("clerk")
    assert update_staff(other, by=me, roles=["packer", "clerk"]).roles == "clerk,packer"
    with pytest.raises(Forbidden):
        update_staff(me, by=me, active=False)
    with pytest.raises(Forbidden):
        update_staff(me, by=me, roles=["cashier"])
    with pytest.raises(ValidationFailed):
        update_staff(other, by=me, roles=["boss"])
    with pytest.raises(ValidationFailed):
        update_staff(other, by=me, name="x\u200by")
    with pytest.raises(ValidationFailed):
        update_staff(other, by=me, name="新名", pin="123456")
    assert other.name != "新名"
    epoch = other.session_epoch
    update_staff(other, by=me, active=False)
    assert not other.active and other.session_epoch == epoch + 1


# --- races ------------------------------------------------------------------------------

def _signed_in_clients(app, make_staff, n):
    staff = make_staff("manager")
    clients = []
    for _ in range(n):
        client = app.test_client()
        assert client.post("/login", data={"staff_no": staff["staff_no"],
                                           "pin": staff["pin"]}).status_code == 302
        clients.append(client)
    return clients


def _race(clients, call):
    barrier = threading.Barrier(len(clients))
    results = [None] * len(clients)

    def run(i):
        barrier.wait()
        results[i] = call(clients[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.mark.concurrency
def test_finish_tapped_on_five_threads_makes_one_receipt(app, make_staff):
    with app.app_context():
        factories.product(code="R-1", stock=0)
        db.session.commit()
    clients = _signed_in_clients(app, make_staff, 5)
    data = {"code": ["R-1"], "qty": ["20"], "token": "0b7a3c55-3f4e-4d3a-9a1b-2c3d4e5f6a7b"}
    results = _race(clients, lambda c: (c.post("/catalog/receipts", data=data).status_code))
    assert all(code in (303, 409, 503) for code in results), results
    assert results.count(303) >= 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StockReceipt)) == 1
        from showroom.catalog.models import Product
        assert db.session.scalar(select(Product.on_hand).where(Product.code == "R-1")) == 20


@pytest.mark.concurrency
def test_notify_tapped_four_times_notifies_once(app, make_staff):
    with app.app_context():
        factories.product(code="N-1", stock=0)
        cust = factories.customer()
        wish = record_wish(cust.id, product_code="N-1", qty=1)
        receipt = receive_stock([("N-1", 1)], staff_id=None)
        db.session.commit()
        url = f"/catalog/receipts/{receipt.id}/wishes/{wish.id}/notify"
        wish_id = wish.id
    clients = _signed_in_clients(app, make_staff, 4)
    results = _race(clients, lambda c: c.post(url).status_code)
    assert all(code == 303 for code in results), results
    with app.app_context():
        notified = db.session.get(Wish, wish_id)
        assert notified.notified_at is not None
        flashes = []
        for c in clients:
            with c.session_transaction() as session:
                flashes += [cat for cat, _m in session.get("_flashes", [])]
        assert flashes.count("success") == 1, flashes
