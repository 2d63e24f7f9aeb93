"""Consignor money in a real browser at 1024×768: 李 (a wholesale customer who owes us
1,000.00) left five pieces while absent; two were sold to another customer. The manager's
statement shows 2 sold and the payable 320.00, its PDF downloads; a payout offsets 200.00
of 李's own debt (slip queued, payable 120.00, debt 800.00). The aged list, the company
stock screen and the back-office tiles. Screenshots of each screen."""
from __future__ import annotations

from datetime import timedelta

import factories
import pytest
from browser_helpers import SCREENS, in_view, make_staff_in, sign_in
from playwright.sync_api import expect
from sqlalchemy import select

from showroom.catalog.models import Product
from showroom.clock import now_utc
from showroom.consignment.consignors import make_consignor
from showroom.consignment.intake import IntakeLine, take_in
from showroom.consignment.models import Consignor
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
        li = factories.customer(name="李秀英", phone="13899990001")
        post_entry(li.id, "sale", 100_000, ref="XS-20261101-0009")
        c = make_consignor(li.id, share_bp=8000)
        lst = take_in(c.id, [IntakeLine("古法银手镯", 5, 20_000, 18_000)], present=False)
        product = db.session.get(Product, lst.lines[0].product_id)
        factories.settled_order(factories.customer(name="赵老板").id, [(product, 2)])
        old = take_in(c.id, [IntakeLine("银镶锆石耳钉", 1, 8_000, 7_500)], present=False)
        old.created_at = now_utc() - timedelta(days=120)  # came in four months ago
        factories.product(code="R-925-01", name="925银戒指", wholesale=5_000, stock=2)
        db.session.commit()
        return {"id": c.id, "code": c.code, "customer": li.id, "product": product.code}


def test_statement_and_offset_payout(live_server, new_page):
    w = _world(live_server.app)
    make_staff_in(live_server.app, "manager", staff_no="7001", name="张经理")
    page = new_page(1024, 768)
    base = live_server.url
    sign_in(page, base, "7001", "246810")

    page.goto(f"{base}/consignment/consignors/{w['id']}/statement")
    expect(page.locator("[data-figure=sold-pieces]")).to_contain_text("2")
    expect(page.locator(f"tr[data-sold='{w['product']}']")).to_have_count(1)
    expect(page.locator("#statement-totals [data-figure=payable]")).to_have_text("¥320.00")
    expect(page.locator("#statement-text")).to_contain_text("已售 2 件")
    expect(page.locator(f"tr[data-on-hand='{w['product']}']")).to_contain_text("3")
    _in_view(page, "a[data-download=pdf]")
    _view(page, "consignor-statement")
    with page.expect_download() as dl:
        page.click("a[data-download=pdf]")
    assert dl.value.suggested_filename.endswith(".pdf")

    page.goto(f"{base}/consignment/consignors/{w['id']}/payout")
    expect(page.locator("#payout-payable")).to_have_text("¥320.00")
    expect(page.locator("#payout-debt")).to_have_text("¥1,000.00")
    page.check("input[name=method][value=offset]")
    page.fill("input[name=amount]", "200.00")
    page.fill("input[name=note]", "抵部分欠款")
    _in_view(page, "#payout-button")
    _view(page, "consignor-payout")
    page.click("#payout-button")
    expect(page.locator(".flash.success")).to_contain_text("DF-")
    expect(page.locator("#payout-payable")).to_have_text("¥120.00")
    expect(page.locator("#payout-debt")).to_have_text("¥800.00")
    _view(page, "consignor-payout-done")
    page.fill("input[name=amount]", "500.00")  # more than payable: refused, nothing paid
    page.click("#payout-button")
    expect(page.locator(".flash.error")).to_contain_text("120.00")
    _view(page, "consignor-payout-refused")
    with live_server.app.app_context():
        assert db.session.get(Consignor, w["id"]).balance == 12_000
        assert db.session.get(Customer, w["customer"]).balance == 80_000
        assert db.session.scalars(select(PrintJob.document).where(
            PrintJob.document == "consignor_payout")).all() == ["consignor_payout"]

    page.goto(f"{base}/consignment/consignors/{w['id']}")  # the intake side's page, our panel
    expect(page.locator("#consignor-money [data-figure=payable]")).to_have_text("¥120.00")
    _view(page, "consignor-page-money-panel")
    page.goto(f"{base}/consignment/aged")
    expect(page.locator("#aged-goods tbody tr[data-product]")).to_have_count(1)
    expect(page.locator("#aged-goods")).to_contain_text("银镶锆石耳钉")
    _view(page, "consignor-aged")
    page.goto(f"{base}/reports/stock")
    expect(page.locator("[data-figure=pieces]")).to_have_text("2")
    expect(page.locator("[data-figure=consigned-pieces]")).to_contain_text("4")
    expect(page.locator("tr[data-reorder='R-925-01']")).to_have_count(1)
    _view(page, "company-stock")
    page.goto(f"{base}/catalog/")
    expect(page.locator("a.bo-tile[href='/reports/stock']")).to_have_count(1)
    _view(page, "back-office-hub-stock-tiles")
