"""The packing bench in a real browser. The must-show: a packer packs a 5-line order into
two boxes by scanning (barcode + Enter, as a scanner types), an over-scan and a wrong
product are refused with the red banner and nothing changes, the customer is away so two
staff sign with their PINs, the boxes are sealed and two box labels are queued. Then a
customer at the bench: a cross-out with the manager's PIN, the customer draws on the
signature pad, the payment is checked, the seal, and the signed slip PDF."""
from __future__ import annotations

import re
import subprocess
from typing import Any

import factories
import pytest
from browser_helpers import SCREENS, make_staff_in, shot, sign_in
from playwright.sync_api import expect
from sqlalchemy import func, select

from showroom.clock import now_utc
from showroom.extensions import db
from showroom.orders.models import Order, OrderLine
from showroom.packing.models import Packing, PackingTick
from showroom.printjobs.models import PrintJob
from showroom.reception.models import Visit
from showroom.settlement.models import ReturnSlip
from showroom.settlement.services import PaymentIn, settle

pytestmark = pytest.mark.browser

ITEMS = [("YS-101", "925银素圈手链", 12800, 2), ("YS-202", "925银镶锆石耳钉", 6800, 1),
         ("YS-303", "925银锁骨链 45cm", 15800, 1), ("YS-404", "925银心形吊坠", 9800, 2),
         ("YS-505", "925银编织戒指", 5800, 1)]


def _settled_order(app: Any, *, present: bool, on_account: bool = False) -> dict[str, Any]:
    with app.app_context():
        cust = factories.customer(name="林晓梅", phone="13912345678",
                                  address="浙江省义乌市稠城街道工人西路88号")
        prods = [factories.product(code=code, name=name, wholesale=price, stock=30)
                 for code, name, price, _q in ITEMS]
        stranger = factories.product(code="YS-999", name="925银脚链（不在单上）", stock=5)
        visit_id = None
        if present:
            visit = Visit(customer_id=cust.id, status="with_clerk", assigned_at=now_utc())
            db.session.add(visit)
            db.session.flush()
            visit_id = visit.id
        order = factories.order_with_lines(cust.id, [(p, q) for p, (*_x, q) in zip(
            prods, ITEMS, strict=True)])
        order.visit_id = visit_id
        half = order.total // 2
        payments = [PaymentIn("cash", half), PaymentIn("on_account", order.total - half)] \
            if on_account else [PaymentIn("bank_transfer", order.total)]
        settle(order.id, payments, cashier_id=None, station="cashier-1")
        db.session.commit()
        return {"id": order.id, "number": order.number, "visit_id": visit_id,
                "barcodes": {p.code: p.barcode for p in prods}, "stranger": stranger.barcode}


def _scan(page: Any, barcode: str, expect_text: str, *, ok: bool = True) -> None:
    # after a full-page post (the cross-out, a sign-off) the bench may still be loading:
    # keys typed before htmx has taken the scan form over are a plain post or get lost
    page.wait_for_load_state("load")
    scan = page.locator("input[data-scan]")
    expect(scan).to_be_focused()
    page.keyboard.type(barcode)
    with page.expect_response(lambda r: r.url.endswith("/scan")) as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == (200 if ok else 409), (barcode, answer.value.text()[:2000])
    result = page.locator("[data-scan-result='ok']" if ok else "[data-scan-result='bad']")
    expect(result).to_contain_text(expect_text)
    expect(scan).to_have_value("")


def _db_state(app: Any, order_id: int) -> tuple[int, list[int]]:
    with app.app_context():
        ticks = db.session.scalar(select(func.count()).select_from(PackingTick)) or 0
        packed = list(db.session.scalars(select(OrderLine.packed_qty).where(
            OrderLine.order_id == order_id).order_by(OrderLine.id)))
        return int(ticks), packed


def _jobs(app: Any, document: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(PrintJob.ref).where(
            PrintJob.document == document).order_by(PrintJob.id)))


def _bench_shot(page: Any, name: str) -> None:
    """A full-page shot of the bench, scrolled to its end first so the sticky action bar is
    drawn where the page ends rather than over the checklist; the scroll is put back."""
    y = page.evaluate("() => window.scrollY")
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    shot(page, name)
    page.evaluate(f"() => window.scrollTo(0, {y})")


def _sign_in_bar(page: Any, staff_no: str, pin: str = "246810") -> None:
    bar = page.locator("#action-bar [data-sign-form]")
    expect(bar).to_be_visible()
    bar.locator("input[name=staff_no]").fill(staff_no)
    bar.locator("input[name=pin]").fill(pin)
    with page.expect_navigation():
        bar.locator("button[type=submit]").click()


def _draw_signature(page: Any) -> None:
    """The customer signs in the pad's dialog. The dialog opens only once the pad is made
    and sized (data-ready); two strokes must reach the pad (data-strokes) before saving."""
    page.locator("#action-bar [data-open-pad]").click()
    pad = page.locator("dialog[data-pad-dialog] canvas[data-signature-pad][data-ready]")
    expect(pad).to_be_visible()
    box = pad.bounding_box()
    assert box is not None
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.1, y + h * 0.7)
    page.mouse.down()
    for i in range(1, 13):
        page.mouse.move(x + w * (0.1 + 0.06 * i), y + h * (0.7 - 0.4 * (i % 2)), steps=4)
    page.mouse.up()
    page.mouse.move(x + w * 0.3, y + h * 0.85)
    page.mouse.down()
    page.mouse.move(x + w * 0.8, y + h * 0.8, steps=8)
    page.mouse.up()
    expect(pad).to_have_attribute("data-strokes", "2")


def test_packer_packs_five_lines_into_two_boxes_customer_away(live_server, browser_page,
                                                                new_page):
    app = live_server.app
    make_staff_in(app, "packer", staff_no="3001", name="赵包装")
    make_staff_in(app, "packer", "shipper", staff_no="3002", name="钱发货")
    order = _settled_order(app, present=False)
    codes = order["barcodes"]
    page = browser_page
    sign_in(page, live_server.url, "3001", "246810")
    page.wait_for_url("**/packing/")
    row = page.locator(f".pk-qrow[data-order='{order['number']}']")
    expect(row).to_contain_text("林晓梅")
    expect(row).to_contain_text("0/7")
    shot(page, "packing-queue")

    row.click()
    page.wait_for_url(f"**/packing/orders/{order['id']}")
    expect(page.locator(".pk-seg.on")).to_have_attribute("data-mode", "absent")
    _scan(page, codes["YS-101"], "1/2")
    _scan(page, codes["YS-101"], "2/2")
    expect(page.locator("tr[data-code='YS-101']")).to_have_class(re.compile(r"\bdone\b"))
    _scan(page, codes["YS-202"], "1/1")
    _scan(page, codes["YS-303"], "1/1")
    with page.expect_response(lambda r: r.url.endswith("/boxes")):
        page.click("[data-new-box]")
    expect(page.locator(".pk-tab.on")).to_contain_text("2/2")
    expect(page.locator("#scan-box")).to_contain_text("2")
    _scan(page, codes["YS-404"], "1/2")
    expect(page.locator("#progress [data-packed]")).to_have_text("5")
    _bench_shot(page, "packing-bench-mid")

    before = _db_state(app, order["id"])
    _scan(page, codes["YS-202"], "YS-202", ok=False)  # all 1 already packed: put it back
    banner = page.locator(".pk-fb.bad")
    expect(banner).to_be_visible()
    _bench_shot(page, "packing-refused-overscan")
    _scan(page, order["stranger"], "YS-999", ok=False)  # not on this order
    assert _db_state(app, order["id"]) == before
    _bench_shot(page, "packing-refused-wrong-product")

    _scan(page, codes["YS-404"], "2/2")
    _scan(page, codes["YS-505"], "1/1")
    expect(page.locator("#progress [data-packed]")).to_have_text("7")
    expect(page.locator("[data-seal]")).to_be_disabled()
    expect(page.locator("[data-seal-problems]")).to_contain_text("0")

    # customer away: two different staff sign, each with their own PIN, in the action bar
    expect(page.locator("#signoff [data-instruction]")).to_be_visible()
    _sign_in_bar(page, "3001")
    expect(page.locator("#signoff [data-signer='3001']")).to_be_visible()
    _sign_in_bar(page, "3002")
    expect(page.locator("#signoff [data-signer='3002']")).to_be_visible()
    expect(page.locator("[data-seal]")).to_be_enabled()
    page.locator("#signoff").scroll_into_view_if_needed()
    _bench_shot(page, "packing-absent-signed")

    page.click("[data-seal]")
    page.wait_for_url(f"**/packing/orders/{order['id']}/sealed")
    expect(page.locator(".pk-sealed-big")).to_contain_text("2")
    shot(page, "packing-sealed")
    assert _jobs(app, "box_label") == [f"{order['number']}-1", f"{order['number']}-2"]
    assert len(_jobs(app, "packing_list")) == 2
    with app.app_context():
        assert db.session.get(Order, order["id"]).status == "packed"
        assert db.session.scalars(select(Packing)).one().mode == "absent"


def test_customer_present_cross_out_signature_pad_payment_and_signed_slip(
        live_server, browser_page):
    app = live_server.app
    make_staff_in(app, "packer", staff_no="3101", name="孙包装")
    make_staff_in(app, "manager", staff_no="3108", name="周经理")
    order = _settled_order(app, present=True, on_account=True)
    codes = order["barcodes"]
    page = browser_page
    sign_in(page, live_server.url, "3101", "246810")
    page.goto(f"{live_server.url}/packing/orders/{order['id']}")
    expect(page.locator(".pk-seg.on")).to_have_attribute("data-mode", "present")
    expect(page.locator("[data-paid-state]")).to_have_attribute("data-paid-state", "on_account")
    # first the packer asks the customer's name (SPEC §4.4)
    with page.expect_navigation():
        page.click("#action-bar [data-name-check]")
    expect(page.locator("[data-name-confirmed]")).to_be_visible()
    expect(page.locator("#action-bar")).to_have_attribute("data-step", "count")

    # the customer no longer wants the ring (YS-505): crossed out with the manager's PIN
    page.locator("tr[data-code='YS-505'] a.btn.danger").click()
    form = page.locator("[data-crossout-form]")
    expect(form).to_be_visible()
    expect(form.locator("tr.chosen input")).to_have_value("1")
    form.locator("input[name=reason]").fill("客户不要了")
    form.locator("input[name=customer_agreed]").check()
    form.locator("input[name=manager_staff_no]").fill("3108")
    form.locator("input[name=manager_pin]").fill("111111")  # wrong first
    form.locator("[data-crossout-submit]").click()
    expect(page.locator("[data-crossout-error]")).to_be_visible()
    page.locator("#crossout").scroll_into_view_if_needed()
    _bench_shot(page, "packing-crossout-form")
    page.locator("[data-crossout-form] input[name=manager_pin]").fill("246810")
    page.locator("[data-crossout-form] [data-crossout-submit]").click()
    expect(page.locator(".pk-slips [data-slip]")).to_have_count(1)
    expect(page.locator("tr[data-code='YS-505'] .pk-crossed")).to_contain_text("1")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReturnSlip)) == 1

    for code, qty in (("YS-101", 2), ("YS-202", 1), ("YS-303", 1), ("YS-404", 2)):
        for n in range(1, qty + 1):
            _scan(page, codes[code], f"{n}/{qty}")

    _sign_in_bar(page, "3101")
    expect(page.locator("#signoff [data-signer='3101']")).to_be_visible()
    _draw_signature(page)
    _bench_shot(page, "packing-present-signature-pad")  # resizes the page: strokes kept
    expect(page.locator("canvas[data-signature-pad]")).to_have_attribute("data-strokes", "2")
    with page.expect_navigation():
        page.click("[data-pad-save]")
    expect(page.locator("[data-signature-saved]")).to_be_visible()

    expect(page.locator("#action-bar [data-bar-paid-state]")).to_have_attribute(
        "data-bar-paid-state", "on_account")
    with page.expect_navigation():
        page.click("[data-payment-check]")
    expect(page.locator("[data-seal]")).to_be_enabled()
    page.click("[data-seal]")
    page.wait_for_url(f"**/packing/orders/{order['id']}/sealed")
    expect(page.locator("[data-see-off]")).to_have_attribute(
        "href", f"/reception/visits/{order['visit_id']}/see-off")
    shot(page, "packing-sealed-present")

    href = page.locator("[data-signed-slip]").get_attribute("href")
    resp = page.request.get(f"{live_server.url}{href}")
    assert resp.status == 200 and resp.headers["content-type"] == "application/pdf"
    SCREENS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENS / "packing-signed-slip.pdf"
    pdf.write_bytes(resp.body())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert order["number"] in text and "林晓梅" in text
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-singlefile", str(pdf),
                    str(SCREENS / "packing-signed-slip")], check=True)


def test_bench_in_english_on_a_tablet(live_server, new_page):
    app = live_server.app
    make_staff_in(app, "packer", staff_no="3201", name="Li Pack")
    order = _settled_order(app, present=False)
    page = new_page(1024, 768)
    sign_in(page, live_server.url, "3201", "246810")
    page.goto(f"{live_server.url}/packing/orders/{order['id']}?lang=en")
    _scan(page, order["barcodes"]["YS-101"], "1/2")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("[data-seal-problems]")).to_contain_text("two different staff")
    _bench_shot(page, "packing-bench-en-tablet")

    # an item whose barcode will not scan: ticked by hand, with the reason kept
    row = page.locator("tr[data-code='YS-202']")
    row.locator("details.pk-pop > summary").click()
    reason = row.locator("input[name=reason]")
    expect(reason).to_be_focused()
    reason.fill("barcode torn off")
    _bench_shot(page, "packing-hand-tick-en")
    row.locator("form button[type=submit]").click()
    expect(page.locator(".flash.success")).to_contain_text("YS-202")
    expect(page.locator("tr[data-code='YS-202']")).to_have_attribute("data-packed", "1")
    expect(page.locator("input[data-scan]")).to_be_focused()
    with app.app_context():
        tick = db.session.scalars(select(PackingTick).where(PackingTick.method == "manual")).one()
        assert tick.reason == "barcode torn off"


def _in_view(page: Any, selector: str, *, width: int = 1024, height: int = 768) -> None:
    """The control is on the screen as the page stands: never scrolled, and its box inside
    the viewport."""
    page.wait_for_load_state("load")  # styled: not the layout before the CSS
    control = page.locator(selector)
    expect(control).to_be_visible()
    assert page.evaluate("() => window.scrollY") == 0
    box = control.bounding_box()
    assert box is not None
    assert 0 <= box["x"] and box["x"] + box["width"] <= width, (selector, box)
    assert 0 <= box["y"] and box["y"] + box["height"] <= height, (selector, box)


def _viewport_shot(page: Any, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"))


@pytest.mark.parametrize("mode", ["present", "absent"])
def test_signoff_and_seal_controls_in_view_on_a_1024x768_tablet(live_server, new_page, mode):
    """Before: at 1024x768 the seal button sat below the fold and the sign-off form further
    down. Now the next sign-off and the seal are in the action bar at the bottom of the
    screen, at every step, without scrolling."""
    app = live_server.app
    make_staff_in(app, "packer", staff_no="3301", name="吴包装")
    make_staff_in(app, "packer", staff_no="3302", name="郑包装")
    order = _settled_order(app, present=mode == "present", on_account=True)
    page = new_page(1024, 768)
    sign_in(page, live_server.url, "3301", "246810")
    page.goto(f"{live_server.url}/packing/orders/{order['id']}")
    expect(page.locator(".pk-seg.on")).to_have_attribute("data-mode", mode)
    _in_view(page, "[data-seal]")
    if mode == "present":
        _in_view(page, "[data-name-check]")
        with page.expect_navigation():
            page.click("[data-name-check]")
    for code, _name, _price, qty in ITEMS:
        for n in range(1, qty + 1):
            _scan(page, order["barcodes"][code], f"{n}/{qty}")
    for control in ("[data-sign-form] input[name=staff_no]", "[data-sign-form] input[name=pin]",
                    "[data-sign-form] button[type=submit]", "[data-seal]"):
        _in_view(page, control)
    _viewport_shot(page, f"packing-1024x768-{mode}-before-signing")

    _sign_in_bar(page, "3301")
    if mode == "absent":
        _in_view(page, "[data-sign-form] button[type=submit]")
        _sign_in_bar(page, "3302")
        expect(page.locator("[data-seal]")).to_be_enabled()
        # a piece taken out after both signed: the sign-offs are void, the bar says so
        row = page.locator("#boxes li", has_text="YS-101")
        row.locator("summary").click()
        row.locator("input[name=reason]").fill("有划痕")
        with page.expect_response(lambda r: r.url.endswith("/untick")):
            row.locator("form button[type=submit]").click()
        expect(page.locator("#action-bar [data-signoffs-voided]")).to_contain_text(
            "签名已作废（从箱里取出了货品）：全部点完后请重新签名。")
        expect(page.locator("[data-seal]")).to_be_disabled()
        expect(page.locator("#signoff [data-signer]")).to_have_count(0)
        _in_view(page, "[data-signoffs-voided]")
        _viewport_shot(page, "packing-1024x768-absent-voided")
        _scan(page, order["barcodes"]["YS-101"], "2/2")
        _sign_in_bar(page, "3301")
        _sign_in_bar(page, "3302")
        expect(page.locator("[data-signoffs-voided]")).to_have_count(0)
    else:
        _in_view(page, "[data-open-pad]")
        _draw_signature(page)
        _viewport_shot(page, "packing-1024x768-present-signature-pad")
        with page.expect_navigation():
            page.click("[data-pad-save]")
        _in_view(page, "[data-payment-check]")
        with page.expect_navigation():
            page.click("[data-payment-check]")
    expect(page.locator("[data-seal]")).to_be_enabled()
    _in_view(page, "[data-seal]")
    _viewport_shot(page, f"packing-1024x768-{mode}-signed")
    page.click("[data-seal]")
    page.wait_for_url(f"**/packing/orders/{order['id']}/sealed")
    _viewport_shot(page, f"packing-1024x768-{mode}-sealed")
