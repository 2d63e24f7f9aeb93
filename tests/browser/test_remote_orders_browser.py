"""A video order end to end in a real browser at 1024×768 (SPEC §5): a clerk opens a video
order for a customer who already owes ¥500.00, scans goods and submits; the cashier settles
it all on account; the remit screen shows order + debt + freight (quoted from the rate
table) to the fen and the copy button puts the ready message on the clipboard; the order is
not at the packing bench; the cashier records the remittance at the money desk; now it is.
Screenshots of each new screen (order without a visit, the day's online orders, remit)."""
from __future__ import annotations

import factories
import pytest
from browser_helpers import in_view, make_staff_in, sign_in, view
from playwright.sync_api import expect
from sqlalchemy import select

from showroom.customers.services import post_entry
from showroom.extensions import db
from showroom.money import fen_str
from showroom.orders.models import Order
from showroom.remote import services as remote
from showroom.shipping.rates import set_rate

pytestmark = pytest.mark.browser


def _world(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        owing = factories.customer(name="视频刘老板", phone="13588880000")
        owing.region = "浙江 义乌"
        post_entry(owing.id, "sale", 50_000, ref="XS-20261101-0001")  # owes ¥500.00
        factories.product(code="VB-1001", name="925银镶锆石手链", wholesale=12_800, stock=20)
        factories.product(code="VB-1002", name="925银耳钉 小花", wholesale=3_550, stock=20)
        set_rate(carrier="sf_express", destination="浙江", first_kg="18.00", per_kg="6.00",
                 per_box="2.00", min_days="1", max_days="2")
        web = factories.staff("clerk", staff_no="2999", name="网站")
        other = factories.customer(name="网店陈姐")
        remote.create_online_order(other.id, remote.parse_lines(
            [{"product_code": "VB-1002", "qty": 30}]), "TB-88001", staff=web)
        db.session.commit()
        return {"customer": owing.id, "code": owing.code}


def test_video_order_remit_and_packing(live_server, new_page):
    world = _world(live_server.app)
    make_staff_in(live_server.app, "clerk", staff_no="2101", name="李跟单")
    make_staff_in(live_server.app, "cashier", staff_no="3101", name="王收银")
    make_staff_in(live_server.app, "packer", staff_no="4101", name="赵打包")
    base = live_server.url

    clerk = new_page(1024, 768)
    sign_in(clerk, base, "2101", "246810")
    clerk.goto(f"{base}/picking/")
    clerk.click("#new-remote-order")
    clerk.fill("input[name=q]", "视频刘")
    clerk.keyboard.press("Enter")
    clerk.click("table.remote-results a.btn")
    expect(clerk.locator("input[name=channel][value=video]")).to_be_checked()
    in_view(clerk, "#open-remote")
    view(clerk, "remote-new-order")
    clerk.click("#open-remote")
    clerk.wait_for_url("**/picking/orders/*")
    expect(clerk.locator("[data-channel=video]")).to_be_visible()
    for code in ("VB-1001", "VB-1001", "VB-1002"):
        clerk.locator("input[data-scan]").fill(code)
        clerk.keyboard.press("Enter")
        expect(clerk.locator("[data-scan-result]")).to_contain_text(code)
    view(clerk, "remote-video-order")
    clerk.click("button.pick-submit")
    clerk.wait_for_url("**/picking/")
    with live_server.app.app_context():
        order = db.session.scalar(select(Order).where(Order.channel == "video"))
        oid, number, total = order.id, order.number, order.total
    assert total == 2 * 12_800 + 3_550
    clerk.goto(f"{base}/remote/online")
    expect(clerk.locator(".online-order")).to_have_count(1)
    expect(clerk.locator("[data-pick-day]")).to_be_visible()
    view(clerk, "remote-online-orders")

    cashier = new_page(1024, 768)
    sign_in(cashier, base, "3101", "246810")
    cashier.goto(f"{base}/cashier/")
    expect(cashier.locator("[data-channel=video]")).to_be_visible()
    cashier.click(f"text={number}")
    cashier.wait_for_selector("#settle-form")
    cashier.click("button[data-rest=on_account]")
    assert cashier.input_value("input[name=on_account_amount]") == fen_str(total)
    cashier.click("#settle-button")
    cashier.wait_for_url(f"**/cashier/orders/{oid}")
    cashier.click("#to-remit")
    cashier.wait_for_url(f"**/remote/orders/{oid}/remit")
    # 3 pieces × 20 g = 60 g: the first kilogram and one box from the rate table
    cashier.select_option("select[name=carrier]", "sf_express")
    cashier.click("#save-freight")
    expect(cashier.locator(".flash.success")).to_be_visible()
    fee = 1_800 + 200
    amount = total + 50_000 + fee
    expect(cashier.locator("#remit-order")).to_have_text(f"¥{fen_str(total)}")
    expect(cashier.locator("#remit-previous")).to_have_text("¥500.00")
    expect(cashier.locator("#remit-freight")).to_have_text("¥20.00")
    expect(cashier.locator("#amount-to-remit")).to_have_text(f"¥{fen_str(amount)}")
    cashier.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    cashier.wait_for_load_state("load")  # remit.js (deferred) listens from then on
    cashier.click("#copy-message")
    expect(cashier.locator("#copy-message")).to_have_text("已复制")
    copied = cashier.evaluate("navigator.clipboard.readText()")
    assert number in copied and f"应汇款金额：¥{fen_str(amount)}" in copied
    assert "上次欠款：¥500.00" in copied and "运费（顺丰）：¥20.00" in copied
    in_view(cashier, "#amount-to-remit")
    view(cashier, "remote-remit")

    packer = new_page(1024, 768)
    sign_in(packer, base, "4101", "246810")
    packer.goto(f"{base}/packing/")
    expect(packer.locator("#queue-rows")).not_to_contain_text(number)
    resp = packer.goto(f"{base}/packing/orders/{oid}")
    assert resp is not None and resp.status == 409

    cashier.goto(f"{base}/cashier/desk/customers/{world['customer']}")
    cashier.check("input[name=method][value=bank_transfer]")
    cashier.fill("#desk-pay-form input[name=amount]", fen_str(amount))
    cashier.click("#desk-pay-button")
    expect(cashier.locator("#balance-after")).to_have_text(f"¥{fen_str(fee)}")  # credit held
    with live_server.app.app_context():
        assert db.session.get(Order, oid).remit_status == "received"

    packer.goto(f"{base}/packing/")
    expect(packer.locator("#queue-rows")).to_contain_text(number)
    resp = packer.goto(f"{base}/packing/orders/{oid}")
    assert resp is not None and resp.status == 200
