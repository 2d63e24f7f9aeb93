"""The money desk in a real browser at 1024×768: a K-customer owing 8,530.00 pays 5,000.00
cash with 5,100.00 tendered (收您 ¥5,100.00，找您 ¥100.00, receipt queued, 3,530.00 left); a
refund of credit is refused without the manager's PIN and done with it; on account beyond a
1,000.00 limit is refused, then allowed with a manager's PIN. Screenshots of each screen."""
from __future__ import annotations

import factories
import pytest
from browser_helpers import SCREENS, in_view, make_staff_in, sign_in
from playwright.sync_api import expect
from sqlalchemy import select

from showroom.customers.models import Customer
from showroom.customers.services import post_entry
from showroom.extensions import db
from showroom.printjobs.models import PrintJob

pytestmark = pytest.mark.browser


def _view(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"))  # the 1024×768 viewport as seen


def _in_view(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    in_view(page, selector)


def _world(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        owing = factories.customer(name="周老板", phone="13588889999")
        post_entry(owing.id, "sale", 853_000, ref="XS-20261101-0001")
        held = factories.customer(name="吴小姐", phone="13677776666")
        post_entry(held.id, "payment", -50_000, ref="PREPAY")
        limited = factories.customer(name="郑老板", phone="13766665555")
        post_entry(limited.id, "sale", 80_000, ref="XS-20261101-0002")
        limited.credit_limit = 100_000
        ring = factories.product(code="R-925-01", name="925银戒指 花瓣款", wholesale=50_000, stock=20)
        order = factories.order_with_lines(limited.id, [(ring, 1)])
        db.session.commit()
        return {"owing": owing.id, "code": owing.code, "held": held.id, "order": order.id}


def test_money_desk(live_server, new_page):
    world = _world(live_server.app)
    make_staff_in(live_server.app, "cashier", staff_no="3101", name="王收银")
    make_staff_in(live_server.app, "manager", staff_no="7001", name="张经理")
    page = new_page(1024, 768)
    base = live_server.url
    sign_in(page, base, "3101", "246810")

    page.goto(f"{base}/cashier/desk/?q={world['code']}")
    expect(page.locator("table.desk-results tbody tr")).to_have_count(1)
    _view(page, "money-desk-search")
    page.click("table.desk-results a.btn")
    expect(page.locator("#desk-balance")).to_contain_text("8,530.00")
    _in_view(page, "#desk-pay-button")
    page.fill("input[name=amount]", "5000.00")
    page.fill("input[name=tendered]", "5100.00")
    expect(page.locator("#desk-change")).to_contain_text("找您")
    _view(page, "money-desk-customer")
    page.click("#desk-pay-button")
    expect(page.locator("#change-callout")).to_have_text("收您 ¥5,100.00，找您 ¥100.00")
    expect(page.locator("#balance-after")).to_have_text("¥3,530.00")
    _view(page, "money-desk-payment")
    with live_server.app.app_context():
        assert db.session.scalars(select(PrintJob.document)).all() == ["desk_receipt"]
        assert db.session.get(Customer, world["owing"]).balance == 353_000

    page.goto(f"{base}/cashier/desk/customers/{world['held']}")
    page.click("#refund summary")
    page.fill("#desk-refund-form input[name=amount]", "300")
    page.fill("#desk-refund-form input[name=reason]", "客户要回余款")
    page.click("#desk-refund-button")
    expect(page.locator(".flash.error")).to_contain_text("主管")
    _view(page, "money-desk-refund-refused")
    page.fill("#desk-refund-form input[name=amount]", "300")
    page.fill("#desk-refund-form input[name=reason]", "客户要回余款")
    page.fill("#desk-refund-form input[name=manager_staff_no]", "7001")
    page.fill("#desk-refund-form input[name=manager_pin]", "246810")
    page.click("#desk-refund-button")
    expect(page.locator(".flash.success")).to_contain_text("TK-")
    expect(page.locator("#desk-balance")).to_contain_text("200.00")
    _view(page, "money-desk-refunded")

    page.goto(f"{base}/cashier/orders/{world['order']}")
    expect(page.locator("#credit-box")).to_have_attribute("data-over", "yes")
    page.fill("input[name=on_account_amount]", "500.00")
    page.click("#settle-button")
    expect(page.locator(".flash.error")).to_contain_text("¥300.00")
    _view(page, "settle-credit-limit-refused")
    page.fill("input[name=on_account_amount]", "500.00")
    page.fill("input[name=manager_staff_no]", "7001")
    page.fill("input[name=manager_pin]", "246810")
    page.fill("input[name=override_reason]", "老客户，月底结清")
    page.click("#settle-button")
    expect(page.locator("[data-order-status]")).to_have_attribute("data-order-status", "settled")
    _view(page, "settle-credit-limit-allowed")

    manager = new_page(1024, 768)
    sign_in(manager, base, "7001", "246810")
    manager.goto(f"{base}/cashier/desk/ageing")
    expect(manager.locator("table.ageing tbody tr")).to_have_count(2)
    _view(manager, "money-desk-ageing")
