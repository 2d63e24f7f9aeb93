"""The service-level dashboard in a real browser at 1024×768: a manager opens it from the
top bar, sees every level with its shares (equal to the figures the service computes), the
late items and the items at risk with links to their sources; the level table is above the
fold. Screenshot: artifacts/screens/service_levels_dashboard.png."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from browser_helpers import PIN, SCREENS, make_staff_in, sign_in
from playwright.sync_api import expect
from service_levels_support import add, world

from showroom import bizcal
from showroom.clock import set_now, showroom_tz
from showroom.extensions import db
from showroom.service_levels.dashboard import dashboard

pytestmark = pytest.mark.browser
TZ = showroom_tz("Asia/Shanghai")
NOW = datetime(2026, 10, 9, 16, 0, tzinfo=TZ)  # Friday after 国庆, 16:00


def test_dashboard_renders_its_figures(live_server, new_page):  # type: ignore[no-untyped-def]
    app, base = live_server.app, live_server.url
    set_now(NOW)
    make_staff_in(app, "manager", staff_no="7301", name="张经理")
    with app.app_context():
        w = world()
        for i in range(9):  # greetings this morning: 7 in time, 2 late
            arrived = datetime(2026, 10, 9, 9, 30 + i, tzinfo=TZ)
            add("greeting_1min", w, arrived, None,
                arrived + timedelta(seconds=30 if i < 7 else 150))
        start = datetime(2026, 10, 8, 9, 0, tzinfo=TZ)
        add("inquiry_callback_24h", w, start, bizcal.due_after(start, working_hours=14), None)
        add("inquiry_callback_24h", w, start, bizcal.due_after(start, working_hours=4),
            start + timedelta(hours=2))
        add("online_answer_same_day", w, datetime(2026, 9, 30, 17, 55, tzinfo=TZ),
            datetime(2026, 10, 8, 18, 0, tzinfo=TZ), None)
        add("complaint_first_response_24h", w, start, start + timedelta(days=1),
            start + timedelta(hours=1))
        add("member_callback_3d", w, datetime(2026, 9, 30, 10, 0, tzinfo=TZ),
            datetime(2026, 10, 9, 18, 0, tzinfo=TZ), datetime(2026, 10, 9, 11, 0, tzinfo=TZ))
        db.session.commit()
        expected = {f.code: f for f in dashboard(date(2026, 10, 1), date(2026, 10, 9))}
        db.session.rollback()

    page = new_page(1024, 768)
    sign_in(page, base, "7301", PIN)
    page.click("#nav-service-levels")
    page.fill("input[name=from]", "2026-10-01")
    page.fill("input[name=to]", "2026-10-09")
    page.click("#sl-range button[type=submit]")
    expect(page.locator("#sl-levels tbody tr")).to_have_count(6)
    for code, f in expected.items():
        row = page.locator(f'#sl-levels tr[data-level="{code}"]')
        for key in ("today", "week", "month", "range"):
            cell = row.locator(f'td[data-period="{key}"]')
            t = getattr(f, key)
            assert (cell.get_attribute("data-met"), cell.get_attribute("data-total")) == (
                str(t.met), str(t.total)), (code, key)
            if t.total:
                expect(cell).to_contain_text(f"{t.met}/{t.total}")
    greet = page.locator('#sl-levels tr[data-level="greeting_1min"] td[data-period="today"]')
    expect(greet).to_contain_text("78%")
    expect(greet).to_have_class("sl-share bad")
    assert expected["greeting_1min"].range.late == 2
    expect(page.locator('table[data-late-of="greeting_1min"] tbody tr')).to_have_count(2)
    expect(page.locator('table[data-late-of="online_answer_same_day"] tbody tr')).to_have_count(1)
    expect(page.locator("#sl-at-risk tbody tr[data-level=inquiry_callback_24h]")).to_have_count(1)
    expect(page.locator("#sl-at-risk .sl-left")).to_contain_text("营业时间还剩 1 小时 00 分")
    box = page.locator("#sl-levels").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 768, box
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / "service_levels_dashboard.png"))
    page.screenshot(path=str(SCREENS / "service_levels_dashboard_full.png"), full_page=True)
    # a late item links to its source
    page.locator('table[data-late-of="greeting_1min"] a').first.click()
    page.wait_for_load_state()
    assert "/reception/visits/" in page.url
    set_now(None)
