"""Repairs in a real browser at 1024×768: reception takes a repair with a photo through the
camera's file input (Thai silver refused first, with its reasons and nothing written), a
manager sends it abroad, it shows overdue once its window has passed (the clock moved), it
comes back with its weight checked (a difference flagged), and the next working day's
callback is on reception's follow-up list. Screenshots of each screen."""
from __future__ import annotations

import io
from datetime import UTC, datetime

import factories
import pytest
from browser_helpers import PIN, SCREENS, in_view, make_staff_in, sign_in
from PIL import Image, ImageDraw
from playwright.sync_api import expect
from sqlalchemy import func, select

from showroom.clock import set_now
from showroom.extensions import db
from showroom.followups.models import FollowUp
from showroom.printjobs.models import PrintJob
from showroom.repairs.models import Repair

pytestmark = pytest.mark.browser
MONDAY_10 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
AFTER_WINDOW = datetime(2026, 12, 24, 2, 0, tzinfo=UTC)  # Thursday 24 Dec, 10:00


def _view(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"))  # the 1024×768 viewport as seen


def _in_view(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    in_view(page, selector)


def _photo() -> bytes:
    img = Image.new("RGB", (640, 480), (235, 235, 240))
    draw = ImageDraw.Draw(img)
    draw.ellipse((220, 140, 420, 340), outline=(150, 150, 160), width=18)  # a ring
    draw.ellipse((300, 110, 340, 150), fill=(90, 160, 230))  # its stone
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def _pick_photo(page) -> None:  # type: ignore[no-untyped-def]
    page.set_input_files("#intake-photos", files=[
        {"name": "ring.jpg", "mimeType": "image/jpeg", "buffer": _photo()}])


def _fill_intake(page, material: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("input[name=part]", "戒托主石")
    page.select_option("select[name=material]", material)
    page.fill("input[name=weight_g]", "5.20")
    page.fill("textarea[name=description]", "主石脱落，戒托变形")
    _pick_photo(page)


def _count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(model))
        db.session.rollback()
        return int(n or 0)


def test_repair_from_intake_to_callback(live_server, new_page):
    app, base = live_server.app, live_server.url
    set_now(MONDAY_10)
    with app.app_context():
        factories.customer(name="王丽华饰品店", phone="13912345678")
        db.session.commit()
    make_staff_in(app, "reception", staff_no="1101", name="前台小李")
    make_staff_in(app, "manager", staff_no="7001", name="张经理")
    try:
        _flow(app, base, new_page)
    finally:
        set_now(None)


def _flow(app, base, new_page) -> None:  # type: ignore[no-untyped-def]
    desk = new_page(1024, 768)
    sign_in(desk, base, "1101", PIN)
    desk.click("#nav-repairs")
    desk.click("#tab-new")
    desk.fill("#intake-q", "王丽华")
    desk.press("#intake-q", "Enter")
    desk.click("a[data-customer]")
    expect(desk.locator("#intake-customer")).to_have_text("王丽华饰品店")

    # Thai silver: refused with its reasons, nothing written
    _fill_intake(desk, "thai_silver")
    _in_view(desk, "#intake-submit")
    _view(desk, "repairs-intake")
    desk.click("#intake-submit")
    expect(desk.locator("#repair-refused")).to_contain_text("泰银饰品不予维修")
    expect(desk.locator("#print-refusal")).to_be_visible()
    _view(desk, "repairs-intake-thai-silver-refused")
    assert _count(app, Repair) == 0 and _count(app, PrintJob) == 0

    # 925 silver with the photo: taken in, receipt and bag label queued
    desk.select_option("select[name=material]", "silver_925")
    _pick_photo(desk)  # a re-rendered form keeps no file
    desk.click("#intake-submit")
    expect(desk.locator("#repair-number")).to_have_text("WX-20261123-0001")
    expect(desk.locator("#repair-photos img")).to_have_count(1)
    desk.wait_for_function(  # the photo loads after the page: wait for it, then measure
        "() => { const i = document.querySelector('#repair-photos img');"
        " return i && i.complete && i.naturalWidth > 0; }")
    loaded = desk.locator("#repair-photos img").evaluate("img => img.naturalWidth")
    assert loaded == 640
    expect(desk.locator("#custody tbody tr")).to_have_count(1)
    _view(desk, "repairs-taken-in")
    with app.app_context():
        assert sorted(db.session.scalars(select(PrintJob.document))) == [
            "repair_bag_label", "repair_receipt"]
    rid = _count(app, Repair)

    # the manager sends it abroad for a window of one month
    mgr = new_page(1024, 768)
    sign_in(mgr, base, "7001", PIN)
    mgr.goto(f"{base}/repairs/{rid}")
    mgr.check("input[name=route][value=abroad]")
    mgr.fill("input[name=partner]", "曼谷金工坊")
    mgr.select_option("select[name=months_from]", "1")
    mgr.select_option("select[name=months_to]", "1")
    _in_view(mgr, "#route-submit")
    _view(mgr, "repairs-route")
    mgr.click("#route-submit")
    expect(mgr.locator("#repair-status")).to_have_attribute("data-status", "abroad")
    expect(mgr.locator("#expected-back")).to_have_text("2026-12-23 ~ 2026-12-23")
    mgr.goto(f"{base}/repairs/?list=overdue")
    expect(mgr.locator("#repair-list tbody tr[data-repair]")).to_have_count(0)

    # a month later the window has passed: overdue
    set_now(AFTER_WINDOW)
    sign_in(mgr, base, "7001", PIN)  # the idle session ended while the clock moved
    mgr.goto(f"{base}/repairs/?list=overdue")
    row = mgr.locator("#repair-list tbody tr[data-repair='WX-20261123-0001']")
    expect(row).to_be_visible()
    expect(row.locator(".badge.late")).to_be_visible()
    _view(mgr, "repairs-overdue")

    # back, weighed again: 5.40 g against 5.20 g is flagged
    row.locator("a").click()
    expect(mgr.locator("#repair-overdue")).to_be_visible()
    mgr.fill("input[name=weight_g]", "5.40")
    _in_view(mgr, "#back-submit")
    mgr.click("#back-submit")
    expect(mgr.locator("#weight-flag")).to_be_visible()
    expect(mgr.locator(".flash.error")).to_contain_text("重量")
    expect(mgr.locator("#repair-status")).to_have_attribute("data-status", "back")
    expect(mgr.locator("#collect-form")).to_be_visible()
    expect(mgr.locator("#repair-followups")).to_contain_text("2026-12-25 09:00")
    _view(mgr, "repairs-back-weight-flagged")
    with app.app_context():
        f = db.session.scalars(select(FollowUp)).one()
        assert (f.kind, f.source_id, f.owner_id) == ("repair_callback", rid, None)

    # tomorrow's callback is on reception's list
    sign_in(desk, base, "1101", PIN)
    desk.goto(f"{base}/repairs/")
    desk.click("#tab-followups")
    coming = desk.locator("#fu-coming tr[data-followup]")
    expect(coming).to_have_count(1)
    expect(coming).to_contain_text("王丽华饰品店")
    expect(coming).to_contain_text("2026-12-25 09:00")
    _view(desk, "followups-mine")
    mgr.goto(f"{base}/followups/?all=1")
    expect(mgr.locator("#fu-coming tr[data-followup]")).to_have_count(1)
    _view(mgr, "followups-everyone")
