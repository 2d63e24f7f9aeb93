"""The floor's screens in Chinese (the default) on a tablet: every button stays a touch
target (≥ 44 px tall) on one line, no page scrolls sideways, and the same screens switch
to English with ?lang=en. Screenshots zh-*.png for a person to read."""
from __future__ import annotations

from typing import Any

import factories
import pytest
from browser_helpers import make_staff_in, shot, sign_in

from showroom.extensions import db
from showroom.picking import services as picking
from showroom.printjobs.services import queue_job
from showroom.reception import services as reception
from showroom.settlement.services import PaymentIn, settle

pytestmark = pytest.mark.browser

TOO_SMALL = """() => [...document.querySelectorAll('.btn:not(.small), button:not(.small)')]
  .filter(b => b.offsetParent !== null && b.getBoundingClientRect().height < 44)
  .map(b => b.textContent.trim() + ' ' + Math.round(b.getBoundingClientRect().height))"""
WRAPPED = """() => [...document.querySelectorAll('.btn')]
  .filter(b => b.offsetParent !== null && b.getBoundingClientRect().height
               > parseFloat(getComputedStyle(b).minHeight) + 1)
  .map(b => b.textContent.trim())"""
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"


def _floor(app: Any, clerk_id: int) -> dict[str, int]:
    with app.app_context():
        area = factories.area(owner_id=clerk_id)
        ring = factories.product(code="JZ-1001", name="925银镶锆石花瓣开口戒指", area_id=area.id,
                                 care_note="避免接触香水和温泉，不戴时放入密封袋。")
        chain = factories.product(code="XL-2002", name="925银锁骨链 45厘米", area_id=area.id)
        waiting = factories.customer(name="陈老板", kind="franchise")
        reception.start_visit(waiting.id, locker_no="12", purpose="补货 看新款")
        buyer = factories.customer(name="周老板")
        visit = reception.start_visit(buyer.id, purpose="补戒指")
        reception.assign_clerk(visit.id, "1001")
        open_order = factories.order_with_lines(buyer.id, [(ring, 3), (chain, 1)], submitted=False)
        open_order.clerk_id = clerk_id
        queued = factories.order_with_lines(waiting.id, [(chain, 2)])
        paid = factories.order_with_lines(factories.customer(name="吴小姐").id, [(ring, 2)])
        settle(paid.id, [PaymentIn("cash", paid.total, paid.total + 1_250)], cashier_id=None)
        picking.record_wish(buyer.id, description="心形吊坠 45 厘米链", qty=2)
        picking.report_issue(chain.code, "missing_label", "吊牌掉了", None)
        job = queue_job("locker_ticket", {"locker_no": "12", "customer_name": "陈老板"}, ref="L-12")
        job.status, job.error = "failed", "paper out"
        db.session.commit()
        return {"open": open_order.id, "queued": queued.id, "paid": paid.id,
                "customer": buyer.id}


def test_chinese_screens_keep_touch_targets_and_fit(live_server: Any, new_page: Any) -> None:
    app, url = live_server.app, live_server.url
    boss = make_staff_in(app, "manager", "clerk", staff_no="1001", name="赵经理")
    ids = _floor(app, boss["id"])
    page = new_page(1024, 768)  # a 10-inch tablet in landscape
    sign_in(page, url, "1001", boss["pin"])
    screens = {
        "zh-reception-board": "/reception/",
        "zh-reception-new-visit": "/reception/visits/new?q=陈",
        "zh-inquiries": "/reception/inquiries",
        "zh-picking-order": f"/picking/orders/{ids['open']}",
        "zh-picking-tasks": "/picking/tasks",
        "zh-cashier-queue": "/cashier/",
        "zh-cashier-settle": f"/cashier/orders/{ids['queued']}",
        "zh-cashier-result": f"/cashier/orders/{ids['paid']}",
        "zh-customer": f"/customers/{ids['customer']}",
        "zh-print-jobs": "/print-jobs/",
        "zh-locker-ticket": "/print-jobs/1",  # the ticket reception printed for 陈老板
    }
    for name, path in screens.items():
        page.goto(url + path)
        assert page.locator("html").get_attribute("lang") == "zh-CN", path
        assert page.evaluate(TOO_SMALL) == [], (path, page.evaluate(TOO_SMALL))
        assert page.evaluate(WRAPPED) == [], (path, page.evaluate(WRAPPED))
        assert page.evaluate(SIDEWAYS) <= 0, path
        shot(page, name)
    page.goto(f"{url}/cashier/orders/{ids['paid']}?lang=en")
    assert "Received ¥" in page.locator(".result-change").inner_text()
    assert page.evaluate(TOO_SMALL) == []
    page.goto(f"{url}/cashier/orders/{ids['paid']}?lang=zh_CN")
    assert "收您" in page.locator(".result-change").inner_text()
