"""The customer file in a real browser at 1024×768: reception opens a customer, fills the
file (a lunar birthday, level A, the owner clerk, a contact), sees the history with an
earlier visit and order; a manager sees the customer's remark in the inbox and marks it
handled; the inquiry history. Screenshots of each new screen, the primary action in view."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import factories
import pytest
from browser_helpers import PIN, SCREENS, in_view, make_staff_in, sign_in
from playwright.sync_api import expect

from showroom.clock import set_now
from showroom.customers.models import Customer, CustomerContact
from showroom.extensions import db
from showroom.picking.models import Remark
from showroom.reception.services import log_inquiry, start_visit

pytestmark = pytest.mark.browser
EARLIER = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # Friday 11:00 in Shanghai


def _view(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"))  # the 1024×768 viewport as seen


def _in_view(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    in_view(page, selector)


def _setup(app) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        set_now(EARLIER)
        c = factories.customer(name="陈记银饰", phone="13866667777")
        start_visit(c.id)
        set_now(EARLIER + timedelta(minutes=40))
        order = factories.settled_order(c.id, [(factories.product(name="925银手镯"), 2)])
        db.session.add(Remark(customer_id=c.id, kind="complaint", text="上次手镯的包装盒破了"))
        log_inquiry(channel="phone", caller_name="黄小姐", region="温州", phone="13500001111",
                    question="有没有新款耳环", reason="想开店", staff_id=None, urgency="A")
        db.session.commit()
        set_now(None)
        return c.id, order.number


def test_customer_file_history_and_inbox(live_server, new_page):
    app, base = live_server.app, live_server.url
    make_staff_in(app, "reception", staff_no="1201", name="前台小王")
    make_staff_in(app, "clerk", staff_no="3301", name="跟单阿美")
    make_staff_in(app, "manager", staff_no="7101", name="刘经理")
    cid, number = _setup(app)

    desk = new_page(1024, 768)
    sign_in(desk, base, "1201", PIN)
    desk.goto(f"{base}/customers/?q=陈记")
    expect(desk.locator("td.last-contact").first).to_contain_text("11-20")
    desk.click("text=陈记银饰")
    desk.click("#open-file")
    expect(desk.locator("#customer-file")).to_be_visible()
    _view(desk, "customer-file-empty")
    _in_view(desk, "#save-file")

    desk.check("input[name=member]")
    desk.select_option("select[name=gender]", "f")
    desk.fill("input[name=birthday]", "08-15")
    desk.check("input[name=birthday_lunar]")
    desk.select_option("select[name=level]", "A")
    desk.select_option("select[name=owner_staff_no]", "3301")
    desk.fill("textarea[name=interests]", "喜欢古法银饰，爱喝茶")
    desk.click("#save-file")
    expect(desk.locator("#birthday-text")).to_contain_text("8")
    expect(desk.locator("#birthday-text")).to_contain_text("跟单阿美")
    expect(desk.locator("[data-level=A]")).to_be_visible()

    desk.click("#add-contact summary")
    form = desk.locator("#add-contact form")
    form.locator("input[name=name]").fill("陈太太")
    form.locator("input[name=phone]").fill("139-0000-1111")
    form.locator("input[name=wechat]").fill("chen_taitai")
    form.locator("input[name=role]").fill("老板娘")
    desk.click("#save-contact")
    expect(desk.locator("#contacts [data-contact]")).to_have_count(1)
    expect(desk.locator("#contacts [data-contact]")).to_contain_text("13900001111")
    _view(desk, "customer-file-filled")
    with app.app_context():
        c = db.session.get(Customer, cid)
        assert (c.member, c.level, c.birthday, c.birthday_lunar) == (True, "A",
                                                                     date(1904, 8, 15), True)
        assert db.session.query(CustomerContact).count() == 1
        db.session.rollback()

    # a bad birthday: refused by field, nothing written
    desk.fill("input[name=birthday]", "13-45")
    desk.click("#save-file")
    expect(desk.locator("[data-error-for=birthday]")).to_be_visible()
    _view(desk, "customer-file-bad-birthday")

    desk.click("#tab-history")
    expect(desk.locator("tr.ev-visit")).to_have_count(1)
    expect(desk.locator("tr.ev-order")).to_contain_text(number)
    expect(desk.locator("tr.ev-remark")).to_contain_text("包装盒破了")
    _view(desk, "customer-history")

    # reception's inquiry log (urgency A/B/C) and the history of every inquiry
    desk.goto(f"{base}/reception/inquiries")
    expect(desk.locator("select[name=urgency]")).to_be_visible()
    _view(desk, "inquiry-log-urgency")
    desk.click("#inquiry-history-link")
    expect(desk.locator("[data-inquiry]")).to_have_count(1)
    _view(desk, "inquiry-history")
    desk.click("text=建立客户档案")
    _in_view(desk, "#make-file")
    _view(desk, "inquiry-to-customer")

    # the manager's inbox: the remark, marked handled
    mgr = new_page(1024, 768)
    sign_in(mgr, base, "7101", PIN)
    mgr.goto(f"{base}/catalog/")
    expect(mgr.locator("#tile-inbox")).to_contain_text("1")
    mgr.click("#tile-inbox")
    expect(mgr.locator("#inbox-remarks")).to_contain_text("包装盒破了")
    _view(mgr, "manager-inbox")
    mgr.click("#inbox-remarks button[data-handle]")
    expect(mgr.locator("#inbox-remarks [data-remark]")).to_have_count(0)
    with app.app_context():
        r = db.session.query(Remark).one()
        assert r.handled_at is not None
        db.session.rollback()
    mgr.goto(f"{base}/inbox/?handled=1")
    expect(mgr.locator("#inbox-remarks")).to_contain_text("包装盒破了")
    _view(mgr, "manager-inbox-handled")
