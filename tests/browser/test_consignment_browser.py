"""Consignment in a real browser at 1024×768: a manager makes the wholesale customer 李 a
consignor from the back office, takes in five pieces with 李 absent — the list shows 待签字
(sent for signature), the label PDF (rendered to PNG) decodes with zbar to the consignor's
product code on every one of the five labels and carries the consignor code — then a clerk
sells two of them to another customer through the normal floor (reception → picking →
cashier settles); the statement shows the 2 sold on that order and the payable, and a payout
offsets part of 李's own debt (one entry on each ledger); the signed copy comes back.
Screenshots of every consignment screen (the primary action in the first screenful)."""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import factories
import pytest
from browser_helpers import PIN, SCREENS, in_view, make_staff_in, sign_in
from playwright.sync_api import expect
from sqlalchemy import select

from showroom.catalog.models import Product
from showroom.consignment.models import Consignment, Consignor
from showroom.customers.models import Customer
from showroom.customers.services import post_entry
from showroom.extensions import db
from showroom.orders.models import Order, OrderLine

pytestmark = pytest.mark.browser


def _view(page: Any, name: str) -> Path:
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.screenshot(path=str(path))  # the 1024×768 viewport as seen
    return path


def _in_view(page: Any, selector: str) -> None:
    in_view(page, selector)


def _labels(page: Any, url: str, tmp: Path) -> tuple[list[str], str]:
    """The label PDF as the browser gets it, each page rendered and read by zbar."""
    from PIL import Image
    from pyzbar.pyzbar import decode

    resp = page.request.get(url)
    assert resp.ok and resp.headers["content-type"].startswith("application/pdf")
    pdf = tmp / "labels.pdf"
    pdf.write_bytes(resp.body())
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp / "label")], check=True)
    codes = []
    for png in sorted(tmp.glob("label-*.png")):
        with Image.open(png) as image:
            codes += [c.data.decode() for c in decode(image)]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    SCREENS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf),
                    str(SCREENS / "consign-label-pdf")], check=True)
    return codes, text


def test_take_in_five_absent_then_sell_two(live_server: Any, new_page: Any, tmp_path: Path
                                            ) -> None:
    app, url = live_server.app, live_server.url
    make_staff_in(app, "manager", staff_no="7001", name="张经理")
    make_staff_in(app, "reception", staff_no="1001", name="周前台")
    make_staff_in(app, "clerk", staff_no="2001", name="李跟单")
    make_staff_in(app, "cashier", staff_no="3001", name="王收银")
    with app.app_context():
        li = factories.customer(name="李明", phone="13900001111", kind="wholesale")
        buyer = factories.customer(name="郑老板", phone="13912340000", kind="wholesale")
        post_entry(li.id, "sale", 100_000, ref="XS-20261101-0009")  # 李 owes us 1,000.00
        db.session.commit()
        li_id, buyer_id = li.id, buyer.id

    # -- manager: back office → consignment → 李 becomes a consignor
    office = new_page(1024, 768)
    sign_in(office, url, "7001", PIN)
    office.goto(f"{url}/catalog/")
    office.click("#tile-consignment")
    office.wait_for_url("**/consignment/")
    office.fill("#customer-q", "李明")
    office.press("#customer-q", "Enter")
    office.click(f"a[data-customer='{li_id}']")
    expect(office.locator("#consignor-form")).to_be_visible()
    _in_view(office, "#consignor-submit")
    _view(office, "consign-1-new-consignor")
    office.click("#consignor-submit")
    office.wait_for_url("**/consignment/consignors/*")
    code = office.locator("#consignor-code").inner_text().strip()
    assert code.startswith("pf") and code.endswith("李")
    expect(office.locator("#consignor-share")).to_have_text("80%")
    _in_view(office, "#new-intake")
    _view(office, "consign-2-consignor")

    # -- five pieces taken in, 李 absent: the list is sent for signature
    office.click("#new-intake")
    office.wait_for_url("**/intake")
    office.fill("input[name='lines-0-name']", "古法银手镯 足银999")
    office.fill("input[name='lines-0-qty']", "5")
    office.fill("input[name='lines-0-price_wholesale']", "128.00")
    office.fill("input[name='lines-0-price_franchise']", "118.00")
    expect(office.locator("[data-pad-box]")).to_be_hidden()
    _in_view(office, "#intake-submit")
    _view(office, "consign-3-intake-absent")
    office.click("label.cs-radio:has(input[value=present])")  # the pad appears for a present one
    expect(office.locator("[data-pad-box]")).to_be_visible()
    expect(office.locator("canvas[data-signature-pad]")).to_have_attribute("data-ready", "1")
    _view(office, "consign-3b-intake-present-pad")
    office.click("label.cs-radio:has(input[value=absent])")
    expect(office.locator("[data-pad-box]")).to_be_hidden()
    office.click("#add-line")
    expect(office.locator("tr[data-line]")).to_have_count(6)
    office.click("#intake-submit")
    office.wait_for_url("**/consignment/lists/*")
    expect(office.locator("#list-state")).to_have_attribute("data-state", "sent")
    expect(office.locator("#list-waiting")).to_contain_text("待签字")
    expect(office.locator("#list-pieces")).to_have_text("5")
    product_code = office.locator("#list-lines td.cs-pcode").first.inner_text().strip()
    assert product_code == f"{code[:-1]}-001"
    _in_view(office, "#reprint-list")
    _view(office, "consign-4-list-sent")
    with app.app_context():
        k = db.session.scalars(select(Consignment)).one()
        assert k.signature_state == "sent" and k.consignor_present is False
        assert db.session.scalars(select(Consignor)).one().customer_id == li_id
        p = db.session.scalars(select(Product).where(Product.code == product_code)).one()
        assert p.on_hand == 5 and p.barcode == product_code
        list_id = k.id

    # -- the labels: five, each decoding to the product code, with the consignor code
    codes, text = _labels(office, f"{url}/consignment/lists/{list_id}/labels.pdf", tmp_path)
    assert codes == [product_code] * 5
    assert text.count(code) == 5 and "128.00" in text
    list_pdf = office.request.get(f"{url}/consignment/lists/{list_id}/list.pdf")
    (tmp_path / "list.pdf").write_bytes(list_pdf.body())
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(tmp_path / "list.pdf"),
                    str(SCREENS / "consign-list-pdf")], check=True)
    list_text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "list.pdf"), "-"],
                               check=True, capture_output=True, text=True).stdout
    assert "待签字" in list_text and code in list_text and "1111" in list_text
    assert "13900001111" not in list_text  # the phone masked (SPEC §12)

    # -- the floor: reception starts 郑老板's visit and gives him the clerk
    door, floor, desk = new_page(1024, 768), new_page(1024, 768), new_page(1024, 768)
    sign_in(door, url, "1001", PIN)
    door.goto(f"{url}/reception/visits/new?customer_id={buyer_id}")
    form = door.locator("form[method=post][action$='/visits/new']")
    form.locator("input[name=locker_no]").fill("7")
    form.locator("input[name=purpose]").fill("进货")
    form.locator("button[type=submit]").click()
    door.wait_for_load_state()
    expect(door.locator("h1")).to_contain_text("郑老板")
    sign_in(floor, url, "2001", PIN)
    floor.wait_for_url("**/picking/")
    door.click("button.rc-clerk:has-text('李跟单')")
    door.wait_for_url("**/reception/")

    # -- the clerk scans the consigned barcode twice and submits
    expect(floor.locator(".pick-visit")).to_contain_text("郑老板", timeout=9000)
    floor.click(".pick-visit button.pick-go")
    floor.wait_for_url("**/picking/orders/*")
    for _ in range(2):
        scan = floor.locator("input[data-scan]")
        expect(scan).to_be_focused()
        with floor.expect_response(lambda r: r.url.endswith("/scan")) as response:
            floor.keyboard.type(product_code)
            floor.keyboard.press("Enter")
        assert response.value.ok
        expect(floor.locator("[data-scan-result]")).to_have_attribute("data-scan-result", "ok")
        expect(scan).to_have_value("")
    expect(floor.locator(f"tr[data-code='{product_code}'] [data-qty]")).to_have_text("2")
    expect(floor.locator(f"tr[data-code='{product_code}'] [data-consignor-code]")).to_contain_text(code)
    expect(floor.locator("[data-total]")).to_have_text("¥256.00")
    _view(floor, "consign-5-clerk-order")
    floor.click("button.pick-submit")
    floor.wait_for_url("**/picking/")
    with app.app_context():
        order = db.session.scalars(select(Order)).one()
        number, order_id = order.number, order.id

    # -- the cashier settles it in cash
    sign_in(desk, url, "3001", PIN)
    desk.goto(f"{url}/cashier/")
    desk.click(f"text={number}")
    desk.wait_for_selector("#settle-form")
    desk.fill("input[name=cash_amount]", "256.00")
    desk.fill("input[name=cash_tendered]", "300.00")
    desk.click("#settle-button")
    desk.wait_for_url(f"**/cashier/orders/{order_id}")
    _view(desk, "consign-6-cashier-settled")
    with app.app_context():
        order = db.session.get(Order, order_id)
        assert order is not None and order.status != "awaiting_settlement"
        line = db.session.scalars(select(OrderLine).where(OrderLine.order_id == order_id)).one()
        p = db.session.scalars(select(Product).where(Product.code == product_code)).one()
        assert line.product_id == p.id and line.qty == 2 and p.consignor_id is not None
        assert p.on_hand == 3  # five taken in, two sold

    # -- the consignor's page shows three still on the floor; the list of consignors
    office.goto(f"{url}/consignment/consignors/{db_id(app, li_id)}")
    expect(office.locator(f"#consignor-goods tr[data-product='{product_code}']")).to_contain_text("3")
    _view(office, "consign-7-consignor-after-sale")
    office.goto(f"{url}/consignment/?q=李")
    expect(office.locator(f"tr[data-consignor='{code}']")).to_contain_text("3")
    _view(office, "consign-8-consignors")

    # -- the statement: 2 sold on that order, payable 2 × 80 % of 128.00 = 204.80
    office.goto(f"{url}/consignment/consignors/{db_id(app, li_id)}/statement")
    expect(office.locator("[data-figure=sold-pieces]")).to_contain_text("2")
    expect(office.locator(f"tr[data-sold='{product_code}']")).to_contain_text(number)
    expect(office.locator("#statement-totals [data-figure=payable]")).to_have_text("¥204.80")
    expect(office.locator(f"tr[data-on-hand='{product_code}']")).to_contain_text("3")
    _view(office, "consign-8b-statement")

    # -- a payout of 100.00 offsets part of 李's own debt: one entry on each ledger
    office.goto(f"{url}/consignment/consignors/{db_id(app, li_id)}/payout")
    expect(office.locator("#payout-debt")).to_have_text("¥1,000.00")
    office.check("input[name=method][value=offset]")
    office.fill("input[name=amount]", "100.00")
    office.click("#payout-button")
    expect(office.locator(".flash.success")).to_contain_text("DF-")
    expect(office.locator("#payout-payable")).to_have_text("¥104.80")
    expect(office.locator("#payout-debt")).to_have_text("¥900.00")
    _view(office, "consign-8c-payout-offset")
    with app.app_context():
        assert db.session.scalars(select(Consignor)).one().balance == 10_480
        assert db.session.get(Customer, li_id).balance == 90_000
        db.session.rollback()

    # -- the signed copy comes back: signed on the pad, recorded → returned
    office.goto(f"{url}/consignment/lists/{list_id}")
    canvas = office.locator("#returned-form canvas[data-signature-pad]")
    expect(canvas).to_have_attribute("data-ready", "1")
    box = canvas.bounding_box()
    assert box is not None
    office.mouse.move(box["x"] + 30, box["y"] + 60)
    office.mouse.down()
    for i, (dx, dy) in enumerate([(80, 20), (140, 90), (200, 30), (260, 100), (320, 50)]):
        office.mouse.move(box["x"] + dx, box["y"] + dy, steps=6 + i)
    office.mouse.up()
    expect(canvas).to_have_attribute("data-strokes", "1")
    office.locator("#returned-submit").scroll_into_view_if_needed()
    _view(office, "consign-9-returned-pad")
    office.click("#returned-submit")
    expect(office.locator("#list-state")).to_have_attribute("data-state", "returned")
    expect(office.locator("#list-signature")).to_be_visible()
    _view(office, "consign-10-list-returned")
    with app.app_context():
        k = db.session.get(Consignment, list_id)
        assert k is not None and k.signature_state == "returned" and k.signature_id
        db.session.rollback()


def db_id(app: Any, customer_id: int) -> int:
    with app.app_context():
        c = db.session.scalars(select(Consignor).where(Consignor.customer_id == customer_id)).one()
        db.session.rollback()
        return int(c.id)
