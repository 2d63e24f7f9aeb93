"""Reception in a real browser: a late visitor flagged on the board, a new customer
registered at the door with a locker, a clerk assigned with one tap, the key checked
at leaving, and an inquiry read back before it is saved. Screenshots for a person."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import factories
import pytest
from browser_helpers import make_staff_in, shot, sign_in
from playwright.sync_api import expect
from sqlalchemy import select

from showroom.clock import set_now
from showroom.customers.models import Customer
from showroom.extensions import db
from showroom.reception import services as svc
from showroom.reception.models import Inquiry, Visit

pytestmark = pytest.mark.browser


def _setup(app) -> None:
    with app.app_context():
        late = factories.customer(name="陈老板", phone="13911112222")
        greeted = factories.customer(name="黄小姐", phone="13733334444", kind="franchise")
        set_now(datetime.now(UTC) - timedelta(hours=26))
        svc.log_inquiry(channel="online", caller_name="吴老板", region="江西赣州",
                        phone="13800135000", question="手链批发起订量是多少?", reason="",
                        staff_id=None)
        set_now(datetime.now(UTC) - timedelta(minutes=2, seconds=5))
        svc.start_visit(late.id, locker_no="3", purpose="看新款")
        set_now(datetime.now(UTC) - timedelta(minutes=20, seconds=5))
        v = svc.start_visit(greeted.id, purpose="补货")
        svc.log_inquiry(channel="phone", caller_name="刘女士", region="湖南长沙",
                        phone="13700002222", question="加盟需要什么条件?", reason="想在长沙开店",
                        staff_id=None, escalated=True)
        set_now(datetime.now(UTC) - timedelta(minutes=19, seconds=30))
        svc.greet(v.id, water_offered=True)
        set_now(None)
        db.session.commit()


def test_reception_door_to_clerk(live_server, browser_page):
    app, url, page = live_server.app, live_server.url, browser_page
    make_staff_in(app, "reception", staff_no="1001", name="周前台")
    make_staff_in(app, "clerk", staff_no="2001", name="李跟单")
    make_staff_in(app, "clerk", staff_no="2002", name="王跟单")
    _setup(app)
    sign_in(page, url, "1001", "246810")
    page.goto(f"{url}/reception/")  # the floor's language: Chinese
    late_row = page.locator("tr.late")
    assert late_row.count() == 1 and "陈老板" in late_row.inner_text()
    assert late_row.locator(".badge.late").is_visible()

    # a new customer at the door: one search box finds nobody, so register in seconds
    page.click("a[href$='/reception/visits/new']")
    page.fill("input[name=q]", "陈")
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state()
    assert "陈老板" in page.locator(".rc-results").inner_text()
    page.fill("input[name=q]", "13655556666")
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state()
    assert page.locator(".notice").is_visible()
    form = page.locator("form[action$='/visits/register']")
    form.locator("input[name=name]").fill("赵六")
    form.locator("input[name=phone]").fill("13655556666")
    form.locator("label.rc-choice:has(input[value=franchise])").click()
    form.locator("input[name=locker_no]").fill("8")
    form.locator("input[name=purpose]").fill("第一次来,看加盟")
    form.locator("label.rc-check:has(input[name=water_offered])").click()
    shot(page, "reception-new-visit")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "赵六" in page.locator("h1").inner_text()
    shot(page, "reception-visit")

    # leaving without the key is refused with a clear message
    page.click("form[action$='/leave'] button[type=submit]")
    page.wait_for_load_state()
    assert "钥匙" in page.locator(".flash.error").inner_text()

    # one tap on the clerk's name; back on the board the visit shows the clerk
    page.click("button.rc-clerk:has-text('李跟单')")
    page.wait_for_url("**/reception/")
    assert "李跟单" in page.locator(".flash.success").inner_text()
    row = page.locator("tr:has-text('赵六')")
    assert "李跟单" in row.inner_text() and "8" in row.inner_text()
    shot(page, "reception-board")
    with app.app_context():
        c = db.session.scalars(select(Customer).where(Customer.name == "赵六")).one()
        v = db.session.scalars(select(Visit).where(Visit.customer_id == c.id)).one()
        assert (c.kind, v.status, v.locker_no, v.water_offered) == ("franchise", "with_clerk",
                                                                    "8", True)
        assert [x.id for x in svc.clerk_visits(v.clerk_id)] == [v.id]

    # an inquiry: read back first, then save; the due list shows it
    page.click("a[href$='/reception/inquiries']")
    page.fill("input[name=caller_name]", "孙先生")
    page.fill("input[name=phone]", "13566667777")
    page.fill("input[name=region]", "广西南宁")
    page.fill("textarea[name=question]", "有没有新款耳钉的价格表?")
    page.fill("textarea[name=reason]", "准备下个月进货")
    page.click("button[value=review]")
    page.wait_for_load_state()
    assert "13566667777" in page.locator(".rc-readback").inner_text()
    shot(page, "reception-inquiries")
    page.click("button[value=save]")
    page.wait_for_load_state()
    expect(page.locator(".rc-cbitem:has-text('孙先生')")).to_have_count(1)
    with app.app_context():
        assert db.session.scalars(select(Inquiry).where(Inquiry.caller_name == "孙先生")).one()
