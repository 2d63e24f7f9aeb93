"""Relations and follow-ups in a real browser at 1024×768: a member's lunar birthday (农历
腊月十八) appears on the clerk's birthday list on this year's solar date with a greeting, and
the copy button puts the greeting on the clipboard; festivals, the weekly contact list
(planned with one tap) and the gift list; the clerk's follow-ups with the callback script;
the manager's list of everyone's follow-ups, filtered by kind; the manager's calendar with a
day closed. Screenshots of each new screen."""
from __future__ import annotations

from datetime import UTC, date, datetime

import factories
import pytest
from browser_helpers import PIN, SCREENS, in_view, make_staff_in, sign_in
from playwright.sync_api import expect
from sqlalchemy import func, select

from showroom.clock import set_now
from showroom.extensions import db
from showroom.followups.models import CalendarDay, FollowUp
from showroom.reception.services import start_visit

pytestmark = pytest.mark.browser
MONDAY_10 = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # Monday 7 Dec 2026, 10:00 Shanghai


def _view(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"))  # the 1024×768 viewport as seen


def _in_view(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    in_view(page, selector)


def _count(app, **where) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        q = select(func.count()).select_from(FollowUp)
        for k, v in where.items():
            q = q.where(getattr(FollowUp, k) == v)
        n = db.session.scalar(q)
        db.session.rollback()
        return int(n or 0)


def test_lunar_birthday_greeting_and_the_managers_list(live_server, new_page):
    app, base = live_server.app, live_server.url
    set_now(MONDAY_10)
    clerk = make_staff_in(app, "clerk", staff_no="2101", name="李店员")
    make_staff_in(app, "manager", staff_no="7101", name="张经理")
    with app.app_context():
        member = factories.customer(name="陈美玲", phone="13912340001")
        member.member, member.owner_id = True, clerk["id"]
        member.birthday, member.birthday_lunar = date(1976, 12, 18), True  # 农历腊月十八
        a = factories.customer(name="金凤首饰行", phone="13912340002")
        a.level, a.owner_id, a.birthday = "A", clerk["id"], date(1982, 12, 20)
        b = factories.customer(name="宏达银饰", phone="13912340003")
        b.level, b.owner_id = "B", clerk["id"]
        db.session.flush()
        start_visit(member.id)  # a member's visit: a callback within 3 working days
        db.session.commit()
    try:
        _flow(app, base, new_page)
    finally:
        set_now(None)


def _flow(app, base, new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page(1024, 768)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    sign_in(page, base, "2101", PIN)

    # the birthday list: the lunar birthday on 2027-01-25, with its greeting to copy
    page.goto(f"{base}/relations/birthdays?days=60")
    row = page.locator('#birthdays tr[data-on="2027-01-25"]')
    expect(row).to_contain_text("陈美玲")
    expect(row).to_contain_text("农历腊月十八")
    box = row.locator("textarea")
    expect(box).to_have_value("亲爱的陈美玲，祝您生日快乐！愿您身体健康、幸福美满、生意兴隆！——银饰批发展厅")
    _in_view(page, "#plan-greetings")
    _view(page, "relations-birthdays")
    row.locator(".rel-copy").click()
    expect(row.locator(".rel-copy")).to_have_text("已复制")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == box.input_value()

    # festivals and the gift list
    page.goto(f"{base}/relations/festivals?days=90")
    fest = page.locator('[data-festival="spring_festival"]')
    expect(fest).to_have_attribute("data-on", "2027-02-06")
    expect(fest).to_contain_text("亲爱的金凤首饰行，新春快乐")
    _view(page, "relations-festivals")
    page.goto(f"{base}/relations/gifts")
    expect(page.locator("#gifts")).to_contain_text("金凤首饰行")
    expect(page.locator("#gifts")).not_to_contain_text("宏达银饰")
    _view(page, "relations-gifts")

    # the weekly contact list: cadence said, planned with one tap (once per week)
    page.goto(f"{base}/relations/weekly")
    expect(page.locator("#cadence")).to_contain_text("A级：每周联系")
    _in_view(page, "#plan-week")
    page.click("#plan-week")
    expect(page.locator(".flash, .flashes, [role=alert]").first).to_contain_text("每周联系")
    assert _count(app, kind="weekly_contact") == 2
    _view(page, "relations-weekly")

    # my follow-ups: the member's visit callback and this week's contacts; the script
    page.goto(f"{base}/followups/")
    visit_row = page.locator('tr[data-kind="visit_callback"]')
    expect(visit_row).to_contain_text("陈美玲")
    visit_row.locator("summary").click()
    expect(visit_row.locator('[data-part="satisfied"]')).to_contain_text("谢谢您，打扰了")
    _in_view(page, 'tr[data-kind="visit_callback"] button[type=submit]')
    _view(page, "followups-mine")
    weekly_row = page.locator('tr[data-kind="weekly_contact"]').first
    weekly_row.locator("select[name=outcome]").select_option("satisfied")
    weekly_row.locator("textarea[name=note]").fill("想看新款手镯")
    weekly_row.locator("button[type=submit]").click()
    expect(page.locator('tr[data-kind="weekly_contact"]')).to_have_count(1)
    assert _count(app, kind="weekly_contact", outcome="satisfied") == 1

    # the manager: everyone's follow-ups, filtered by kind; the calendar
    boss = new_page(1024, 768)
    sign_in(boss, base, "7101", PIN)
    boss.goto(f"{base}/followups/?all=1")
    expect(boss.locator("tr.fu-row")).to_have_count(2)
    expect(boss.locator("#followups")).to_contain_text("李店员")
    _view(boss, "followups-manager")
    boss.select_option("#fu-filters select[name=kind]", "visit_callback")
    boss.click("#fu-filters button[type=submit]")
    expect(boss.locator("tr.fu-row")).to_have_count(1)
    expect(boss.locator("tr.fu-row")).to_contain_text("陈美玲")
    _view(boss, "followups-manager-filtered")

    boss.goto(f"{base}/followups/calendar")
    boss.fill("#cal-day", "2026-12-31")
    boss.check("#calendar-form input[name=working][value='0']")
    boss.fill("#calendar-form input[name=note]", "年终盘点")
    _in_view(boss, "#cal-save")
    boss.click("#cal-save")
    expect(boss.locator('#calendar-days tr[data-day="2026-12-31"]')).to_contain_text("年终盘点")
    _view(boss, "followups-calendar")
    with app.app_context():
        day = db.session.get(CalendarDay, date(2026, 12, 31))
        assert day is not None and not day.working
        db.session.rollback()
