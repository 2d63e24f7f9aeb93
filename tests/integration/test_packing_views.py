"""The packing bench through the test client: the queue, scans and their refusals (409,
nothing changed), hand ticks, cross-outs with the manager's PIN exactly once, sign-offs,
the seal and its labels, the signed slip, and who may use the bench."""
from __future__ import annotations

import base64
import io
import re
import uuid
from typing import Any

import factories
import pytest
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from showroom.auth.models import LoginAttempt
from showroom.catalog.models import Product, StockMove
from showroom.customers.models import LedgerEntry
from showroom.extensions import db
from showroom.orders.models import Order, OrderLine
from showroom.packing.models import Packing, PackingBox, PackingSignature, PackingTick
from showroom.printjobs.models import PrintJob
from showroom.settlement.models import ReturnSlip
from showroom.settlement.services import PaymentIn, settle

HX = {"HX-Request": "true"}


def _count(model: Any, *where: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _settled(qtys: tuple[int, ...] = (2, 1), *, on_account: bool = False) -> dict[str, Any]:
    cust = factories.customer(name="王芳", phone="13800002222")
    prods = [factories.product(code=f"PK-{i + 1}", wholesale=1000 * (i + 1), stock=20)
             for i in range(len(qtys))]
    order = factories.order_with_lines(cust.id, list(zip(prods, qtys, strict=True)))
    method = "on_account" if on_account else "cash"
    settle(order.id, [PaymentIn(method, order.total)], cashier_id=None)
    db.session.commit()
    lines = db.session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)
                               .order_by(OrderLine.id)).all()
    return {"id": order.id, "number": order.number, "customer_id": cust.id,
            "barcodes": [p.barcode for p in prods], "products": [p.id for p in prods],
            "lines": [ln.id for ln in lines]}


@pytest.fixture
def order(app: Any) -> dict[str, Any]:
    with app.app_context():
        return _settled()


def _state(order_id: int) -> tuple[int, int, list[int]]:
    """(ticks, boxes, packed per line): what a refusal must leave as it was."""
    db.session.expire_all()
    packed = list(db.session.scalars(select(OrderLine.packed_qty).where(
        OrderLine.order_id == order_id).order_by(OrderLine.id)))
    return _count(PackingTick), _count(PackingBox), packed


def _scan(client: Any, order_id: int, barcode: str) -> Any:
    return client.post(f"/packing/orders/{order_id}/scan", data={"barcode": barcode}, headers=HX)


def test_queue_lists_settled_orders_only(app, client, login_as, order):
    with app.app_context():
        cust = factories.customer()
        waiting = factories.order_with_lines(cust.id, [(factories.product(), 1)])
        db.session.commit()
        waiting_no = waiting.number
    login_as("packer")
    page = client.get("/packing/").get_data(as_text=True)
    assert order["number"] in page and "王芳" in page and waiting_no not in page
    assert 'hx-trigger="every 5s"' in page
    rows = client.get("/packing/rows").get_data(as_text=True)
    assert order["number"] in rows and "<html" not in rows and "0/3" in rows


def test_packer_home_is_the_packing_queue(client, make_staff):
    staff = make_staff("packer")
    resp = client.post("/login", data={"staff_no": staff["staff_no"], "pin": staff["pin"]})
    assert client.get(resp.headers["Location"]).status_code in (200, 302)
    assert client.get("/").headers.get("Location", "").endswith("/packing/")


def test_scan_ticks_one_unit_into_box_one(app, client, login_as, order):
    login_as("packer")
    resp = _scan(client, order["id"], order["barcodes"][0])
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert 'data-scan-result="ok"' in html and "PK-1" in html and "1/2" in html
    assert 'hx-swap-oob="true"' in html  # the line, boxes, seal and progress out of band
    with app.app_context():
        assert _state(order["id"]) == (1, 1, [1, 0])


def test_over_scan_and_wrong_product_are_refused_and_change_nothing(app, client, login_as, order):
    login_as("packer")
    assert _scan(client, order["id"], order["barcodes"][1]).status_code == 200
    with app.app_context():
        before = _state(order["id"])
        stranger = factories.product(code="NOT-OURS").barcode
        db.session.commit()
    over = _scan(client, order["id"], order["barcodes"][1])
    assert over.status_code == 409
    text = over.get_data(as_text=True)
    assert 'data-scan-result="bad"' in text and "PK-2" in text
    wrong = _scan(client, order["id"], stranger)
    assert wrong.status_code == 409 and "NOT-OURS" in wrong.get_data(as_text=True)
    unknown = _scan(client, order["id"], "0000000000000")
    assert unknown.status_code == 409
    with app.app_context():
        assert _state(order["id"]) == before


def test_scan_without_js_redirects_with_a_message(client, login_as, order):
    login_as("packer")
    resp = client.post(f"/packing/orders/{order['id']}/scan",
                       data={"barcode": order["barcodes"][0]})
    assert resp.status_code == 303
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "PK-1" in page


def test_manual_tick_needs_a_reason(app, client, login_as, order):
    login_as("packer")
    line = order["lines"][0]
    resp = client.post(f"/packing/orders/{order['id']}/lines/{line}/tick",
                       data={"qty": "1", "reason": "  "})
    assert resp.status_code == 422
    with app.app_context():
        assert _state(order["id"]) == (0, 0, [0, 0])
        assert _count(Packing) == 0
    ok = client.post(f"/packing/orders/{order['id']}/lines/{line}/tick",
                     data={"qty": "2", "reason": "条码撕掉了"})
    assert ok.status_code == 303
    with app.app_context():
        tick = db.session.scalars(select(PackingTick)).one()
        assert (tick.method, tick.qty, tick.reason) == ("manual", 2, "条码撕掉了")


def test_boxes_current_box_and_untick(app, client, login_as, order):
    login_as("packer")
    oid = order["id"]
    _scan(client, oid, order["barcodes"][0])
    empty_again = client.post(f"/packing/orders/{oid}/boxes", headers=HX)
    assert empty_again.status_code == 200
    refused = client.post(f"/packing/orders/{oid}/boxes", headers=HX)
    assert refused.status_code == 422  # box 2 is still empty
    _scan(client, oid, order["barcodes"][0])
    with app.app_context():
        boxes = db.session.scalars(select(PackingBox).order_by(PackingBox.number)).all()
        assert [b.units for b in boxes] == [1, 1]
        first = boxes[0].id
    client.post(f"/packing/orders/{oid}/boxes/{first}/current", headers=HX)
    _scan(client, oid, order["barcodes"][1])
    with app.app_context():
        assert [b.units for b in db.session.scalars(
            select(PackingBox).order_by(PackingBox.number))] == [2, 1]
    out = client.post(f"/packing/orders/{oid}/lines/{order['lines'][1]}/untick",
                      data={"box_id": str(first), "reason": "放错箱"}, headers=HX)
    assert out.status_code == 200
    with app.app_context():
        assert _state(oid)[2] == [2, 0]


def _cross(client: Any, order_id: int, line_id: int, token: str, pin: str,
           manager_no: str) -> Any:
    return client.post(f"/packing/orders/{order_id}/cross-out", data={
        "token": token, f"x_{line_id}": "1", "reason": "客户不要了", "customer_agreed": "y",
        "manager_staff_no": manager_no, "manager_pin": pin})


def test_cross_out_with_a_wrong_manager_pin_writes_nothing_but_the_attempt(
        app, client, login_as, make_staff, order):
    login_as("packer")
    manager = make_staff("manager")
    resp = _cross(client, order["id"], order["lines"][0], str(uuid.uuid4()), "000000",
                  manager["staff_no"])
    assert resp.status_code == 401
    assert "data-crossout-error" in resp.get_data(as_text=True)
    with app.app_context():
        assert _count(ReturnSlip) == 0
        assert _count(LedgerEntry, LedgerEntry.kind == "return_credit") == 0
        line = db.session.get(OrderLine, order["lines"][0])
        assert line is not None and line.crossed_qty == 0
        attempts = db.session.scalars(select(LoginAttempt).where(
            LoginAttempt.staff_no == manager["staff_no"])).all()
        assert [a.success for a in attempts] == [False]


def test_cross_out_needs_the_customer_and_a_manager(app, client, login_as, make_staff, order):
    login_as("packer")
    clerk = make_staff("clerk")
    no_agree = client.post(f"/packing/orders/{order['id']}/cross-out", data={
        "token": str(uuid.uuid4()), f"x_{order['lines'][0]}": "1",
        "manager_staff_no": clerk["staff_no"], "manager_pin": clerk["pin"]})
    assert no_agree.status_code == 422
    not_manager = _cross(client, order["id"], order["lines"][0], str(uuid.uuid4()),
                         clerk["pin"], clerk["staff_no"])
    assert not_manager.status_code == 403
    with app.app_context():
        assert _count(ReturnSlip) == 0


def test_cross_out_submitted_twice_makes_one_slip(app, client, login_as, make_staff, order):
    login_as("packer")
    manager = make_staff("manager")
    with app.app_context():
        stock = db.session.get(Product, order["products"][0]).on_hand
    token = str(uuid.uuid4())
    first = _cross(client, order["id"], order["lines"][0], token, manager["pin"],
                   manager["staff_no"])
    second = _cross(client, order["id"], order["lines"][0], token, manager["pin"],
                    manager["staff_no"])
    assert first.status_code == second.status_code == 303
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        slip = db.session.scalars(select(ReturnSlip)).one()
        assert slip.number in page and slip.kind == "cross_out"
        assert _count(LedgerEntry, LedgerEntry.kind == "return_credit") == 1
        assert db.session.get(Product, order["products"][0]).on_hand == stock + 1
        assert _count(StockMove, StockMove.ref == slip.number) == 1
        line = db.session.get(OrderLine, order["lines"][0])
        assert line is not None and (line.crossed_qty, line.to_pack) == (1, 1)
        assert _count(PrintJob, PrintJob.document == "return_slip") == 1


def _pack_all_in_two_boxes(client: Any, order: dict[str, Any]) -> None:
    assert _scan(client, order["id"], order["barcodes"][0]).status_code == 200
    assert _scan(client, order["id"], order["barcodes"][0]).status_code == 200
    assert client.post(f"/packing/orders/{order['id']}/boxes", headers=HX).status_code == 200
    assert _scan(client, order["id"], order["barcodes"][1]).status_code == 200


def _sign(client: Any, order_id: int, staff: dict[str, Any], pin: str | None = None) -> Any:
    return client.post(f"/packing/orders/{order_id}/sign",
                       data={"staff_no": staff["staff_no"], "pin": pin or staff["pin"]})


def test_absent_seal_with_one_signer_is_refused_and_changes_nothing(
        app, client, login_as, order):
    packer = login_as("packer")
    _pack_all_in_two_boxes(client, order)
    assert _sign(client, order["id"], packer).status_code == 303
    resp = client.post(f"/packing/orders/{order['id']}/seal", data={"mode": "absent"})
    assert resp.status_code == 409
    html = resp.get_data(as_text=True)
    assert "data-seal-problems" in html and "已签1位" in html.replace(" ", "")
    with app.app_context():
        db.session.expire_all()
        assert db.session.get(Order, order["id"]).status == "settled"
        assert db.session.scalars(select(Packing)).one().status == "packing"
        assert _count(PrintJob, PrintJob.document.in_(("box_label", "packing_list"))) == 0


def test_wrong_counter_pin_signs_nothing_and_counts_toward_lockout(
        app, client, login_as, make_staff, order):
    login_as("packer")
    other = make_staff("packer")
    resp = _sign(client, order["id"], other, pin="999999")
    assert resp.status_code == 401
    with app.app_context():
        assert _count(LoginAttempt, LoginAttempt.staff_no == other["staff_no"],
                      LoginAttempt.success.is_(False)) == 1
        packing = db.session.scalars(select(Packing)).one_or_none()
        assert packing is None or not packing.signatures


def test_wrong_pins_at_the_bench_lock_the_staff_number(app, client, login_as, make_staff,
                                                      order):
    login_as("packer")
    other = make_staff("packer")
    codes = [_sign(client, order["id"], other, pin="999999").status_code for _ in range(5)]
    assert codes == [401, 401, 401, 401, 423]
    assert _sign(client, order["id"], other).status_code == 423  # right PIN, still locked
    with app.app_context():
        packing = db.session.scalars(select(Packing)).one_or_none()
        assert packing is None or not packing.signatures


def test_absent_seal_with_two_signers_queues_labels_per_box(
        app, client, login_as, make_staff, order):
    packer = login_as("packer")
    other = make_staff("packer")
    _pack_all_in_two_boxes(client, order)
    assert _sign(client, order["id"], packer).status_code == 303
    assert _sign(client, order["id"], other).status_code == 303
    resp = client.post(f"/packing/orders/{order['id']}/seal", data={"mode": "absent"})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/sealed")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "data-sealed-box=\"2\"" in page
    with app.app_context():
        assert db.session.get(Order, order["id"]).status == "packed"
        assert _count(PrintJob, PrintJob.document == "box_label") == 2
        assert _count(PrintJob, PrintJob.document == "packing_list") == 2
    assert client.get(f"/packing/orders/{order['id']}").status_code == 303  # sealed: no bench


def _signature_data_url() -> str:
    img = Image.new("RGB", (400, 150), "white")
    ImageDraw.Draw(img).line([(20, 100), (120, 30), (220, 110), (380, 40)], fill="black",
                             width=5)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def test_present_customer_signs_payment_checked_seal_and_signed_slip(
        app, client, login_as, order):
    packer = login_as("packer")
    oid = order["id"]
    client.post(f"/packing/orders/{oid}/mode", data={"mode": "present"})
    _pack_all_in_two_boxes(client, order)
    page = client.get(f"/packing/orders/{oid}").get_data(as_text=True)
    assert "data-signature-pad" in page and 'data-paid-state="paid"' in page
    empty = client.post(f"/packing/orders/{oid}/signature", data={"signature": "data:x"})
    assert empty.status_code == 422
    unnamed = client.post(f"/packing/orders/{oid}/signature",
                          data={"signature": _signature_data_url()})
    assert unnamed.status_code == 409  # the packer confirms the customer's name first
    assert "请先核对客户姓名：是王芳吗？" in unnamed.get_data(as_text=True)
    assert client.post(f"/packing/orders/{oid}/name").status_code == 303
    assert client.post(f"/packing/orders/{oid}/signature",
                       data={"signature": _signature_data_url()}).status_code == 303
    assert _sign(client, oid, packer).status_code == 303
    refused = client.post(f"/packing/orders/{oid}/seal", data={"mode": "present"})
    assert refused.status_code == 409  # payment not checked yet
    assert 'data-step="payment"' in refused.get_data(as_text=True)
    assert client.post(f"/packing/orders/{oid}/payment").status_code == 303
    assert client.post(f"/packing/orders/{oid}/seal",
                       data={"mode": "present"}).status_code == 303
    pdf = client.get(f"/packing/orders/{oid}/signed-slip.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    with app.app_context():
        packing = db.session.scalars(select(Packing)).one()
        assert packing.mode == "present" and packing.name_confirmed
        assert packing.customer_signature and packing.payment_checked_by_id == packer["id"]


def test_signoffs_at_the_bench_wait_until_every_line_is_ticked(app, client, login_as, order):
    """Before: signed at 2/3, the customer's "all my goods are in the boxes" at 0/3."""
    packer = login_as("packer")
    oid = order["id"]
    client.post(f"/packing/orders/{oid}/mode", data={"mode": "present"})
    assert client.post(f"/packing/orders/{oid}/name").status_code == 303  # any time
    nothing = client.post(f"/packing/orders/{oid}/signature",
                          data={"signature": _signature_data_url()})
    assert nothing.status_code == 409
    assert "货还没全部装箱（2 行未点完" in nothing.get_data(as_text=True)
    _scan(client, oid, order["barcodes"][0])
    _scan(client, oid, order["barcodes"][0])  # 2/3
    page = client.get(f"/packing/orders/{oid}").get_data(as_text=True)
    assert 'data-step="count"' in page and "继续点货：还差 1 件，点完再签名。" in page
    assert "data-sign-form" not in page
    for path, data in (("sign", {"staff_no": packer["staff_no"], "pin": packer["pin"]}),
                       ("signature", {"signature": _signature_data_url()}), ("payment", {})):
        resp = client.post(f"/packing/orders/{oid}/{path}", data=data)
        assert resp.status_code == 409, path
        html = resp.get_data(as_text=True)
        assert "data-action-error" in html and "PK-2 0/1" in html
    with app.app_context():
        packing = db.session.scalars(select(Packing)).one()
        assert (packing.signatures, packing.customer_signature, packing.payment_checked_at) == (
            [], None, None)
        assert packing.name_confirmed
    _scan(client, oid, order["barcodes"][1])  # 3/3: the bar asks the counter to sign
    page = client.get(f"/packing/orders/{oid}").get_data(as_text=True)
    assert 'data-step="sign"' in page and "data-sign-form" in page
    assert _sign(client, oid, packer).status_code == 303


@pytest.mark.parametrize("change", ["untick", "new-box"])
def test_a_change_after_signing_voids_the_signoffs_and_asks_to_sign_again(
        app, client, login_as, make_staff, order, change):
    packer = login_as("packer")
    other = make_staff("packer")
    oid = order["id"]
    _pack_all_in_two_boxes(client, order)
    assert _sign(client, oid, packer).status_code == 303
    assert _sign(client, oid, other).status_code == 303
    assert 'data-step="seal"' in client.get(f"/packing/orders/{oid}").get_data(as_text=True)
    with app.app_context():
        box = db.session.scalars(select(PackingBox).order_by(PackingBox.number)).first()
    if change == "untick":
        resp = client.post(f"/packing/orders/{oid}/lines/{order['lines'][0]}/untick",
                           data={"box_id": str(box.id), "reason": "有划痕"}, headers=HX)
        why = "从箱里取出了货品"
    else:
        resp = client.post(f"/packing/orders/{oid}/boxes", headers=HX)
        why = "加了一箱"
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    notice = f"签名已作废（{why}）：全部点完后请重新签名。"
    assert notice in html and "data-signoffs-voided" in html
    assert 'id="action-bar" data-step="' in html and 'id="signoff"' in html  # swapped in
    page = client.get(f"/packing/orders/{oid}").get_data(as_text=True)
    assert notice in page and "data-signer=" not in page
    assert re.search(r"<button[^>]*data-seal\s+disabled", page)
    with app.app_context():
        packing = db.session.scalars(select(Packing)).one()
        assert packing.signatures == [] and packing.signoffs_voided_at is not None
        assert _count(PackingSignature, PackingSignature.voided_at.is_not(None)) == 2
    if change == "untick":
        _scan(client, oid, order["barcodes"][0])
    else:
        client.post(f"/packing/orders/{oid}/boxes/{_last_box(app)}/remove", headers=HX)
    assert _sign(client, oid, packer).status_code == 303
    assert _sign(client, oid, other).status_code == 303
    page = client.get(f"/packing/orders/{oid}").get_data(as_text=True)
    assert "data-signoffs-voided" not in page and 'data-step="seal"' in page
    assert client.post(f"/packing/orders/{oid}/seal", data={"mode": "absent"}).status_code == 303


def _last_box(app: Any) -> int:
    with app.app_context():
        return int(db.session.scalars(select(PackingBox.id).order_by(
            PackingBox.number.desc())).first() or 0)


def test_the_payment_check_needs_the_customer_name(app, client, login_as, order):
    login_as("packer")
    oid = order["id"]
    client.post(f"/packing/orders/{oid}/mode", data={"mode": "present"})
    _pack_all_in_two_boxes(client, order)
    resp = client.post(f"/packing/orders/{oid}/payment")
    assert resp.status_code == 409 and "请先核对客户姓名：是王芳吗？" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Packing)).one().payment_checked_at is None
    # the old form's checkbox still confirms the name along with the check
    assert client.post(f"/packing/orders/{oid}/payment",
                       data={"name_confirmed": "y"}).status_code == 303
    with app.app_context():
        packing = db.session.scalars(select(Packing)).one()
        assert packing.name_confirmed and packing.payment_checked_at is not None


def test_on_account_order_shows_it_but_not_the_debt(app, client, login_as):
    with app.app_context():
        order = _settled((1,), on_account=True)
    login_as("packer")
    client.post(f"/packing/orders/{order['id']}/mode", data={"mode": "present"})
    page = client.get(f"/packing/orders/{order['id']}").get_data(as_text=True)
    assert 'data-paid-state="on_account"' in page
    assert not re.search(r"balance|欠款", page)


def test_orders_not_settled_are_not_packed(app, client, login_as):
    with app.app_context():
        cust = factories.customer()
        waiting = factories.order_with_lines(cust.id, [(factories.product(), 1)])
        db.session.commit()
        oid, barcode = waiting.id, None
    login_as("packer")
    assert client.get(f"/packing/orders/{oid}").status_code == 409
    resp = client.post(f"/packing/orders/{oid}/scan", data={"barcode": barcode or "x"},
                       headers=HX)
    assert resp.status_code == 409
    with app.app_context():
        assert _count(Packing) == 0


@pytest.mark.parametrize("path", ["/packing/", "/packing/orders/{id}"])
def test_clerk_gets_403(client, login_as, order, path):
    login_as("clerk")
    assert client.get(path.format(id=order["id"])).status_code == 403
    assert _scan(client, order["id"], order["barcodes"][0]).status_code == 403


def test_manager_may_pack(client, login_as, order):
    login_as("manager")
    assert client.get(f"/packing/orders/{order['id']}").status_code == 200
