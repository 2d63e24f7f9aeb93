"""The cashier closes the shift 10.00 short in a real browser and a manager approves with
their PIN; the manager's daily report shows the same figures (payments by method equal to
what was taken). Screenshots at 1024×768: the blind count, the check, the closed shift,
the daily report.
"""
from __future__ import annotations

import factories
import pytest
from browser_helpers import in_view, make_staff_in, shot, sign_in
from desk_support import desk_payment
from playwright.sync_api import expect

from showroom.extensions import db
from showroom.settlement.services import PaymentIn, settle

pytestmark = pytest.mark.browser


def _day(app) -> None:
    with app.app_context():
        from sqlalchemy import select

        from showroom.auth.models import Staff

        cashier = db.session.scalar(select(Staff).where(Staff.staff_no == "3101"))
        cust = factories.customer(name="周老板")
        ring = factories.product(code="R-925-01", name="925银戒指", wholesale=25_000, stock=50)
        o1 = factories.order_with_lines(cust.id, [(ring, 2)])  # 500.00
        settle(o1.id, [PaymentIn("cash", 30_000, tendered=40_000), PaymentIn("wechat", 20_000)],
               cashier_id=cashier.id)
        o2 = factories.order_with_lines(cust.id, [(ring, 1)])  # 250.00
        settle(o2.id, [PaymentIn("alipay", 5_000), PaymentIn("on_account", 20_000)],
               cashier_id=cashier.id)
        desk_payment(cust.id, "cash", 10_000, staff_id=cashier.id, tendered=10_000)
        db.session.commit()


def _primary_in_view(page, selector: str) -> None:
    in_view(page, selector)


def test_cashier_closes_ten_short_and_the_daily_report_agrees(live_server, new_page):
    app = live_server.app
    make_staff_in(app, "cashier", staff_no="3101", name="王收银")
    make_staff_in(app, "manager", staff_no="1001", name="李经理")
    _day(app)
    page = new_page(1024, 768)
    sign_in(page, live_server.url, "3101", "246810")
    page.goto(f"{live_server.url}/cashier/shift/")
    expect(page.locator("#count-form")).to_be_visible()
    assert "¥400.00" not in page.content()  # blind count: no expected cash on the page
    _primary_in_view(page, "#check-button")
    shot(page, "shift-count")

    page.fill("input[name=cash]", "390.00")  # 300 + 100 taken: 10.00 short
    page.fill("input[name=wechat]", "200.00")
    page.fill("input[name=alipay]", "50.00")
    page.click("#check-button")
    expect(page.locator("#cash-difference")).to_contain_text("10.00")
    expect(page.locator("tr[data-method=cash] [data-expected]")).to_have_text("¥400.00")
    _primary_in_view(page, "#close-button")
    shot(page, "shift-check")

    # each refusal is a new page: wait for it, or the next fill lands on the page being left
    # (both refusals mention 密码, so the message alone does not tell them apart)
    with page.expect_navigation():
        page.click("#close-button")  # no manager PIN: refused, nothing closed
    expect(page.locator(".flash.error")).to_be_visible()
    page.fill("input[name=manager_staff_no]", "1001")
    page.fill("input[name=manager_pin]", "135792")  # wrong
    with page.expect_navigation():
        page.click("#close-button")
    expect(page.locator(".flash.error")).to_contain_text("密码")
    page.fill("input[name=manager_staff_no]", "1001")
    page.fill("input[name=manager_pin]", "246810")
    page.click("#close-button")
    page.wait_for_url("**/cashier/shift/closes/*")
    expect(page.locator("#cash-difference")).to_contain_text("-¥10.00")
    expect(page.locator("#cash-difference")).to_contain_text("李经理")
    expect(page.locator("[data-job=shift_report]")).to_have_count(1)
    shot(page, "shift-closed")

    boss = new_page(1024, 768)
    sign_in(boss, live_server.url, "1001", "246810")
    boss.goto(f"{live_server.url}/reports/daily")
    expect(boss.locator("[data-figure=sales_total]")).to_have_text("¥750.00")
    methods = {"cash": "¥400.00", "wechat": "¥200.00", "alipay": "¥50.00",
               "bank_transfer": "¥0.00"}
    for method, amount in methods.items():
        expect(boss.locator(f"#payments-by-method tr[data-method={method}] td.num")) \
            .to_have_text(amount)
    expect(boss.locator("[data-figure=on_account_total]")).to_have_text("¥200.00")
    expect(boss.locator("#daily-shifts tr[data-shift] [data-difference]")).to_have_text("-¥10.00")
    shot(boss, "daily-report")
