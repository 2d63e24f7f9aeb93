"""A manager sets up a printer in a real browser and sees the document previews; the
station screen shows problems first with a one-tap reprint and the printer's paper status.

Screenshots (Chinese and English): printers screen, add form with an error, printer edit
with its test-page preview, document previews, station screen with problems, job preview.
"""
from __future__ import annotations

import pytest
from browser_helpers import make_staff_in, shot, sign_in
from playwright.sync_api import expect
from sqlalchemy import select

from printing.documents import to_payload
from printing.samples import sample
from showroom.extensions import db
from showroom.printjobs.models import Printer, PrintJob
from showroom.printjobs.services import queue_job

pytestmark = pytest.mark.browser


def _image_width(page, selector: str) -> int:
    page.wait_for_function(
        f"() => {{ const i = document.querySelector({selector!r}); "
        "return i && i.complete && i.naturalWidth > 0; }")
    return int(page.eval_on_selector(selector, "img => img.naturalWidth"))


def test_manager_adds_a_printer_and_sees_previews(live_server, browser_page):
    app, url, page = live_server.app, live_server.url, browser_page
    make_staff_in(app, "manager", staff_no="5101", name="赵经理")
    sign_in(page, url, "5101", "246810")
    page.click(".tabs >> text=后台管理")  # printers are one of the back office's tiles
    page.click(".bo-tile:has-text('打印机')")
    page.wait_for_selector("text=打印机与打印站")
    shot(page, "printers-empty")

    page.click("text=添加打印机")
    page.fill("input[name=name]", "收银小票机")
    page.fill("input[name=station]", "cashier-1")
    page.fill("input[name=connection]", "tcp://192.168.1.50")  # no port: refused
    page.select_option("select[name=paper]", "58")
    page.select_option("select[name=chinese]", "image")
    page.check("input[name=documents][value=sales_slip]")
    page.check("input[name=documents][value=cash_receipt]")
    page.check("input[name=drawer]")
    page.click("form.pj-form button[type=submit]")
    page.wait_for_selector(".field-error")
    assert "tcp needs a host and a port" in page.inner_text(".field-error")
    assert page.input_value("input[name=name]") == "收银小票机"  # what was typed stays
    shot(page, "printer-add-error")
    with app.app_context():
        assert db.session.scalar(select(Printer)) is None

    page.fill("input[name=connection]", "tcp://192.168.1.50:9100")
    page.click("form.pj-form button[type=submit]")
    page.wait_for_selector("tr[data-printer=收银小票机]")
    row = page.inner_text("tr[data-printer=收银小票机]")
    assert "58 mm" in row and "销售单" in row and "tcp://192.168.1.50:9100" in row
    shot(page, "printers-list")

    page.click("tr[data-printer=收银小票机] >> text=编辑")
    assert _image_width(page, "figure.pj-paper img") == 384  # the test page at 58 mm
    shot(page, "printer-edit")

    page.goto(f"{url}/print-jobs/samples?kind=sales_slip")
    assert _image_width(page, "figure.pj-paper img") == 576
    shot(page, "document-previews")
    page.goto(f"{url}/print-jobs/samples?kind=box_label&paper=58&doc_lang=en&lang=en")
    assert _image_width(page, "figure.pj-paper img") == 384
    assert "Document previews" in page.inner_text("h1")
    shot(page, "document-previews-en")

    page.goto(f"{url}/print-jobs/printers?lang=zh_CN")
    page.click("tr[data-printer=收银小票机] >> text=打印测试页")
    page.wait_for_selector(".flash.success")
    assert "cashier-1" in page.url
    with app.app_context():
        job = db.session.scalar(select(PrintJob))
        assert (job.status, job.station) == ("queued", "cashier-1")
    shot(page, "printer-test-page-queued")

    page.goto(f"{url}/print-jobs/printers")
    page.fill("input[name=shipping_notice]", "cashier-1")
    page.click("#routes button[type=submit]")
    page.wait_for_selector(".flash.success")
    assert page.input_value("input[name=shipping_notice]") == "cashier-1"
    shot(page, "printers-routes")
    page.goto(f"{url}/print-jobs/printers?lang=en")
    shot(page, "printers-list-en")


def _station_problems(app) -> dict[str, int]:
    with app.app_context():
        printer = Printer(name="前台小票机", connection="tcp://10.0.0.9:9100", paper_mm=80,
                          chinese="gb18030", station="reception", documents="", cutter=True,
                          drawer=False, enabled=True, status_reply="paper out")
        db.session.add(printer)
        flagged = queue_job("locker_ticket", to_payload(sample("locker_ticket")),
                            station="reception", ref="visit-12")
        flagged.status, flagged.attempts = "needs_attention", 1
        flagged.error = ("connection lost mid-job (Connection reset by peer): check the paper "
                         "and reprint if missing")
        failed = queue_job("cash_receipt", to_payload(sample("cash_receipt")),
                           station="reception", ref="XS-20261122-0007")
        failed.status, failed.error = "failed", "printer refused the job"
        stuck = queue_job("packing_list", to_payload(sample("packing_list")),
                          station="reception", ref="XS-20261122-0009")
        stuck.error = "no printer for packing_list at reception: add one on the printers screen"
        done = queue_job("locker_ticket", to_payload(sample("locker_ticket")),
                         station="reception", ref="visit-11")
        done.status = "printed"
        db.session.commit()
        return {"flagged": flagged.id, "done": done.id}


def test_station_screen_puts_problems_on_top(live_server, browser_page):
    app, url, page = live_server.app, live_server.url, browser_page
    ids = _station_problems(app)
    make_staff_in(app, "reception", staff_no="5201", name="孙前台")
    sign_in(page, url, "5201", "246810")
    page.goto(f"{url}/print-jobs/?station=reception")
    problems = page.locator(".problems .pj-problem")
    expect(problems).to_have_count(3)
    expect(page.locator(".problems .pj-reprint")).to_have_count(2)  # not for the stuck one
    assert "缺纸" in page.inner_text(".pj-printers")
    box = page.locator(".problems").bounding_box()
    recent = page.locator("text=最近的任务").bounding_box()
    assert box and recent and box["y"] < recent["y"]
    button = page.locator(f"[data-job='{ids['flagged']}'] .pj-reprint").bounding_box()
    assert button and button["height"] >= 56  # one big tap
    shot(page, "station-problems")

    page.click(f"[data-job='{ids['flagged']}'] .pj-reprint")
    page.wait_for_selector(".flash.success")
    expect(page.locator(".problems .pj-problem")).to_have_count(2)  # the reprinted one is handled
    page.goto(f"{url}/print-jobs/?station=reception&lang=en")
    assert "Paper out" in page.inner_text(".pj-printers")
    shot(page, "station-problems-en")

    page.goto(f"{url}/print-jobs/{ids['done']}?lang=zh_CN")
    assert _image_width(page, "figure.pj-paper img") == 576
    shot(page, "job-preview")
