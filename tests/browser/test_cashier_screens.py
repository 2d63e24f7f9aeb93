"""The cashier in a real browser: complete the file, split cash + on account, see the change.

Screenshots: the queue, the settle screen with the live change, the result page, the
customer's ledger and the print-jobs screen (plus a sales-slip preview).
"""
from __future__ import annotations

import re

import factories
import pytest
from browser_helpers import make_staff_in, shot, sign_in
from playwright.sync_api import expect

from showroom.extensions import db
from showroom.printjobs.services import queue_job

pytestmark = pytest.mark.browser


def _world(app) -> dict[str, int | str]:
    with app.app_context():
        clerk = factories.staff("clerk", staff_no="2101", name="刘跟单")
        cust = factories.customer(name="周老板", phone="13588889999", address="")
        other = factories.customer(name="吴小姐", phone="13677776666")
        ring = factories.product(code="R-925-01", name="925银戒指 花瓣款", wholesale=25_000, stock=20)
        chain = factories.product(code="N-925-07", name="925银项链 细链", wholesale=3_750, stock=20)
        order = factories.order_with_lines(cust.id, [(ring, 3), (chain, 1)])  # ¥787.50
        second = factories.order_with_lines(other.id, [(chain, 4)])
        order.clerk_id = second.clerk_id = clerk.id
        ticket = queue_job("locker_ticket", {"locker": "17", "customer": {"name": "吴小姐"}},
                           ref="L-17")
        ticket.status, ticket.error = "needs_attention", "paper out"
        db.session.commit()
        return {"order": order.id, "number": order.number, "customer": cust.id}


def test_cashier_completes_file_and_settles_part_cash_rest_on_account(live_server, browser_page,
                                                                     new_page):
    world = _world(live_server.app)
    make_staff_in(live_server.app, "cashier", staff_no="3101", name="王收银")
    page = browser_page
    sign_in(page, live_server.url, "3101", "246810")
    page.goto(f"{live_server.url}/cashier/")
    expect(page.locator("#queue-rows tr")).to_have_count(2)
    shot(page, "cashier-queue")

    page.click(f"text={world['number']}")
    assert page.locator("#customer-file").is_visible()
    expect(page.locator("#settle-form")).to_have_count(0)  # settling waits for the file
    shot(page, "cashier-file-first")
    page.fill("#customer-file input[name=address]", "浙江省义乌市福田路88号")
    page.click("#customer-file button[type=submit]")
    page.wait_for_selector("#settle-form")

    page.fill("input[name=cash_amount]", "587.505")  # three decimals: refused, nothing written
    assert "invalid" in (page.get_attribute("input[name=cash_amount]", "class") or "")
    page.click("#settle-button")
    page.wait_for_selector(".flash.error")
    assert page.locator(".field-error").count() >= 1
    shot(page, "cashier-settle-error")

    page.fill("input[name=cash_amount]", "587.50")
    page.fill("input[name=cash_tendered]", "600.00")
    page.click("button[data-rest=on_account]")
    assert page.input_value("input[name=on_account_amount]") == "200.00"
    callout = page.locator("#change-callout")
    assert callout.is_visible()
    assert re.search(r"¥600\.00.*¥12\.50", callout.inner_text())
    assert "pay-status even" in (page.get_attribute("#pay-status", "class") or "")
    shot(page, "cashier-settle")

    page.click("#settle-button")
    page.wait_for_url(f"**/cashier/orders/{world['order']}")
    result = page.locator(".result-change").inner_text()
    assert re.search(r"¥600\.00.*¥12\.50", result)
    totals = page.locator(".result-totals").inner_text()
    assert "¥787.50" in totals and "¥587.50" in totals and "¥200.00" in totals
    expect(page.locator("table.jobs tbody tr")).to_have_count(2)
    shot(page, "cashier-result")

    page.goto(f"{live_server.url}/customers/?q=周")
    assert "周老板" in page.locator("table.customers").inner_text()
    shot(page, "customers-search")
    page.goto(f"{live_server.url}/customers/{world['customer']}")
    expect(page.locator("#ledger tbody tr")).to_have_count(2)
    shot(page, "customer-ledger")

    make_staff_in(live_server.app, "manager", staff_no="1001", name="赵经理")
    boss = new_page()
    sign_in(boss, live_server.url, "1001", "246810")
    boss.goto(f"{live_server.url}/customers/{world['customer']}")
    boss.locator("details.reverse summary").first.click()
    assert boss.locator("details.reverse[open] input[name=reason]").is_visible()
    shot(boss, "customer-ledger-manager")

    page.goto(f"{live_server.url}/print-jobs/")
    assert "paper out" in page.locator(".problems").inner_text()
    shot(page, "print-jobs")
    page.locator("tr.job", has_text="×3").locator("text=查看").first.click()
    expect(page.locator(".copy-label")).to_have_count(3)  # waits for the preview page to load
    shot(page, "print-preview-sales-slip")
