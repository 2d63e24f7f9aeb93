"""Returns and exchanges in a real browser at 1024×768. A cashier scans an item a shipped
wholesale customer sent back: two candidate orders, oldest first, with the packing ticks;
the verdict "exchange allowed: goods differ"; the exchange is made and its slip queued.
Then a self-pickup return is refused by its rule and overridden with a manager's PIN and
reason. Screenshots of each screen, and the exchange slip's PDF rendered to PNG."""
from __future__ import annotations

import json
import subprocess

import aftersales_support as S
import factories
import pytest
from browser_helpers import SCREENS, in_view, make_staff_in, sign_in
from playwright.sync_api import expect
from sqlalchemy import select

from printing.documents import document_from_payload
from printing.pdf import render_pdf
from showroom.aftersales.models import AfterSalesDoc
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
        packer = factories.staff("packer", staff_no="5101", name="张装箱")
        c = factories.customer(name="远方银饰批发", phone="13588881234")
        p = factories.product(code="SL-925-08", barcode="6901234500080", name="925银镶锆石手链",
                              wholesale=12_000, stock=30)
        q = factories.product(code="SL-925-09", barcode="6901234500097", name="925银素圈手链",
                              wholesale=13_500, stock=10)
        r = factories.product(code="EH-925-02", barcode="6901234500202", name="925银耳环 花瓣",
                              wholesale=4_500, stock=10)
        old = S.sold(c.id, [(p, 2)], how="shipped", days_ago=40, packer_id=packer.id)
        new = S.sold(c.id, [(p, 1)], how="shipped", days_ago=5, packer_id=packer.id)
        picked = S.sold(c.id, [(r, 2)], how="self_pickup", days_ago=2)
        db.session.commit()
        return {"c": c.code, "p": p.barcode, "q": q.barcode, "r": r.barcode,
                "old": old.number, "new": new.number, "old_line": S.line_of(old, p).id,
                "picked_line": S.line_of(picked, r).id}


def test_exchange_then_overridden_return(live_server, new_page):
    w = _world(live_server.app)
    make_staff_in(live_server.app, "cashier", staff_no="3101", name="王收银")
    make_staff_in(live_server.app, "manager", staff_no="7001", name="张经理")
    page = new_page(1024, 768)
    base = live_server.url
    sign_in(page, base, "3101", "246810")

    page.click("nav.tabs a[href='/cashier/returns/']")
    page.fill("input[name=q]", w["c"])
    page.press("input[name=q]", "Enter")
    expect(page.locator("table.returns-results tbody tr")).to_have_count(1)
    page.click("table.returns-results a.btn")
    expect(page.locator("#returns-scan")).to_be_focused()
    page.fill("#returns-scan", w["p"])
    page.press("#returns-scan", "Enter")
    rows = page.locator("#candidates tbody tr[data-line]")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_attribute("data-order", w["old"])  # oldest first
    expect(rows.nth(1)).to_have_attribute("data-order", w["new"])
    expect(page.locator(f"tr[data-ticks-for='{w['old_line']}']")).to_contain_text("张装箱")
    _view(page, "returns-candidates")

    page.fill(f"input[name='qty-{w['old_line']}']", "1")
    page.check("input[name=kind][value=exchange]")
    page.check("input[name=reason][value=goods_differ]")
    page.fill("textarea[name=replacements]", w["q"])
    page.click("#check-button")
    verdict = page.locator("#verdict")
    expect(verdict).to_have_attribute("data-allowed", "true")
    expect(verdict).to_have_attribute("data-rule", "remote_exchange")
    expect(verdict).to_contain_text("允许换货")
    _in_view(page, "#confirm-button")
    _view(page, "returns-exchange-allowed")
    page.click("#confirm-button")
    expect(page.locator("#doc-number")).to_contain_text("HH-")
    expect(page.locator("#slip-job")).to_have_attribute("data-status", "queued")
    _view(page, "returns-exchange-done")
    with live_server.app.app_context():
        job = db.session.scalar(select(PrintJob).where(PrintJob.document == "aftersales_exchange"))
        assert job is not None and job.status == "queued"
        pdf = render_pdf(document_from_payload(job.document, json.loads(job.payload)), page="A5")
    SCREENS.mkdir(parents=True, exist_ok=True)
    (SCREENS / "returns-exchange-slip.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile",
                    str(SCREENS / "returns-exchange-slip.pdf"),
                    str(SCREENS / "returns-exchange-slip")], check=True)

    page.click("text=下一件")
    page.fill("#returns-scan", w["r"])
    page.press("#returns-scan", "Enter")
    expect(page.locator("#candidates tbody tr[data-line]")).to_have_count(1)
    page.fill(f"input[name='qty-{w['picked_line']}']", "1")
    page.check("input[name=kind][value=return]")
    page.check("input[name=reason][value=quality]")
    page.check("input[name=quality_confirmed]")
    page.click("#check-button")
    expect(verdict).to_have_attribute("data-allowed", "false")
    expect(verdict).to_have_attribute("data-rule", "wholesale_self_pickup")
    expect(verdict).to_contain_text("自提")
    expect(page.locator("#override")).to_be_visible()
    _in_view(page, "#confirm-button")
    _view(page, "returns-self-pickup-refused")
    page.fill("input[name=manager_staff_no]", "7001")
    page.fill("input[name=manager_pin]", "246810")
    page.fill("input[name=override_reason]", "老客户，电镀脱色，经理特批")
    page.click("#confirm-button")
    expect(page.locator("#override-note")).to_contain_text("张经理")
    expect(page.locator("#override-note")).to_contain_text("老客户，电镀脱色，经理特批")
    expect(page.locator("#doc-number")).to_contain_text("TH-")
    _view(page, "returns-override-done")
    with live_server.app.app_context():
        docs = db.session.scalars(select(AfterSalesDoc).order_by(AfterSalesDoc.id)).all()
        assert [(d.kind, d.allowed, d.rule) for d in docs] == [
            ("exchange", True, "remote_exchange"), ("return", False, "wholesale_self_pickup")]
        assert docs[1].override_reason == "老客户，电镀脱色，经理特批"
