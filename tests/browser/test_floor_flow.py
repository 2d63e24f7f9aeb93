"""The whole selling floor in a real browser, as staff would do it, three tablets at once:
reception registers a new customer and assigns a clerk; the clerk scans three products
(one twice), records a wish and submits; the cashier completes the address, settles part
cash (tendered above it) and the rest on account; the change shown is right and the
customer's ledger shows the debt."""
from __future__ import annotations

import re
from typing import Any

import factories
import pytest
from browser_helpers import make_staff_in, shot, sign_in
from playwright.sync_api import expect
from sqlalchemy import select

from showroom.customers.models import Customer, LedgerEntry
from showroom.extensions import db
from showroom.orders.models import Order
from showroom.picking.models import Wish
from showroom.settlement.models import Settlement

pytestmark = pytest.mark.browser
CARE = "避免接触香水、汗水和温泉；不戴时放入密封袋；用擦银布轻擦，勿用牙膏。"


def _catalog(app: Any) -> dict[str, str]:
    with app.app_context():
        a = factories.product(code="SL-0101", name="S925纯银竹节手链", wholesale=12_800, stock=30)
        b = factories.product(code="EH-0202", name="925银镶锆石四叶草耳钉", wholesale=6_800,
                              stock=30, care_note=CARE)
        c = factories.product(code="XL-0303", name="泰银复古莲花项链", wholesale=15_800, stock=30)
        factories.product(code="DZ-0404", name="925银小鹿吊坠", wholesale=9_900, stock=0)
        db.session.commit()
        return {"a": a.barcode or "", "b": b.barcode or "", "c": c.barcode or ""}


def _scan(page: Any, code: str) -> None:
    scan = page.locator("input[data-scan]")
    expect(scan).to_be_focused()
    with page.expect_response(lambda r: r.url.endswith("/scan")) as response:
        page.keyboard.type(code)
        page.keyboard.press("Enter")
    assert response.value.ok
    expect(page.locator("[data-scan-result]")).to_have_attribute("data-scan-result", "ok")
    expect(scan).to_have_value("")


def test_door_to_ledger(live_server: Any, new_page: Any) -> None:
    app, url = live_server.app, live_server.url
    make_staff_in(app, "reception", staff_no="1001", name="周前台")
    make_staff_in(app, "clerk", staff_no="2001", name="李跟单")
    make_staff_in(app, "cashier", staff_no="3001", name="王收银")
    codes = _catalog(app)
    door, floor, desk = new_page(), new_page(), new_page()

    # -- reception: a new customer at the door, a locker, a clerk
    sign_in(door, url, "1001", "246810")
    door.goto(f"{url}/reception/visits/new")
    door.fill("input[name=q]", "13912340000")
    door.press("input[name=q]", "Enter")
    door.wait_for_load_state()
    form = door.locator("form[action$='/visits/register']")
    form.locator("input[name=name]").fill("郑老板")
    form.locator("input[name=phone]").fill("13912340000")
    form.locator("label.rc-choice:has(input[value=wholesale])").click()
    form.locator("input[name=locker_no]").fill("5")
    form.locator("input[name=purpose]").fill("进货")
    shot(door, "flow-1-reception-register")
    form.locator("button[type=submit]").click()
    door.wait_for_load_state()
    expect(door.locator("h1")).to_contain_text("郑老板")

    sign_in(floor, url, "2001", "246810")  # the clerk is waiting on the floor
    floor.wait_for_url("**/picking/")
    door.click("button.rc-clerk:has-text('李跟单')")
    door.wait_for_url("**/reception/")
    expect(door.locator("tr:has-text('郑老板')")).to_contain_text("李跟单")
    shot(door, "flow-2-reception-board")

    # -- clerk: the visit appears by itself; scan, repeat-scan, care note, wish, submit
    expect(floor.locator(".pick-visit")).to_contain_text("郑老板", timeout=9000)
    shot(floor, "flow-3-clerk-customers")
    floor.click(".pick-visit button.pick-go")
    floor.wait_for_url("**/picking/orders/*")
    _scan(floor, codes["a"])
    _scan(floor, codes["b"])
    expect(floor.locator("[data-care-note]")).to_contain_text("擦银布")
    _scan(floor, codes["a"])
    _scan(floor, codes["c"])
    expect(floor.locator("tr[data-code='SL-0101'] [data-qty]")).to_have_text("2")
    expect(floor.locator("[data-lines]")).to_have_text("3")
    expect(floor.locator("[data-total]")).to_have_text("¥482.00")
    floor.click("details#wish summary")
    floor.fill("details#wish input[name=product_code]", "DZ-0404")
    floor.fill("details#wish input[name=qty]", "6")
    shot(floor, "flow-4-clerk-order")
    floor.click("details#wish button[type=submit]")
    expect(floor.locator(".flash.success")).to_be_visible()
    floor.click("button.pick-submit")
    floor.wait_for_url("**/picking/")
    with app.app_context():
        order = db.session.scalars(select(Order)).one()
        number, order_id = order.number, order.id
        assert order.status == "awaiting_settlement"

    # -- cashier: file first, then part cash (tendered above) and the rest on account
    sign_in(desk, url, "3001", "246810")
    desk.goto(f"{url}/cashier/")
    shot(desk, "flow-5-cashier-queue")
    desk.click(f"text={number}")
    desk.fill("#customer-file input[name=address]", "江西省赣州市章贡区文清路12号")
    desk.click("#customer-file button[type=submit]")
    desk.wait_for_selector("#settle-form")
    desk.fill("input[name=cash_amount]", "300.00")
    desk.fill("input[name=cash_tendered]", "320.00")
    desk.click("button[data-rest=on_account]")
    assert desk.input_value("input[name=on_account_amount]") == "182.00"
    expect(desk.locator("#change-callout")).to_be_visible()
    assert re.search(r"¥320\.00.*¥20\.00", desk.locator("#change-callout").inner_text())
    shot(desk, "flow-6-cashier-settle")
    desk.click("#settle-button")
    desk.wait_for_url(f"**/cashier/orders/{order_id}")
    assert re.search(r"¥320\.00.*¥20\.00", desk.locator(".result-change").inner_text())
    shot(desk, "flow-7-cashier-result")

    # -- the ledger shows the debt
    with app.app_context():
        cust = db.session.scalars(select(Customer).where(Customer.name == "郑老板")).one()
        entries = db.session.scalars(select(LedgerEntry).where(LedgerEntry.customer_id == cust.id)
                                     .order_by(LedgerEntry.id)).all()
        assert [(e.kind, e.amount) for e in entries] == [("sale", 48_200), ("payment", -30_000)]
        assert cust.balance == 18_200 == sum(e.amount for e in entries)
        s = db.session.scalars(select(Settlement)).one()
        assert (s.paid, s.on_account, s.change) == (30_000, 18_200, 2_000)
        assert db.session.scalars(select(Wish)).one().qty == 6
        cust_id = cust.id
    desk.goto(f"{url}/customers/{cust_id}")
    expect(desk.locator("#ledger tbody tr")).to_have_count(2)
    assert "¥182.00" in desk.locator("main").inner_text()
    shot(desk, "flow-8-customer-ledger")
