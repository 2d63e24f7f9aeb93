"""A video call from booking to the order, in a real browser at 1024×768 (issue 14):
reception books a call for a clerk at 15:00 (and reschedules another, whose page then
shows the old time and the reason); on the clerk's home the clock moved to 14:49 shows
no warning, 14:51 shows the 10-minute warning without a reload (the list is polled);
the clerk gathers two pieces beforehand, starts the call, the `video` order opens with
those lines and a line's facts panel shows origin, material, care, washing and
background. Screenshots of each new screen."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import factories
import pytest
from browser_helpers import PIN, in_view, make_staff_in, sign_in, view
from playwright.sync_api import expect

from showroom.appointments.services import book
from showroom.clock import set_now
from showroom.extensions import db

pytestmark = pytest.mark.browser
AT_14 = datetime(2026, 12, 8, 6, 0, tzinfo=UTC)  # Tuesday 14:00 in Shanghai
AT_1449 = datetime(2026, 12, 8, 6, 49, tzinfo=UTC)
AT_1451 = datetime(2026, 12, 8, 6, 51, tzinfo=UTC)
AT_16 = datetime(2026, 12, 8, 8, 0, tzinfo=UTC)


def test_video_call_from_booking_to_the_order(live_server, new_page):
    app, base = live_server.app, live_server.url
    set_now(AT_14)
    desk = make_staff_in(app, "reception", staff_no="1101", name="前台小李")
    clerk = make_staff_in(app, "clerk", staff_no="3001", name="业务小王")
    with app.app_context():
        c = factories.customer(name="远方饰品店", phone="13912345678")
        p1 = factories.product(code="VC-0001", name="苗银手镯", wholesale=12_000, stock=10,
                               care_note="避免接触香水")
        p1.washing_note, p1.background = "温水加中性洗剂轻洗，软布擦干", "苗族银饰纹样，寓意平安"
        p2 = factories.product(code="VC-0002", name="银杏叶耳环", wholesale=8_800, stock=5)
        other = book(customer_id=c.id, clerk_id=clerk["id"], starts_at=AT_16,
                     wanted="戒指", staff_id=desk["id"])
        world = {"p1": p1.barcode, "p2": p2.code, "other": other.id}
        db.session.commit()
    try:
        _reception(base, new_page(1024, 768), desk, world)
        _clerk(base, new_page(1024, 768), clerk, world)
    finally:
        set_now(None)


def _reception(base: str, page: Any, desk: dict[str, Any], world: dict[str, Any]) -> None:
    sign_in(page, base, desk["staff_no"], PIN)
    page.goto(f"{base}/appointments/new")
    page.fill("#ap-q", "远方")
    page.click("#ap-search")
    page.click("[data-customer]")
    expect(page.locator("#ap-customer")).to_have_text("远方饰品店")
    page.select_option("#ap-clerk", "3001")
    page.fill("#ap-day-in", "2026-12-08")
    page.fill("#ap-time", "15:00")
    page.fill("#ap-wanted", "新款手镯和耳环，百元左右")
    in_view(page, "#ap-book-submit")
    view(page, "appointment_book")
    page.click("#ap-book-submit")
    expect(page.locator("#ap-status")).to_have_attribute("class", "badge ap-booked")
    expect(page.locator("#ap-when")).to_have_text("2026-12-08 15:00")
    expect(page.locator("#ap-wanted")).to_have_text("新款手镯和耳环，百元左右")
    view(page, "appointment_page_booked")
    page.goto(f"{base}/reception/")  # the board's 视频预约 button
    page.click("#board-calls")
    expect(page.locator("#ap-day tr[data-appointment]")).to_have_count(2)
    view(page, "appointment_day")
    # the other call: the customer's line failed, moved to tomorrow with the reason
    page.goto(f"{base}/appointments/{world['other']}")
    page.click("#ap-reschedule-box summary")
    page.fill("#ap-new-day", "2026-12-09")
    page.fill("#ap-new-time", "11:00")
    page.fill("#ap-new-reason", "客户网络不好，改到明天")
    page.click("#ap-reschedule")
    row = page.locator("#ap-history tr[data-kind=rescheduled]")
    expect(row.locator("[data-old]")).to_have_text("2026-12-08 16:00")
    expect(row.locator("[data-new]")).to_have_text("2026-12-09 11:00")
    expect(row.locator("[data-reason]")).to_have_text("客户网络不好，改到明天")
    expect(page.locator("#ap-when")).to_have_text("2026-12-09 11:00")
    view(page, "appointment_rescheduled")


def _clerk(base: str, page: Any, clerk: dict[str, Any], world: dict[str, Any]) -> None:
    set_now(AT_1449)
    sign_in(page, base, clerk["staff_no"], PIN)
    page.goto(f"{base}/picking/")
    expect(page.locator("#ap-today tr[data-appointment]")).to_have_count(1)
    expect(page.locator("[data-warning]")).to_have_count(0)
    view(page, "clerk_home_1449")
    set_now(AT_1451)  # no reload: the polled list brings the warning
    warning = page.locator("[data-warning]")
    expect(warning).to_have_count(1, timeout=15_000)
    expect(warning).to_contain_text("15:00")
    expect(warning).to_contain_text("远方饰品店")
    in_view(page, "[data-warning]")
    view(page, "clerk_home_1451_warning")
    page.click("[data-warning] [data-ready]")  # I'm ready: a POST
    expect(page.locator("#ap-status")).to_have_attribute("class", "badge ap-reminded")
    # gather two pieces before the call: a scan, and a code typed with a quantity
    page.fill("#ap-code", world["p1"])
    page.press("#ap-code", "Enter")
    expect(page.locator("tr[data-good=VC-0001] [data-qty]")).to_have_text("1")
    page.fill("#ap-code", world["p2"])
    page.fill("#ap-qty", "2")
    page.click("#ap-gather")
    expect(page.locator("tr[data-good=VC-0002] [data-qty]")).to_have_text("2")
    expect(page.locator("tr[data-good=VC-0002] [data-stock]")).to_have_text("5")
    in_view(page, "#ap-start")
    view(page, "appointment_goods")
    page.click("#ap-start")
    page.wait_for_url("**/picking/orders/*")
    expect(page.locator("#lines-body tr[data-line]")).to_have_count(2)
    expect(page.locator("[data-pieces]")).to_have_text("3")
    expect(page.locator("#ap-bar")).to_have_attribute("data-status", "in_call")
    line = page.locator("tr[data-code=VC-0001]")
    line.locator("[data-facts-open]").click()
    facts = line.locator(".ap-facts-list")
    expect(facts.locator("[data-fact=origin]")).to_have_text("广州")
    expect(facts.locator("[data-fact=material]")).to_have_text("925银")
    expect(facts.locator("[data-fact=care]")).to_have_text("避免接触香水")
    expect(facts.locator("[data-fact=washing]")).to_have_text("温水加中性洗剂轻洗，软布擦干")
    expect(facts.locator("[data-fact=background]")).to_have_text("苗族银饰纹样，寓意平安")
    expect(facts.locator("[data-fact=price]")).to_contain_text("120.00")
    view(page, "video_order_facts")
    page.click("#ap-bar #ap-end")
    page.wait_for_url("**/picking/orders/*")
    expect(page.locator("#ap-bar")).to_have_attribute("data-status", "done")
