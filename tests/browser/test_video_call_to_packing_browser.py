"""Issue 14's must-show in one flow, in a real browser at 1024×768: a video call booked for
15:00; the clerk's screen shows the 10-minute warning once the clock passes 14:50; the clerk
starts the call (the gathered piece on the order), adds goods, submits; the cashier settles
it all on account; the remit screen shows order + previous debt + freight (from the rate
table) to the fen and copies the message; the order waits — not at the packing bench —
until the remittance is recorded at the money desk; then it is there."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import factories
import pytest
from browser_helpers import PIN, make_staff_in, sign_in
from playwright.sync_api import expect

from showroom.appointments.call import gather
from showroom.appointments.services import book
from showroom.clock import set_now
from showroom.customers.services import post_entry
from showroom.extensions import db
from showroom.money import fen_str
from showroom.orders.models import Order
from showroom.shipping.rates import set_rate

pytestmark = pytest.mark.browser
BOOKED_AT = datetime(2026, 12, 8, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai
CALL_AT = datetime(2026, 12, 8, 7, 0, tzinfo=UTC)  # 15:00
AT_1449 = datetime(2026, 12, 8, 6, 49, tzinfo=UTC)
AT_1451 = datetime(2026, 12, 8, 6, 51, tzinfo=UTC)
DEBT = 42_300  # ¥423.00 owed from an earlier order


def _world(app: Any, clerk_id: int, desk_id: int) -> dict[str, Any]:
    with app.app_context():
        c = factories.customer(name="远方饰品店", phone="13912345678")
        c.region = "浙江 义乌"
        post_entry(c.id, "sale", DEBT, ref="XS-20261101-0009")
        p1 = factories.product(code="VC-0001", name="苗银手镯", wholesale=12_000, stock=10)
        factories.product(code="VC-0002", name="银杏叶耳环", wholesale=8_850, stock=5)
        set_rate(carrier="sf_express", destination="浙江", first_kg="18.00", per_kg="6.00",
                 per_box="2.00", min_days="1", max_days="2")
        ap = book(customer_id=c.id, clerk_id=clerk_id, starts_at=CALL_AT, wanted="新款手镯",
                  staff_id=desk_id)
        gather(ap.id, code=p1.code, qty=2, staff_id=clerk_id)
        db.session.commit()
        return {"customer": c.id, "appointment": ap.id}


def test_booked_call_settled_on_account_waits_for_the_money(live_server, new_page):
    app, base = live_server.app, live_server.url
    set_now(BOOKED_AT)
    desk = make_staff_in(app, "reception", staff_no="1101", name="前台小李")
    clerk_staff = make_staff_in(app, "clerk", staff_no="3001", name="业务小王")
    make_staff_in(app, "cashier", staff_no="3101", name="王收银")
    make_staff_in(app, "packer", staff_no="4101", name="赵打包")
    world = _world(app, clerk_staff["id"], desk["id"])
    try:
        set_now(AT_1449)
        clerk = new_page(1024, 768)
        sign_in(clerk, base, "3001", PIN)
        clerk.goto(f"{base}/picking/")
        expect(clerk.locator("#ap-today tr[data-appointment]")).to_have_count(1)
        expect(clerk.locator("[data-warning]")).to_have_count(0)
        set_now(AT_1451)  # the polled list brings the warning, no reload
        expect(clerk.locator("[data-warning]")).to_have_count(1, timeout=15_000)
        clerk.click("[data-warning] [data-ready]")
        clerk.click("#ap-start")
        clerk.wait_for_url("**/picking/orders/*")
        expect(clerk.locator("[data-channel=video]")).to_be_visible()
        expect(clerk.locator("#lines-body tr[data-line]")).to_have_count(1)
        clerk.locator("input[data-scan]").fill("VC-0002")
        clerk.keyboard.press("Enter")
        expect(clerk.locator("[data-scan-result]")).to_contain_text("VC-0002")
        expect(clerk.locator("[data-pieces]")).to_have_text("3")
        clerk.click("button.pick-submit")
        clerk.wait_for_url("**/picking/")
        with app.app_context():
            order = db.session.get(Order, _order_id(world["appointment"]))
            oid, number, total = order.id, order.number, order.total
        assert total == 2 * 12_000 + 8_850

        cashier = new_page(1024, 768)
        sign_in(cashier, base, "3101", PIN)
        cashier.goto(f"{base}/cashier/")
        cashier.click(f"text={number}")
        cashier.wait_for_selector("#settle-form")
        cashier.click("button[data-rest=on_account]")
        cashier.click("#settle-button")
        cashier.wait_for_url(f"**/cashier/orders/{oid}")
        cashier.click("#to-remit")
        cashier.wait_for_url(f"**/remote/orders/{oid}/remit")
        cashier.select_option("select[name=carrier]", "sf_express")
        cashier.click("#save-freight")
        fee = 1_800 + 200  # 3 pieces ≈ 60 g: the first kilogram and one box
        amount = total + DEBT + fee
        expect(cashier.locator("#remit-order")).to_have_text(f"¥{fen_str(total)}")
        expect(cashier.locator("#remit-previous")).to_have_text(f"¥{fen_str(DEBT)}")
        expect(cashier.locator("#remit-freight")).to_have_text(f"¥{fen_str(fee)}")
        expect(cashier.locator("#amount-to-remit")).to_have_text(f"¥{fen_str(amount)}")
        cashier.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        cashier.wait_for_load_state("load")  # remit.js (deferred) listens from then on
        cashier.click("#copy-message")
        expect(cashier.locator("#copy-message")).to_have_text("已复制")
        copied = cashier.evaluate("navigator.clipboard.readText()")
        assert number in copied and f"¥{fen_str(amount)}" in copied

        packer = new_page(1024, 768)
        sign_in(packer, base, "4101", PIN)
        packer.goto(f"{base}/packing/")
        expect(packer.locator("#queue-rows")).not_to_contain_text(number)

        cashier.goto(f"{base}/cashier/desk/customers/{world['customer']}")
        cashier.check("input[name=method][value=bank_transfer]")
        cashier.fill("#desk-pay-form input[name=amount]", fen_str(amount))
        cashier.click("#desk-pay-button")
        expect(cashier.locator("#balance-after")).to_have_text(f"¥{fen_str(fee)}")
        packer.goto(f"{base}/packing/")
        expect(packer.locator("#queue-rows")).to_contain_text(number)
    finally:
        set_now(None)


def _order_id(appointment_id: int) -> int:
    from showroom.appointments.models import Appointment

    order_id = db.session.get(Appointment, appointment_id).order_id
    assert order_id is not None
    return order_id
