"""Packing through the API (API.md): the checklist, scans into boxes, 409 past the
quantity, sign-offs, sealing refused with 409 and nothing changed, cross-outs once."""
from __future__ import annotations

import uuid
from typing import Any

import factories
import pytest
from api_support import API, assert_problem, snapshot
from sqlalchemy import func, select

from showroom.auth.models import LoginAttempt
from showroom.customers.models import LedgerEntry
from showroom.extensions import db
from showroom.printjobs.models import PrintJob
from showroom.settlement.models import ReturnSlip


@pytest.fixture
def world(app: Any) -> dict[str, Any]:
    with app.app_context():
        cust = factories.customer(name="周杰")
        prods = [factories.product(stock=30) for _ in range(5)]
        order = factories.settled_order(cust.id, [(p, q) for p, q in zip(prods, (1, 2, 1, 3, 1),
                                                                          strict=True)])
        awaiting = factories.order_with_lines(cust.id, [(prods[0], 1)])
        stranger = factories.product(stock=3)
        for no, pin in (("7101", "314159"), ("7102", "271828")):
            factories.staff("packer", staff_no=no, pin=pin)
        factories.staff("manager", staff_no="7109", pin="975310")
        db.session.commit()
        return {"order": order.id, "number": order.number, "awaiting": awaiting.id,
                "customer": cust.id, "barcodes": [p.barcode for p in prods],
                "stranger": stranger.barcode}


def url(order_id: int, tail: str = "") -> str:
    return f"{API}/orders/{order_id}/packing{tail}"


def scan(client: Any, headers: dict[str, str], order_id: int, barcode: str,
         box_id: int | None = None) -> Any:
    body: dict[str, Any] = {"barcode": barcode}
    if box_id:
        body["box_id"] = box_id
    return client.post(url(order_id, "/scan"), headers=headers, json=body)


def pack_into_two_boxes(client: Any, h: dict[str, str], w: dict[str, Any]) -> dict[str, Any]:
    for code in w["barcodes"][:3]:
        assert scan(client, h, w["order"], code).status_code == 200
    scan(client, h, w["order"], w["barcodes"][1])
    assert client.post(url(w["order"], "/boxes"), headers=h).status_code == 201
    for code in w["barcodes"][3:] + [w["barcodes"][3], w["barcodes"][3]]:
        resp = scan(client, h, w["order"], code)
        assert resp.status_code == 200, resp.get_data(as_text=True)
    return dict(resp.get_json())


def test_checklist_shape_and_scans_into_boxes(app: Any, client: Any, api_headers: Any,
                                              world: dict[str, Any]) -> None:
    h = api_headers("packer")
    body = client.get(url(world["order"]), headers=h).get_json()
    assert (body["mode"], body["boxes"], body["signatures"], body["packing_status"]) == (
        None, [], [], "not_started")
    assert [(ln["barcode"], ln["qty"], ln["packed_qty"]) for ln in body["lines"]] == [
        (b, q, 0) for b, q in zip(world["barcodes"], (1, 2, 1, 3, 1), strict=True)]
    body = pack_into_two_boxes(client, h, world)
    assert [(b["number"], b["of"], b["units"]) for b in body["boxes"]] == [(1, 2, 4), (2, 2, 4)]
    assert all(ln["packed_qty"] == ln["qty"] for ln in body["lines"])
    assert body["packed"] == body["to_pack"] == 8
    first_box = body["boxes"][0]
    assert sum(i["qty"] for i in first_box["items"]) == 4


def test_over_scan_and_wrong_product_are_409_and_change_nothing(
        app: Any, client: Any, api_headers: Any, world: dict[str, Any]) -> None:
    h = api_headers("packer")
    assert scan(client, h, world["order"], world["barcodes"][0]).status_code == 200
    before = snapshot(app)
    body = assert_problem(scan(client, h, world["order"], world["barcodes"][0]), 409)
    assert body["type"].endswith("over-scan")
    body = assert_problem(scan(client, h, world["order"], world["stranger"]), 409)
    assert body["type"].endswith("not-on-order")
    assert_problem(client.post(url(world["order"], "/scan"), headers=h, json={"barcode": ""}), 422)
    assert snapshot(app) == before


def test_a_retried_scan_with_the_same_key_ticks_once(app: Any, client: Any, api_headers: Any,
                                                     world: dict[str, Any]) -> None:
    h = api_headers("packer") | {"Idempotency-Key": str(uuid.uuid4())}
    first = scan(client, h, world["order"], world["barcodes"][1])
    second = scan(client, h, world["order"], world["barcodes"][1])
    assert first.get_data() == second.get_data()
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert second.get_json()["lines"][1]["packed_qty"] == 1


def sign(client: Any, h: dict[str, str], order_id: int, no: str, pin: str) -> Any:
    return client.post(url(order_id, "/sign"), headers=h, json={"staff_no": no, "pin": pin})


@pytest.mark.parametrize("case", ["one_signer", "before_settlement", "line_short"])
def test_seal_refused_with_409_and_nothing_changes(app: Any, client: Any, api_headers: Any,
                                                   world: dict[str, Any], case: str) -> None:
    h = api_headers("packer")
    order_id = world["order"]
    if case == "before_settlement":
        order_id = world["awaiting"]
    else:
        pack_into_two_boxes(client, h, world)
        assert sign(client, h, order_id, "7101", "314159").status_code == 200
    if case == "line_short":  # both signed, then a unit out: voided, and no signing at 7/8
        assert sign(client, h, order_id, "7102", "271828").status_code == 200
        body = client.get(url(order_id), headers=h).get_json()
        box = body["boxes"][1]
        resp = client.post(url(order_id, "/untick"), headers=h,
                           json={"line_id": box["items"][0]["line_id"], "box_id": box["id"]})
        assert resp.status_code == 200, resp.get_data(as_text=True)
        assert (resp.get_json()["signatures"], resp.get_json()["signoffs_voided"]) == (
            [], "untick")
        refused = assert_problem(sign(client, h, order_id, "7102", "271828"), 409)
        assert refused["type"].endswith("signoff-refused")
    before = snapshot(app)
    body = assert_problem(client.post(url(order_id, "/seal"), headers=h,
                                      json={"mode": "absent"}), 409)
    assert body["type"].endswith("seal-refused")
    reason = {"one_signer": "two different staff", "before_settlement": "not settled",
              "line_short": "not fully ticked"}[case]
    assert reason in body["detail"]
    assert snapshot(app) == before


def test_absent_seal_with_two_signers_packs_and_queues_labels(
        app: Any, client: Any, api_headers: Any, world: dict[str, Any]) -> None:
    h = api_headers("packer", station="pack-2")
    pack_into_two_boxes(client, h, world)
    assert_problem(sign(client, h, world["order"], "7101", "000000"), 401)
    for no, pin in (("7101", "314159"), ("7101", "314159"), ("7102", "271828")):
        assert sign(client, h, world["order"], no, pin).status_code == 200
    resp = client.post(url(world["order"], "/seal"), headers=h, json={"mode": "absent"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    assert (body["status"], body["mode"], body["signatures"]) == ("packed", "absent",
                                                                  ["7101", "7102"])
    with app.app_context():
        jobs = db.session.execute(select(PrintJob.document, PrintJob.station, PrintJob.ref)
                                  .where(PrintJob.order_id == world["order"],
                                         PrintJob.document == "box_label")
                                  .order_by(PrintJob.id)).all()
        assert [tuple(j) for j in jobs] == [("box_label", "pack-2", f"{world['number']}-1"),
                                            ("box_label", "pack-2", f"{world['number']}-2")]
        assert db.session.scalar(select(func.count(LoginAttempt.id)).where(
            LoginAttempt.staff_no == "7101", LoginAttempt.success.is_(False))) == 1
    assert_problem(client.post(url(world["order"], "/seal"), headers=h, json={"mode": "absent"}),
                   409)


def test_present_mode_over_the_api(app: Any, client: Any, api_headers: Any,
                                   world: dict[str, Any]) -> None:
    import base64

    h = api_headers("packer")
    pack_into_two_boxes(client, h, world)
    assert_problem(client.post(url(world["order"], "/customer-signature"), headers=h,
                               json={"png_base64": "not base64!"}), 422, "png_base64")
    with app.app_context():
        png = base64.b64encode(factories.signature_png()).decode()
    body = {"png_base64": f"data:image/png;base64,{png}"}
    unnamed = assert_problem(client.post(url(world["order"], "/customer-signature"), headers=h,
                                         json=body), 409)
    assert unnamed["type"].endswith("name-not-confirmed")
    resp = client.post(url(world["order"], "/customer-signature"), headers=h,
                       json=body | {"name_confirmed": True})
    assert resp.get_json()["customer_signed"] is True and resp.get_json()["name_confirmed"]
    resp = client.post(url(world["order"], "/payment-check"), headers=h, json={})
    assert resp.get_json()["payment_checked"] is True
    sign(client, h, world["order"], "7101", "314159")
    resp = client.post(url(world["order"], "/seal"), headers=h, json={"mode": "present"})
    assert resp.status_code == 200 and resp.get_json()["mode"] == "present"


def test_signoffs_over_the_api_wait_for_every_line_and_a_change_voids_them(
        app: Any, client: Any, api_headers: Any, world: dict[str, Any]) -> None:
    import base64

    h = api_headers("packer")
    with app.app_context():
        png = base64.b64encode(factories.signature_png()).decode()
    early = assert_problem(client.post(url(world["order"], "/customer-signature"), headers=h,
                                       json={"png_base64": png, "name_confirmed": True}), 409)
    assert early["type"].endswith("signoff-refused")  # at 0/8
    body = pack_into_two_boxes(client, h, world)
    box = body["boxes"][1]
    resp = client.post(url(world["order"], "/untick"), headers=h,
                       json={"line_id": box["items"][0]["line_id"], "box_id": box["id"]})
    assert (resp.get_json()["packed"], resp.get_json()["signoffs_voided"]) == (7, None)
    before = snapshot(app)
    assert_problem(sign(client, h, world["order"], "7101", "314159"), 409)  # at 7/8
    assert_problem(client.post(url(world["order"], "/payment-check"), headers=h,
                               json={"name_confirmed": True}), 409)
    assert snapshot(app) == before
    body = scan(client, h, world["order"], world["barcodes"][3]).get_json()
    assert (body["packed"], body["to_pack"]) == (8, 8)
    for no, pin in (("7101", "314159"), ("7102", "271828")):
        assert sign(client, h, world["order"], no, pin).status_code == 200
    resp = client.post(url(world["order"], "/boxes"), headers=h)
    assert resp.status_code == 201
    assert (resp.get_json()["signatures"], resp.get_json()["signoffs_voided"]) == (
        [], "box-added")
    refused = assert_problem(client.post(url(world["order"], "/seal"), headers=h,
                                         json={"mode": "absent"}), 409)
    assert "two different staff" in refused["detail"]
    box = resp.get_json()["boxes"][-1]
    resp = client.delete(url(world["order"], f"/boxes/{box['id']}"), headers=h)
    assert resp.get_json()["signoffs_voided"] == "box-added"  # nothing stood to void again
    for no, pin in (("7101", "314159"), ("7102", "271828")):
        resp = sign(client, h, world["order"], no, pin)
    assert (resp.get_json()["signatures"], resp.get_json()["signoffs_voided"]) == (
        ["7101", "7102"], None)
    resp = client.post(url(world["order"], "/seal"), headers=h, json={"mode": "absent"})
    assert resp.status_code == 200 and resp.get_json()["status"] == "packed"


def test_cross_out_twice_with_one_key_credits_and_restocks_once(
        app: Any, client: Any, api_headers: Any, world: dict[str, Any]) -> None:
    h = api_headers("packer") | {"Idempotency-Key": str(uuid.uuid4())}
    line_id = client.get(url(world["order"]), headers=h).get_json()["lines"][3]["line_id"]
    body = {"lines": [{"line_id": line_id, "qty": 2}], "customer_agreed": True,
            "manager_staff_no": "7109", "manager_pin": "975310", "reason": "客户不要了"}
    before = snapshot(app)
    first = client.post(url(world["order"], "/cross-outs"), headers=h, json=body)
    assert first.status_code == 201, first.get_data(as_text=True)
    after = snapshot(app)
    second = client.post(url(world["order"], "/cross-outs"), headers=h, json=body)
    assert (second.status_code, second.get_data()) == (201, first.get_data())
    assert snapshot(app) == after
    code = next(c for c in before["stock"] if after["stock"][c] != before["stock"][c])
    assert after["stock"][code] == before["stock"][code] + 2
    assert after["balances"][world["customer"]] < before["balances"][world["customer"]]
    packing = first.get_json()["packing"]
    assert (packing["lines"][3]["qty"], packing["lines"][3]["crossed_qty"]) == (1, 2)
    with app.app_context():
        assert db.session.scalar(select(func.count(ReturnSlip.id))) == 1
        assert db.session.scalar(select(func.count(LedgerEntry.id)).where(
            LedgerEntry.kind == "return_credit")) == 1


def test_cross_out_with_a_wrong_manager_pin_writes_nothing_but_the_attempt(
        app: Any, client: Any, api_headers: Any, world: dict[str, Any]) -> None:
    h = api_headers("packer") | {"Idempotency-Key": str(uuid.uuid4())}
    line_id = client.get(url(world["order"]), headers=h).get_json()["lines"][0]["line_id"]
    body = {"lines": [{"line_id": line_id, "qty": 1}], "customer_agreed": True,
            "manager_staff_no": "7109", "manager_pin": "000000"}
    before = snapshot(app)
    assert_problem(client.post(url(world["order"], "/cross-outs"), headers=h, json=body), 401)
    after = snapshot(app)
    assert after["counts"]["login_attempts"] == before["counts"]["login_attempts"] + 1
    after["counts"]["login_attempts"] -= 1
    assert after == before
    # the key was not used up by the refusal: the right PIN with the same key works
    body["manager_pin"] = "975310"
    assert client.post(url(world["order"], "/cross-outs"), headers=h, json=body).status_code == 201
    body["customer_agreed"] = False
    h["Idempotency-Key"] = str(uuid.uuid4())
    assert_problem(client.post(url(world["order"], "/cross-outs"), headers=h, json=body), 422,
                   "customer_agreed")


def test_packing_is_for_packers(client: Any, api_headers: Any, world: dict[str, Any]) -> None:
    assert_problem(client.get(url(world["order"]), headers=api_headers("clerk")), 403)
    assert_problem(scan(client, api_headers("cashier"), world["order"], world["barcodes"][0]), 403)


def test_minimal_scan_answer_carries_only_the_ticked_line(client: Any, api_headers: Any,
                                                          world: dict[str, Any]) -> None:
    h = api_headers("packer") | {"Prefer": "return=minimal"}
    resp = scan(client, h, world["order"], world["barcodes"][3])
    assert resp.headers["Preference-Applied"] == "return=minimal"
    body = resp.get_json()
    assert [(ln["barcode"], ln["packed_qty"], ln["qty"]) for ln in body["lines"]] == [
        (world["barcodes"][3], 1, 3)]
    assert [(b["number"], b["of"], b["units"]) for b in body["boxes"]] == [(1, 1, 1)]
    assert (body["packed"], body["to_pack"]) == (1, 8)


def test_five_wrong_manager_pins_lock_the_number_even_for_the_right_pin(
        client: Any, api_headers: Any, world: dict[str, Any]) -> None:
    h = api_headers("packer")
    line_id = client.get(url(world["order"]), headers=h).get_json()["lines"][0]["line_id"]
    body = {"lines": [{"line_id": line_id, "qty": 1}], "customer_agreed": True,
            "manager_staff_no": "7109", "manager_pin": "000000"}
    codes = [client.post(url(world["order"], "/cross-outs"), headers=h, json=body).status_code
             for _ in range(6)]
    assert codes == [401, 401, 401, 401, 423, 423]
    body["manager_pin"] = "975310"
    assert_problem(client.post(url(world["order"], "/cross-outs"), headers=h, json=body), 423)
    assert_problem(sign(client, h, world["order"], "7109", "975310"), 423)


def test_a_pad_image_that_would_decompress_huge_is_refused(
        client: Any, api_headers: Any, world: dict[str, Any]) -> None:
    import base64
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (15000, 15000), 1).save(buf, "PNG")
    body = {"png_base64": base64.b64encode(buf.getvalue()).decode()}
    assert_problem(client.post(url(world["order"], "/customer-signature"),
                               headers=api_headers("packer"), json=body), 422)


def test_ids_beyond_the_database_range_are_404_not_500(client: Any, login_as: Any) -> None:
    login_as("manager")
    for path in ("/packing/orders/99999999999999999999", "/shipping/orders/99999999999999999999",
                 "/shipping/shipments/99999999999999999999",
                 "/reception/visits/99999999999999999999/see-off"):
        assert client.get(path).status_code == 404, path
