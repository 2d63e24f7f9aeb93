"""A manager's back office in a real browser (1024×768, the tablet the manager carries):
add a product, print its tag (a label job queued, the tag PDF answers), receive 20 by
scanning, and the customer who wished for it appears as "arrived — notify"; notify
records it. Then staff: add someone, edit roles; and the CSV import with a bad row.

Every new screen is photographed at 1024×768 and its primary action is checked to be
visible without scrolling.
"""
from __future__ import annotations

import factories
import pytest
from browser_helpers import SCREENS, make_staff_in, shot, sign_in
from playwright.sync_api import expect
from sqlalchemy import select

from showroom.auth.models import Staff
from showroom.catalog.models import Product
from showroom.extensions import db
from showroom.picking.models import Wish
from showroom.picking.services import record_wish
from showroom.printjobs.models import PrintJob

pytestmark = pytest.mark.browser
W, H = 1024, 768


def _above_the_fold(page, selector: str) -> None:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    assert box["y"] >= 0 and box["y"] + box["height"] <= H, (selector, box)
    assert box["x"] + box["width"] <= W, (selector, box)


def _world(app):
    with app.app_context():
        factories.area(code="A1")
        cust = factories.customer(name="周老板银饰")
        clerk = factories.staff("clerk", staff_no="5202", name="跟单小王")
        db.session.commit()
        return {"customer": cust.id, "clerk": clerk.id}


def test_add_product_tag_receive_by_scanning_and_notify(live_server, new_page):
    app = live_server.app
    world = _world(app)
    make_staff_in(app, "manager", staff_no="5201", name="陈经理")
    page = new_page(W, H)
    sign_in(page, live_server.url, "5201", "246810")

    page.click("nav.tabs >> text=后台管理")
    expect(page.locator("h1")).to_have_text("后台管理")
    shot(page, "backoffice-home")

    # add a product
    page.click(".bo-tile:has-text('新商品')")
    expect(page.locator("h1")).to_have_text("新商品")
    _above_the_fold(page, "button:has-text('添加商品')")
    page.fill("input[name=code]", "YS-7001")
    page.fill("input[name=barcode]", "6901234567892")
    page.fill("input[name=name]", "925银镶锆石戒指")
    page.fill("input[name=price_wholesale]", "１２．５")  # as a Chinese IME types it
    page.fill("input[name=price_franchise]", "11.00")
    page.select_option("select[name=area]", "A1")
    page.fill("textarea[name=care_note]", "避免接触香水")
    shot(page, "backoffice-product-new")
    page.click("button:has-text('添加商品')")
    expect(page.locator(".flash.success")).to_contain_text("商品 YS-7001 已添加")
    expect(page.locator("[data-stock]")).to_have_text("0")
    _above_the_fold(page, "button:has-text('保存商品')")
    shot(page, "backoffice-product-edit")
    with app.app_context():
        product = db.session.scalar(select(Product).where(Product.code == "YS-7001"))
        assert product.price_wholesale == 1250 and product.area.code == "A1"
        record_wish(world["customer"], product_code="YS-7001", qty=3, staff_id=world["clerk"])
        db.session.commit()

    # a duplicate barcode on a second product: refused with the owner named
    page.goto(f"{live_server.url}/catalog/products/new")
    page.fill("input[name=code]", "YS-7002")
    page.fill("input[name=barcode]", "6901234567892")
    page.fill("input[name=name]", "另一个戒指")
    page.fill("input[name=price_wholesale]", "1")
    page.fill("input[name=price_franchise]", "1")
    page.click("button:has-text('添加商品')")
    expect(page.locator(".field-error")).to_contain_text("YS-7001")
    shot(page, "backoffice-product-refused")

    # its tag: the PDF answers, and printing queues a label job
    page.goto(f"{live_server.url}/catalog/products?q=YS-7001")
    expect(page.locator("tr[data-code='YS-7001']")).to_have_count(1)
    shot(page, "backoffice-products")
    page.click("tr[data-code='YS-7001'] a >> nth=0")
    pdf = page.request.get(live_server.url + page.locator("a:has-text('吊牌 PDF')")
                           .get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    page.click("a:has-text('打印吊牌')")
    expect(page.locator("tr.label-row[data-code='YS-7001']")).to_have_count(1)
    page.fill("tr.label-row[data-code='YS-7001'] input[name=copies]", "2")
    page.click("button:has-text('打印吊牌')")
    expect(page.locator(".flash.success")).to_be_visible()
    with app.app_context():
        jobs = list(db.session.scalars(select(PrintJob).where(PrintJob.document == "product_label")))
        assert len(jobs) == 1 and jobs[0].copies == 2

    # receive 20 by scanning: 19 scans of one, then a typed quantity of 1
    page.goto(f"{live_server.url}/catalog/receipts/new")
    expect(page.locator("input[name=scan]")).to_be_focused()
    page.fill("input[name=scan]", "0000000000000")
    page.press("input[name=scan]", "Enter")
    expect(page.locator(".flash.error")).to_contain_text("未知条码")
    shot(page, "backoffice-receipt-unknown")
    for n in range(1, 20):
        expect(page.locator("input[name=scan]")).to_be_focused()
        page.keyboard.type("6901234567892")
        page.keyboard.press("Enter")
        expect(page.locator("tr[data-code='YS-7001'] input[name=qty]")).to_have_value(str(n))
    page.fill("input[name=scan]", "YS-7001")
    page.fill("input[name=scan_qty]", "1")
    page.press("input[name=scan]", "Enter")
    expect(page.locator("tr[data-code='YS-7001'] input[name=qty]")).to_have_value("20")
    expect(page.locator("[data-total]")).to_contain_text("20")
    _above_the_fold(page, "button:has-text('完成入库')")
    shot(page, "backoffice-receipt-draft")
    with app.app_context():
        assert db.session.scalar(select(Product.on_hand).where(Product.code == "YS-7001")) == 0
    page.click("button:has-text('完成入库')")

    # at once: the customer waiting for it, "arrived — notify"
    row = page.locator("table.bo-wishes tr[data-wish]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("周老板银饰")
    expect(row).to_contain_text("跟单小王")
    expect(row.locator("button")).to_have_text("到货 — 通知")
    _above_the_fold(page, "button:has-text('到货 — 通知')")
    shot(page, "backoffice-receipt-waiting")
    with app.app_context():
        assert db.session.scalar(select(Product.on_hand).where(Product.code == "YS-7001")) == 20
    row.locator("button").click()
    expect(page.locator(".flash.success")).to_contain_text("周老板银饰 已标记为已通知")
    expect(page.locator("table.bo-wishes tr[data-wish]")).to_have_count(0)
    expect(page.locator("table.bo-wishes tr[data-notified]")).to_have_count(1)
    shot(page, "backoffice-receipt-notified")
    with app.app_context():
        wish = db.session.scalar(select(Wish))
        manager = db.session.scalar(select(Staff).where(Staff.staff_no == "5201"))
        assert wish.notified_at is not None and wish.notified_by_id == manager.id


def test_staff_and_csv_import_screens(live_server, new_page, tmp_path):
    app = live_server.app
    _world(app)
    make_staff_in(app, "manager", staff_no="5301", name="林经理")
    page = new_page(W, H)
    sign_in(page, live_server.url, "5301", "246810")

    page.goto(f"{live_server.url}/staff/")
    page.click("a:has-text('新员工')")
    expect(page.locator("h1")).to_have_text("新员工")
    _above_the_fold(page, "button:has-text('添加员工')")
    page.fill("input[name=staff_no]", "5302")
    page.fill("input[name=name]", "赵收银")
    page.fill("input[name=new_pin]", "123456")
    page.fill("input[name=confirm]", "123456")
    page.check("input[name=roles][value=cashier]")
    page.click("button:has-text('添加员工')")
    expect(page.locator(".flash.error")).to_contain_text("连续数字")
    expect(page.locator(".field-error")).to_contain_text("太容易被猜到")
    shot(page, "backoffice-staff-new-refused")
    page.fill("input[name=new_pin]", "580413")
    page.fill("input[name=confirm]", "580413")
    page.click("button:has-text('添加员工')")
    expect(page.locator(".flash.success")).to_contain_text("已添加 赵收银")
    expect(page.locator("tr[data-staff='5302']")).to_contain_text("收银")
    shot(page, "backoffice-staff-list")
    page.click("tr[data-staff='5302'] a:has-text('编辑')")
    page.check("input[name=roles][value=packer]")
    _above_the_fold(page, "button:has-text('保存')")
    shot(page, "backoffice-staff-edit")
    page.click("button:has-text('保存')")
    expect(page.locator("tr[data-staff='5302']")).to_contain_text("包装")

    # CSV import: a bad row listed, nothing imported; then the good file
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,area,price_wholesale,price_franchise,stock\n"
                   "K-1,戒指,A1,12.50,11,3\nK-2,手链,A1,1.005,1,1\n", encoding="utf-8")
    page.goto(f"{live_server.url}/catalog/import")
    _above_the_fold(page, "button:has-text('导入')")
    page.set_input_files("input[name=file]", str(bad))
    page.click("button:has-text('导入')")
    expect(page.locator("#import-errors tr[data-line]")).to_have_count(1)
    expect(page.locator("#import-errors tr[data-line='3']")).to_contain_text("1.005")
    shot(page, "backoffice-import-refused")
    good = tmp_path / "good.csv"
    good.write_text("code,name,area,price_wholesale,price_franchise,stock\n"
                    "K-1,戒指,A1,12.50,11,3\nK-2,手链,A1,1.05,1,1\n", encoding="utf-8")
    page.set_input_files("input[name=file]", str(good))
    page.click("button:has-text('导入')")
    expect(page.locator("[data-count=created]")).to_have_text("2")
    expect(page.locator("[data-count=units]")).to_have_text("4")
    shot(page, "backoffice-import-done")
    assert SCREENS.exists()
