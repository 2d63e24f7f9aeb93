"""A manager in a real browser: the customer statement (download the PDF, a wrong period,
queue it) and the product tag screen (search, counts, a refused count, queue).

Screenshots: statement form, statement error, statement queued, labels search,
labels refused, labels queued; the downloaded PDF is rendered to PNG beside them.
"""
from __future__ import annotations

import calendar
import subprocess
from datetime import timedelta

import factories
import pytest
from browser_helpers import SCREENS, make_staff_in, shot, sign_in
from playwright.sync_api import expect
from sqlalchemy import select

from showroom.clock import local, now_utc
from showroom.customers.services import post_entry
from showroom.extensions import db
from showroom.printjobs.models import PrintJob

pytestmark = pytest.mark.browser


def _world(app) -> dict[str, object]:
    with app.app_context():
        cust = factories.customer(name="周老板银饰", phone="13588889999")
        post_entry(cust.id, "sale", 78_750, ref="XS-TEST-0001")
        post_entry(cust.id, "payment", -58_750, ref="XS-TEST-0001", note="cash")
        factories.product(code="R-925-01", name="925银戒指 花瓣款", wholesale=25_000)
        factories.product(code="N-925-07", name="925银项链 细链", wholesale=3_750)
        db.session.commit()
        today = local(now_utc(), app.config["SHOWROOM_TIMEZONE"]).date()
        return {"id": cust.id, "code": cust.code, "today": today}


def _jobs(app, document: str) -> list[tuple[str, int]]:
    with app.app_context():
        return [(j.ref, j.copies) for j in db.session.scalars(
            select(PrintJob).where(PrintJob.document == document).order_by(PrintJob.id))]


def test_manager_downloads_and_queues_a_statement(live_server, browser_page):
    world = _world(live_server.app)
    make_staff_in(live_server.app, "manager", staff_no="5101", name="陈经理")
    page = browser_page
    sign_in(page, live_server.url, "5101", "246810")
    page.goto(f"{live_server.url}/customers/{world['id']}")
    today = world["today"]
    last_day = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    assert page.input_value("#statement input[name=from]") == today.replace(day=1).isoformat()
    assert page.input_value("#statement input[name=to]") == last_day.isoformat()
    shot(page, "statement-form")

    with page.expect_download() as info:
        page.click("#statement button:has-text('下载 PDF')")
    download = info.value
    month = today.strftime("%Y-%m")
    assert download.suggested_filename == f"对账单-{world['code']}-{month}.pdf"
    pdf = SCREENS / "statement-download.pdf"
    SCREENS.mkdir(parents=True, exist_ok=True)
    download.save_as(str(pdf))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "周老板银饰" in text and "200.00" in text and "135****9999" in text
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(pdf),
                    str(SCREENS / "statement-download")], check=True)

    later = (today + timedelta(days=3)).isoformat()
    page.fill("#statement input[name=from]", later)
    page.fill("#statement input[name=to]", today.isoformat())
    page.click("#statement button:has-text('打印')")
    page.wait_for_selector(".flash.error")
    assert "结束日期早于开始日期" in page.locator(".flash.error").inner_text()
    assert page.input_value("#statement input[name=from]") == later  # what was typed stays
    assert _jobs(live_server.app, "customer_statement") == []
    shot(page, "statement-error")

    page.fill("#statement input[name=from]", today.replace(day=1).isoformat())
    page.fill("#statement input[name=to]", last_day.isoformat())
    page.click("#statement button:has-text('打印')")
    page.wait_for_selector(".flash.success")
    assert "已加入打印队列" in page.locator(".flash.success").inner_text()
    assert _jobs(live_server.app, "customer_statement") == [(f"{world['code']} {month}", 1)]
    shot(page, "statement-queued")


def test_manager_prints_product_tags(live_server, browser_page):
    _world(live_server.app)
    make_staff_in(live_server.app, "manager", staff_no="5102", name="陈经理")
    page = browser_page
    sign_in(page, live_server.url, "5102", "246810")
    page.click("nav.tabs a:has-text('后台管理')")  # labels are one of the back office's tiles
    page.click(".bo-tile:has-text('商品吊牌')")
    page.fill("input[name=q]", "925")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("tr.label-row")
    expect(page.locator("tr.label-row")).to_have_count(2)
    page.fill("tr[data-code='R-925-01'] input[name=copies]", "12")
    shot(page, "labels-search")

    # a blank form: the server names the problem, nothing is queued
    page.fill("tr[data-code='R-925-01'] input[name=copies]", "")
    page.click("button:has-text('打印吊牌')")
    page.wait_for_selector(".flash.error")
    assert "请填写要打印的吊牌数" in page.content()
    assert _jobs(live_server.app, "product_label") == []
    shot(page, "labels-refused")

    page.fill("tr[data-code='R-925-01'] input[name=copies]", "12")
    page.fill("tr[data-code='N-925-07'] input[name=copies]", "3")
    page.click("button:has-text('打印吊牌')")
    page.wait_for_selector(".flash.success")
    assert "共 15 张吊牌" in page.locator(".flash.success").inner_text()
    assert _jobs(live_server.app, "product_label") == [("R-925-01", 12), ("N-925-07", 3)]
    shot(page, "labels-queued")


def test_cashier_sees_the_statement_but_not_the_tags(live_server, browser_page):
    world = _world(live_server.app)
    make_staff_in(live_server.app, "cashier", staff_no="5103", name="王收银")
    page = browser_page
    sign_in(page, live_server.url, "5103", "246810")
    page.goto(f"{live_server.url}/customers/{world['id']}")
    assert page.locator("#statement").is_visible()
    expect(page.locator("nav.tabs a:has-text('后台管理')")).to_have_count(0)
