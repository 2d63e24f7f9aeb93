"""The clerk's tablet in a real browser: an assigned visit appears, the order is built by
scanning (a repeat scan adds quantity), a care note shows, a wish is recorded, a line
is removed and the order goes to the cashier; then the follow-up lists."""
from __future__ import annotations

from typing import Any

import factories
import pytest
from browser_helpers import make_staff_in, shot, sign_in
from playwright.sync_api import expect
from sqlalchemy import select

from showroom.catalog.models import Product
from showroom.catalog.services import move_stock
from showroom.clock import now_utc
from showroom.extensions import db
from showroom.orders.models import Order
from showroom.picking.models import RestockTask, Wish
from showroom.reception.models import Visit

pytestmark = pytest.mark.browser

CARE = "银饰避免接触香水、海水和温泉；不戴时放入密封袋，发黑用擦银布轻擦。"


def _floor(app: Any, clerk_id: int) -> dict[str, Any]:
    with app.app_context():
        area = factories.area(code="B2", owner_id=clerk_id)
        a = factories.product(code="SB-1001", name="925银素圈手链", wholesale=12800,
                              franchise=11500, stock=20, area_id=area.id)
        b = factories.product(code="SB-2002", name="925银镶锆石耳钉", wholesale=6800,
                              franchise=5900, stock=8, care_note=CARE)
        c = factories.product(code="SB-3003", name="925银锁骨链 45cm", wholesale=15800,
                              franchise=14200, stock=5)
        gone = factories.product(code="SB-4004", name="925银心形吊坠", wholesale=9800,
                                 franchise=8800, stock=0)
        db.session.commit()
        return {"a": a.barcode, "b": b.barcode, "c": c.barcode, "gone": gone.barcode,
                "clerk_id": clerk_id}


def _assign_visit(app: Any, clerk_id: int) -> int:
    with app.app_context():
        cust = factories.customer(name="陈丽华", kind="franchise", phone="13912345678")
        visit = Visit(customer_id=cust.id, status="with_clerk", clerk_id=clerk_id,
                      assigned_at=now_utc(), purpose="补货 手链耳钉", locker_no="12")
        db.session.add(visit)
        db.session.commit()
        return visit.id


def _scan(page: Any, code: str, expect_text: str) -> None:
    scan = page.locator("input[data-scan]")
    expect(scan).to_be_focused()
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(page.locator("[data-scan-result]")).to_contain_text(expect_text)
    expect(scan).to_have_value("")


def test_clerk_builds_an_order_by_scanning(live_server: Any, browser_page: Any) -> None:
    app = live_server.app
    clerk = make_staff_in(app, "clerk", staff_no="2001", name="刘导购")
    codes = _floor(app, clerk["id"])
    page = browser_page
    sign_in(page, live_server.url, "2001", clerk["pin"])
    page.wait_for_url("**/picking/")
    expect(page.locator(".pick-empty")).to_be_visible()

    _assign_visit(app, clerk["id"])  # reception assigns while the clerk watches
    expect(page.locator(".pick-visit")).to_contain_text("陈丽华", timeout=9000)
    shot(page, "picking-customers")

    page.click(".pick-visit button.pick-go")
    page.wait_for_url("**/picking/orders/*")
    _scan(page, codes["a"], "SB-1001")
    _scan(page, codes["c"], "SB-3003")
    _scan(page, codes["a"], "SB-1001")
    row_a = page.locator("tr[data-code='SB-1001']")
    expect(row_a.locator("[data-qty]")).to_have_text("2")
    _scan(page, codes["b"], "SB-2002")
    expect(page.locator("[data-care-note]")).to_contain_text("擦银布")
    expect(page.locator("[data-lines]")).to_have_text("3")
    expect(page.locator("[data-total]")).to_have_text("¥431.00")  # franchise prices
    shot(page, "picking-order")

    _scan(page, codes["gone"], "SB-4004")  # out of stock: refused loudly
    expect(page.locator("[data-scan-result]")).to_have_attribute("data-scan-result", "bad")
    shot(page, "picking-scan-refused")
    page.click("[data-scan-result] a.btn")
    expect(page.locator("details#wish")).to_have_attribute("open", "")
    expect(page.locator("details#wish input[name=product_code]")).to_have_value("SB-4004")
    page.fill("details#wish input[name=qty]", "3")
    # a swap landing now (the call bar's load, a poll) leaves the clerk typing here: it
    # once took the focus back to the scan box, and the rest of a number went there
    page.evaluate("""() => document.body.dispatchEvent(new CustomEvent('htmx:afterSwap',
        {bubbles: true, detail: {target: document.body}}))""")
    expect(page.locator("details#wish input[name=qty]")).to_be_focused()
    shot(page, "picking-wish-form")
    page.click("details#wish button[type=submit]")
    expect(page.locator(".flash.success")).to_be_visible()

    page.click("details#issue summary")
    page.fill("details#issue input[name=product_code]", "SB-1001")
    page.select_option("details#issue select[name=kind]", "missing_label")
    page.fill("details#issue input[name=note]", "吊牌掉了")
    page.click("details#issue button[type=submit]")
    expect(page.locator(".flash.success")).to_be_visible()
    page.click("details#remark summary")
    page.select_option("details#remark select[name=kind]", "suggestion")
    page.fill("details#remark textarea[name=text]", "希望多上一些足金款式")
    page.click("details#remark button[type=submit]")
    expect(page.locator(".flash.success")).to_be_visible()

    page.locator("tr[data-code='SB-3003'] [data-remove]").click()  # 删除 asks first
    page.locator("tr[data-code='SB-3003'] button[data-remove-confirm]").click()
    expect(page.locator("tr[data-code='SB-3003']")).to_have_count(0)
    expect(page.locator("[data-lines]")).to_have_text("2")

    page.click("button.pick-submit")
    page.wait_for_url("**/picking/")
    expect(page.locator(".flash.success")).to_be_visible()
    with app.app_context():
        order = db.session.scalars(select(Order)).one()
        assert (order.status, order.line_count, order.total) == ("awaiting_settlement", 2, 28900)
        wish = db.session.scalars(select(Wish)).one()
        assert (wish.qty, wish.order_id) == (3, order.id)
        assert db.session.scalars(select(RestockTask)).one().qty == 1
        gone = db.session.scalars(select(Product).where(Product.code == "SB-4004")).one()
        move_stock(gone.id, 10, "receipt", ref="RK-TEST")  # the wished goods arrive
        db.session.commit()

    page.click("text=跟进清单")
    page.wait_for_url("**/picking/tasks")
    expect(page.locator("#notify tr[data-wish]")).to_contain_text("陈丽华")
    expect(page.locator("#issues tr[data-issue]")).to_contain_text("吊牌掉了")
    expect(page.locator("#restock tr[data-restock]")).to_contain_text("SB-3003")
    shot(page, "picking-tasks")
    page.locator("#notify tr[data-wish] button").click()
    expect(page.locator("#notify tr[data-wish]")).to_have_count(0)
    page.locator("#restock tr[data-restock] button").click()
    expect(page.locator("#restock tr[data-restock]")).to_have_count(0)
