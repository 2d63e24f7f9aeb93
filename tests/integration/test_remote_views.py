"""Remote-order screens through the test client: opening an order without a visit (phones
only for roles that may see them), the clerk's home, the day's online orders and the
answer form, the remit screen (freight, print exactly once, a manager's release), the
cashier's settled page pointing at it, and the packing bench refusing a waiting order."""
from __future__ import annotations

from typing import Any

import factories
import pytest
from sqlalchemy import func, select

from showroom.customers.services import post_entry
from showroom.extensions import db
from showroom.orders.models import Order
from showroom.orders.services import add_line, submit
from showroom.printjobs.models import PrintJob
from showroom.remote import services as remote
from showroom.settlement.services import PaymentIn, settle


@pytest.fixture
def world(app: Any) -> dict[str, Any]:
    with app.app_context():
        cust = factories.customer(name="视频客户", phone="13912345678")
        post_entry(cust.id, "sale", 50_000, ref="XS-OLD")
        factories.product(code="VR-0001", wholesale=8_800, stock=30)
        db.session.commit()
        return {"customer": cust.id}


def _count(app: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(Order)) or 0)


def test_open_a_video_order_from_the_tablet(app, client, login_as, world):
    clerk = login_as("clerk")
    page = client.get("/remote/orders/new?q=视频")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "视频客户" in html
    assert "13912345678" not in html  # a clerk does not see phones
    chosen = client.get(f"/remote/orders/new?q=视频&customer_id={world['customer']}")
    assert 'id="open-remote"' in chosen.get_data(as_text=True)
    resp = client.post("/remote/orders", data={"customer_id": world["customer"],
                                               "channel": "video"})
    assert resp.status_code == 302 and "/picking/orders/" in resp.headers["Location"]
    order_page = client.get(resp.headers["Location"])
    assert order_page.status_code == 200 and 'data-channel="video"' in order_page.get_data(
        as_text=True)
    with app.app_context():
        order = db.session.scalar(select(Order))
        assert order.channel == "video" and order.clerk_id == clerk["id"]
        assert order.visit_id is None
    home = client.get("/picking/").get_data(as_text=True)
    assert "my-remote-orders" in home and order.number in home


def test_reception_sees_phones_in_search_but_cannot_open(client, login_as, world):
    login_as("reception")
    assert client.get("/remote/orders/new?q=视频").status_code == 403


def test_bad_input_writes_nothing(app, client, login_as, world):
    login_as("clerk")
    for data, field in (({"channel": "showroom"}, "channel"),
                        ({"channel": "phone", "external_ref": "X-1"}, "external_ref"),
                        ({"channel": "online", "external_ref": "a\u200bb"}, "external_ref")):
        resp = client.post("/remote/orders", data={"customer_id": world["customer"]} | data)
        assert resp.status_code == 422, (data, resp.status_code)
        assert f'data-error-for="{field}"' in resp.get_data(as_text=True)
    assert client.post("/remote/orders", data={"customer_id": "999999",
                                                "channel": "video"}).status_code == 422
    assert _count(app) == 0


def test_online_list_and_answer(app, client, login_as, world):
    login_as("clerk")
    with app.app_context():
        staff = factories.staff("clerk")
        lines = remote.parse_lines([{"product_code": "VR-0001", "qty": 40}])  # 30 in stock
        order, _c = remote.create_online_order(world["customer"], lines, "W-9", staff=staff)
        db.session.commit()
        oid = order.id
    page = client.get("/remote/online")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f'id="order-{oid}"' in html
    assert "data-pending" in html and "data-pick-day" in html and "VR-0001" in html
    bad = client.post(f"/remote/orders/{oid}/answer", data={"note": ""})
    assert bad.status_code == 422
    ok = client.post(f"/remote/orders/{oid}/answer", data={
        "note": "已告知缺货 10 件", "rows-0-product_code": "VR-0001",
        "rows-0-qty": "10", "rows-0-kind": "shortage"})
    assert ok.status_code == 302, ok.get_data(as_text=True)
    assert "data-answered" in client.get("/remote/online").get_data(as_text=True)
    again = client.post(f"/remote/orders/{oid}/answer", data={"note": "again"})
    assert again.status_code == 409


def _waiting_order(app: Any, world: dict[str, Any]) -> int:
    with app.app_context():
        staff = factories.staff("clerk")
        order = remote.open_remote_order(world["customer"], "video", staff=staff)
        add_line(order.id, product_code="VR-0001", qty=2)
        submit(order.id)
        settle(order.id, [PaymentIn("on_account", order.total)], cashier_id=None)
        db.session.commit()
        return order.id


def test_remit_screen_freight_print_once(app, client, login_as, world):
    oid = _waiting_order(app, world)
    login_as("cashier")
    page = client.get(f"/remote/orders/{oid}/remit")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "¥676.00" in html  # 176.00 + 500.00, no freight yet
    assert "应汇款金额：¥676.00" in html and 'data-remit-status="awaiting"' in html
    assert client.post(f"/remote/orders/{oid}/freight", data={
        "carrier": "sf_express", "fee": "abc"}).status_code == 422
    assert client.post(f"/remote/orders/{oid}/freight", data={
        "carrier": "sf_express", "fee": "24.00"}).status_code == 302
    assert "¥700.00" in client.get(f"/remote/orders/{oid}/remit").get_data(as_text=True)
    for _twice in range(2):
        assert client.post(f"/remote/orders/{oid}/remit/print",
                           data={"token": "5c1d2e6a-0000-4000-8000-000000000001"}
                           ).status_code == 302
    with app.app_context():
        jobs = list(db.session.scalars(select(PrintJob).where(
            PrintJob.document == "remit_notice")))
        assert len(jobs) == 1 and '"amount_to_remit": "700.00"' in jobs[0].payload
    result = client.get(f"/cashier/orders/{oid}")
    assert 'id="to-remit"' in result.get_data(as_text=True)


def test_remit_screen_roles(app, client, login_as, world):
    oid = _waiting_order(app, world)
    login_as("packer")
    assert client.get(f"/remote/orders/{oid}/remit").status_code == 403
    assert client.get(f"/packing/orders/{oid}").status_code in (403, 409)


def test_packing_bench_refuses_waiting_then_release(app, client, login_as, make_staff, world):
    oid = _waiting_order(app, world)
    mgr = make_staff("manager", staff_no="7401")
    login_as("packer", "cashier")
    bench = client.get(f"/packing/orders/{oid}")
    assert bench.status_code == 409
    wrong = client.post(f"/remote/orders/{oid}/remit/release", data={
        "token": "5c1d2e6a-0000-4000-8000-000000000002", "reason": "老客户",
        "manager_staff_no": "7401", "manager_pin": "999999"})
    assert wrong.status_code in (401, 403)
    ok = client.post(f"/remote/orders/{oid}/remit/release", data={
        "token": "5c1d2e6a-0000-4000-8000-000000000003", "reason": "老客户",
        "manager_staff_no": "7401", "manager_pin": mgr["pin"]})
    assert ok.status_code == 302
    assert client.get(f"/packing/orders/{oid}").status_code == 200


def test_a_manager_sees_phones_when_opening(client, login_as, world):
    login_as("manager")
    html = client.get("/remote/orders/new?q=1391234").get_data(as_text=True)
    assert "视频客户" in html and "13912345678" in html


def test_unknown_order_is_404(client, login_as, world):
    login_as("cashier")
    assert client.get("/remote/orders/999999/remit").status_code == 404
