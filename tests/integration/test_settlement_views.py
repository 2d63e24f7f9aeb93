"""Cashier screens through the test client: queue, file first, split payments, exactly once."""
from __future__ import annotations

import re
import uuid

import factories
import pytest
from sqlalchemy import func, select

from showroom.catalog.models import Product, StockMove
from showroom.customers.models import Customer, LedgerEntry
from showroom.extensions import db
from showroom.idempotency import IdempotencyRecord
from showroom.orders.models import Order
from showroom.printjobs.models import PrintJob
from showroom.settlement.models import ReturnSlip, Settlement


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def order(app):
    """A submitted order of ¥391.50 (2 × 120.00 + 3 × 50.50) for a complete customer file."""
    with app.app_context():
        cust = factories.customer(name="张三", phone="13800001111")
        p1 = factories.product(code="P-RING", wholesale=12_000, stock=10)
        p2 = factories.product(code="P-CHAIN", wholesale=5_050, stock=10)
        o = factories.order_with_lines(cust.id, [(p1, 2), (p2, 3)])
        db.session.commit()
        return {"id": o.id, "number": o.number, "customer_id": cust.id,
                "p1": p1.id, "p2": p2.id}


def _token(client, order_id: int) -> str:
    page = client.get(f"/cashier/orders/{order_id}").get_data(as_text=True)
    m = re.search(r'name="token"[^>]*value="([0-9a-f-]{36})"', page) or \
        re.search(r'value="([0-9a-f-]{36})"[^>]*name="token"', page)
    assert m, "the settle form carries a one-time token"
    return m.group(1)


def _settle(client, order_id: int, token: str, **fields: str):
    data = {"token": token} | fields
    return client.post(f"/cashier/orders/{order_id}/settle", data=data)


def test_queue_lists_awaiting_orders_and_refreshes(client, login_as, order):
    login_as("cashier")
    page = client.get("/cashier/").get_data(as_text=True)
    assert order["number"] in page and "张三" in page and "¥391.50" in page
    assert 'hx-trigger="every 10s"' in page
    rows = client.get("/cashier/queue-rows").get_data(as_text=True)
    assert order["number"] in rows and "<html" not in rows


def test_clerk_gets_403_on_cashier_screens(client, login_as, order):
    login_as("clerk")
    assert client.get("/cashier/").status_code == 403
    assert client.get(f"/cashier/orders/{order['id']}").status_code == 403
    resp = _settle(client, order["id"], str(uuid.uuid4()), cash_amount="391.50")
    assert resp.status_code == 403


def test_manager_passes(client, login_as, order):
    login_as("manager")
    assert client.get("/cashier/").status_code == 200


def test_incomplete_file_blocks_settlement_until_completed(app, client, login_as, order):
    with app.app_context():
        db.session.get(Customer, order["customer_id"]).address = ""
        db.session.commit()
    login_as("cashier")
    page = client.get(f"/cashier/orders/{order['id']}").get_data(as_text=True)
    assert 'id="customer-file"' in page and 'id="settle-form"' not in page
    resp = _settle(client, order["id"], str(uuid.uuid4()), cash_amount="391.50")
    assert resp.status_code == 409
    with app.app_context():
        assert _count(Settlement) == 0 and _count(LedgerEntry) == 0
    # an empty address is refused: the file stays incomplete
    resp = client.post(f"/cashier/orders/{order['id']}/customer",
                       data={"name": "张三", "phone": "13800001111", "address": ""})
    assert resp.status_code == 422
    resp = client.post(f"/cashier/orders/{order['id']}/customer",
                       data={"name": "张三", "phone": "13800001111", "address": "广州市荔湾区1号"})
    assert resp.status_code == 303
    page = client.get(f"/cashier/orders/{order['id']}").get_data(as_text=True)
    assert 'id="customer-file"' not in page and 'id="settle-form"' in page
    token = _token(client, order["id"])
    assert _settle(client, order["id"], token, wechat_amount="391.50").status_code == 303


def test_previous_balance_worded_as_debt_or_credit(app, client, login_as, order):
    from showroom.customers.services import post_entry

    login_as("cashier")
    with app.app_context():
        post_entry(order["customer_id"], "adjustment", -5_000, note="credit")
        db.session.commit()
    page = client.get(f"/cashier/orders/{order['id']}").get_data(as_text=True)
    assert "余款" in page and "¥50.00" in page and "¥341.50" in page  # total due
    with app.app_context():
        post_entry(order["customer_id"], "adjustment", 15_000, note="debt")
        db.session.commit()
    page = client.get(f"/cashier/orders/{order['id']}").get_data(as_text=True)
    assert "上次欠款" in page and "¥100.00" in page and "¥491.50" in page


def test_split_cash_and_on_account_gives_change_and_ledger(app, client, login_as, order):
    login_as("cashier")
    token = _token(client, order["id"])
    resp = _settle(client, order["id"], token, cash_amount="300.00", cash_tendered="350.00",
                   on_account_amount="91.50")
    assert resp.status_code == 303
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "收您\u00a0¥350.00，找您\u00a0¥50.00" in page  # 唱收唱付, never split from its amount
    for label, value in (("上次欠款", "¥0.00"), ("本单", "¥391.50"),
                         ("已付", "¥300.00"), ("累计欠款", "¥91.50")):
        pattern = rf"{label}</span><span class=\"num[^\"]*\">{re.escape(value)}"
        assert re.search(pattern, page), label
    assert "销售单" in page and "×3" in page and "现金收据" in page
    with app.app_context():
        entries = db.session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)).all()
        assert [(e.kind, e.amount, e.balance_after) for e in entries] == [
            ("sale", 39_150, 39_150), ("payment", -30_000, 9_150)]
        s = db.session.execute(select(Settlement)).scalar_one()
        assert (s.change, s.on_account, s.paid) == (5_000, 9_150, 30_000)
        assert db.session.get(Order, order["id"]).status == "settled"


def test_same_token_twice_settles_once(app, client, login_as, order):
    login_as("cashier")
    token = _token(client, order["id"])
    fields = {"cash_amount": "391.50", "cash_tendered": "400.00"}
    first = _settle(client, order["id"], token, **fields)
    second = _settle(client, order["id"], token, **fields)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert _count(Settlement) == 1
        assert _count(LedgerEntry) == 2  # one sale, one payment
        assert db.session.scalar(select(func.count()).select_from(StockMove)
                                 .where(StockMove.reason == "sale")) == 2  # one per line
        assert db.session.get(Product, order["p1"]).on_hand == 8
        assert _count(PrintJob) == 2
    page = client.get(f"/cashier/orders/{order['id']}").get_data(as_text=True)
    assert "找您\u00a0¥8.50" in page and 'id="settle-form"' not in page


def test_settled_order_cannot_be_settled_again_with_a_new_token(app, client, login_as, order):
    login_as("cashier")
    assert _settle(client, order["id"], _token(client, order["id"]),
                   alipay_amount="391.50").status_code == 303
    resp = _settle(client, order["id"], str(uuid.uuid4()), alipay_amount="391.50")
    assert resp.status_code == 409
    assert "这张销售单已结算" in resp.get_data(as_text=True)
    with app.app_context():
        assert _count(Settlement) == 1 and _count(LedgerEntry) == 2
    resp = client.post(f"/cashier/orders/{order['id']}/return",
                       data={f"ret_{order['p1']}": "1"})
    assert resp.status_code in (409, 422)


@pytest.mark.parametrize("fields", [
    {"cash_amount": "391.505"},                                    # three decimals
    {"cash_amount": "300.00"},                                     # does not add up
    {"cash_amount": "300.00", "on_account_amount": "100.00"},      # over
    {"cash_amount": "391.50", "cash_tendered": "390.00"},          # tendered < cash
    {"cash_amount": "391.50", "wechat_amount": "abc"},
    {"cash_tendered": "400.00"},                                   # tendered with no cash amount
    {},
])
def test_bad_input_is_422_and_writes_nothing(app, client, login_as, order, fields):
    login_as("cashier")
    resp = _settle(client, order["id"], _token(client, order["id"]), **fields)
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert 'class="flash error"' in page and 'id="settle-form"' in page
    with app.app_context():
        for model in (Settlement, LedgerEntry, PrintJob, IdempotencyRecord):
            assert _count(model) == 0, model
        assert db.session.scalar(select(func.count()).select_from(StockMove)
                                 .where(StockMove.reason == "sale")) == 0
        assert db.session.get(Order, order["id"]).status == "awaiting_settlement"


def test_missing_token_is_refused(app, client, login_as, order):
    login_as("cashier")
    resp = client.post(f"/cashier/orders/{order['id']}/settle", data={"cash_amount": "391.50"})
    assert resp.status_code == 422
    with app.app_context():
        assert _count(Settlement) == 0


def test_on_the_spot_return_makes_a_slip_before_settling(app, client, login_as, order):
    login_as("cashier")
    with app.app_context():
        from showroom.orders.services import order_lines

        line = next(ln for ln in order_lines(order["id"]) if ln.product_id == order["p2"])
        line_id = line.id
    resp = client.post(f"/cashier/orders/{order['id']}/return", data={f"ret_{line_id}": "2"})
    assert resp.status_code == 303
    page = client.get(f"/cashier/orders/{order['id']}").get_data(as_text=True)
    with app.app_context():
        slip = db.session.execute(select(ReturnSlip)).scalar_one()
        assert slip.total == 10_100
        assert db.session.get(Order, order["id"]).total == 29_050
    assert slip.number in page and "¥290.50" in page
    bad = client.post(f"/cashier/orders/{order['id']}/return", data={f"ret_{line_id}": "5"})
    assert bad.status_code == 422
    token = _token(client, order["id"])
    assert _settle(client, order["id"], token, bank_transfer_amount="290.50").status_code == 303
    with app.app_context():
        assert db.session.get(Product, order["p2"]).on_hand == 9  # only the kept unit left


@pytest.mark.concurrency
def test_double_click_racing_requests_settle_once(app, client, login_as, order):
    """Two POSTs with one token at the same moment: one settles, both land on the result."""
    import threading

    staff = login_as("cashier")
    token = _token(client, order["id"])
    clients = [app.test_client() for _ in range(2)]
    for c in clients:
        c.post("/login", data={"staff_no": staff["staff_no"], "pin": staff["pin"]})
    barrier, codes = threading.Barrier(2), []

    def click(c):
        barrier.wait()
        codes.append(_settle(c, order["id"], token, cash_amount="391.50").status_code)

    threads = [threading.Thread(target=click, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert codes == [303, 303]
    with app.app_context():
        assert _count(Settlement) == 1 and _count(LedgerEntry) == 2
        assert db.session.scalar(select(func.count()).select_from(StockMove)
                                 .where(StockMove.reason == "sale")) == 2
