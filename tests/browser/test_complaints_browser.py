"""A complaint through every gate in a real browser at 1024×768 (issue 13): reception logs
a phone complaint; a manager judges it, a clerk investigates and proposes, another manager
approves (the proposer is not offered the approval), the cashier implements it as an
exchange made through the after-sales services, the customer signs on the tablet; the
next day (clock moved) the complaint callback is on reception's list, its script shown,
and the rating given on the call closes the complaint; the PDF carries the signature; the
statistics page's charts draw (non-empty canvases) and the table beside each equals the
API's figures. Screenshots of each screen."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import aftersales_support as S
import factories
import pytest
from browser_helpers import PIN, SCREENS, in_view, make_staff_in, sign_in
from playwright.sync_api import expect
from sqlalchemy import select

from showroom.aftersales.services import make_return
from showroom.clock import set_now
from showroom.complaints.models import Complaint
from showroom.extensions import db
from showroom.followups.models import FollowUp

pytestmark = pytest.mark.browser
MONDAY_10 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
TUESDAY_9 = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # the next working day's opening
TUESDAY_10 = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)

INK = """sel => { const c = document.querySelector(sel); if (!c) return -1;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""


def _view(page: Any, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"))  # the 1024×768 viewport as seen


def _in_view(page: Any, selector: str) -> None:
    in_view(page, selector)


def _watch_csp(page: Any, seen: list[str]) -> Any:
    page.on("console", lambda msg: seen.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None)
    return page


def _status(page: Any, status: str) -> None:
    expect(page.locator("#complaint-status")).to_have_attribute("data-status", status)


def test_complaint_through_every_gate(live_server, new_page):
    app, base = live_server.app, live_server.url
    set_now(MONDAY_10)
    with app.app_context():
        c = factories.customer(name="王丽华饰品店", phone="13912345678")
        p = factories.product(code="SL-0001", wholesale=12_000, stock=20)
        order = S.sold(c.id, [(p, 2)], how="shipped")
        world = {"customer": c.id, "product": p.id, "barcode": p.barcode,
                 "line": S.line_of(order, p).id}
        db.session.commit()
    make_staff_in(app, "reception", staff_no="1101", name="前台小李")
    make_staff_in(app, "manager", staff_no="7001", name="张经理")
    make_staff_in(app, "manager", staff_no="7002", name="刘经理")
    make_staff_in(app, "clerk", staff_no="3001", name="业务小王")
    cashier = make_staff_in(app, "cashier", staff_no="2001", name="收银小陈")
    try:
        _flow(app, base, new_page, world, cashier)
    finally:
        set_now(None)


def _flow(app: Any, base: str, new_page: Any, world: dict[str, Any],
          cashier: dict[str, Any]) -> None:
    # reception logs a phone complaint from the reception board
    csp: list[str] = []
    desk = _watch_csp(new_page(1024, 768), csp)
    sign_in(desk, base, "1101", PIN)
    desk.goto(f"{base}/reception/")
    _in_view(desk, "#nav-complaint")
    desk.click("#phone-complaint")
    desk.fill("#complaint-q", "王丽华")
    desk.press("#complaint-q", "Enter")
    desk.click("a[data-customer]")
    expect(desk.locator("#complaint-customer")).to_have_text("王丽华饰品店")
    expect(desk.locator("#complaint-channel")).to_have_value("phone")
    desk.select_option("#complaint-category", "quality")
    desk.fill("#complaint-text", "上周买的银项链戴了三天就掉色，要求换货。")
    _in_view(desk, "#complaint-submit")
    _view(desk, "complaints-record")
    desk.click("#complaint-submit")
    expect(desk.locator("#complaint-number")).to_contain_text("TS-20261123-0001")
    _status(desk, "recorded")
    expect(desk.locator("#step-judge")).to_be_visible()
    _view(desk, "complaints-recorded")
    cid = desk.url.rstrip("/").split("/")[-1]

    # a manager judges it: it stands
    m1 = _watch_csp(new_page(1024, 768), csp)
    sign_in(m1, base, "7001", PIN)
    m1.goto(f"{base}/complaints/{cid}")
    m1.check("#step-judge input[name=stands][value='1']")
    m1.fill("#step-judge textarea[name=explanation]", "电镀层脱落属质量问题，向客户致歉。")
    _in_view(m1, "#step-judge button[type=submit]")
    _view(m1, "complaints-judge")
    m1.click("#step-judge button[type=submit]")
    _status(m1, "judged")

    # a clerk investigates and proposes
    clerk = new_page(1024, 768)
    sign_in(clerk, base, "3001", PIN)
    clerk.goto(f"{base}/complaints/{cid}")
    clerk.fill("#step-investigate input[name=department]", "品控部")
    clerk.fill("#step-investigate textarea[name=finding]", "该批次电镀层偏薄")
    clerk.click("#step-investigate button[type=submit]")
    _status(clerk, "investigated")
    clerk.fill("#step-propose textarea[name=solution]", "同款换货，运费我方承担")
    clerk.click("#step-propose button[type=submit]")
    _status(clerk, "proposed")
    expect(clerk.locator("[data-waiting=approve]")).to_be_visible()
    expect(clerk.locator("#step-approve")).to_have_count(0)

    # another manager approves
    m2 = new_page(1024, 768)
    sign_in(m2, base, "7002", PIN)
    m2.goto(f"{base}/complaints/{cid}")
    m2.check("#step-approve input[name=approved][value='1']")
    m2.fill("#step-approve textarea[name=note]", "同意")
    _in_view(m2, "#step-approve button[type=submit]")
    _view(m2, "complaints-approve")
    m2.click("#step-approve button[type=submit]")
    _status(m2, "approved")

    # the cashier makes the exchange (after-sales services) and implements with it
    with app.app_context():
        doc = make_return(S.request(world["customer"], [(world["line"], 1)], kind="exchange",
                                    reason="goods_differ", confirmed=True,
                                    replacements=[(world["barcode"], 1)]),
                          staff_id=cashier["id"], station="cashier-1")
        number, doc_id = doc.number, doc.id
        db.session.commit()
    till = _watch_csp(new_page(1024, 768), csp)
    sign_in(till, base, "2001", PIN)
    till.goto(f"{base}/complaints/{cid}")
    till.select_option("#implement-doc", str(doc_id))
    till.fill("#step-implement textarea[name=note]", f"已换货 {number}")
    _in_view(till, "#step-implement button[type=submit]")
    _view(till, "complaints-implement")
    till.click("#step-implement button[type=submit]")
    _status(till, "implemented")
    expect(till.locator("[data-linked-doc]")).to_be_visible()

    # the customer signs on the tablet
    _in_view(till, "#open-pad")
    till.click("#open-pad")
    canvas = till.locator("canvas[data-signature-pad]")
    expect(canvas).to_have_attribute("data-ready", "1")
    box = canvas.bounding_box()
    assert box is not None
    x, y = box["x"], box["y"] + box["height"] / 2
    till.mouse.move(x + 40, y)
    till.mouse.down()
    for dx, dy in ((90, -40), (150, 30), (220, -30), (300, 20)):
        till.mouse.move(x + dx, y + dy, steps=4)
    till.mouse.up()
    expect(canvas).to_have_attribute("data-strokes", "1")
    _view(till, "complaints-sign")
    till.click("[data-pad-save]")
    _status(till, "accepted")
    expect(till.locator("#complaint-signature")).to_be_visible()
    till.wait_for_function(  # the signature image loads after the page
        "() => { const i = document.querySelector('#complaint-signature');"
        " return i && i.complete && i.naturalWidth > 0; }")
    assert till.locator("#complaint-signature").evaluate("i => i.naturalWidth") > 50
    _view(till, "complaints-accepted")
    pdf = till.request.get(f"{base}/complaints/{cid}/report.pdf")
    assert pdf.ok and b"/Image" in pdf.body()
    with app.app_context():
        f = db.session.scalars(select(FollowUp)).one()
        assert (f.kind, f.source_type, f.due_at) == ("complaint_callback", "complaint",
                                                     TUESDAY_9)

    # the next day: the callback is on reception's list with its script; the rating closes it
    set_now(TUESDAY_10)
    sign_in(desk, base, "1101", PIN)
    desk.goto(f"{base}/followups/")
    row = desk.locator("tr[data-kind=complaint_callback]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("王丽华饰品店")
    row.locator("summary").click()
    expect(row.locator("[data-part=opening]")).to_be_visible()
    expect(row.locator("[data-part=satisfied]")).not_to_be_empty()
    row.locator("select[name=outcome]").select_option("satisfied")
    row.locator("select[name=rating]").select_option("5")
    row.locator("textarea[name=note]").fill("处理及时，满意")
    _view(desk, "complaints-callback-script")
    row.locator("button[type=submit]").click()
    expect(desk.locator("tr[data-kind=complaint_callback]")).to_have_count(0)
    desk.goto(f"{base}/complaints/{cid}")
    _status(desk, "closed")
    expect(desk.locator("#complaint-rating")).to_have_text("5 / 5")
    _view(desk, "complaints-closed")
    with app.app_context():
        c = db.session.get(Complaint, int(cid))
        assert c is not None and c.rating == 5 and c.aftersales_doc_id == doc_id

    # the list, and the statistics: charts drawn, tables equal to the API's figures
    sign_in(m1, base, "7001", PIN)
    m1.goto(f"{base}/complaints/")
    expect(m1.locator("#complaint-list tr[data-complaint]")).to_have_count(1)
    _view(m1, "complaints-list")
    m1.goto(f"{base}/complaints/stats")
    for chart in ("category", "status", "month"):
        expect(m1.locator(f"#chart-{chart} canvas")).to_have_count(1)
        assert m1.evaluate(INK, f"#chart-{chart} canvas") > 100, chart
    _view(m1, "complaints-stats")
    m1.screenshot(path=str(SCREENS / "complaints-stats-full.png"), full_page=True)
    token = m1.request.post(f"{base}/api/v1/auth/token",
                            data={"staff_no": "7001", "pin": PIN}).json()["token"]
    api = m1.request.get(f"{base}/api/v1/complaints/stats",
                         headers={"Authorization": f"Bearer {token}"}).json()
    for chart, key in (("category", "by_category"), ("status", "by_status"),
                       ("month", "by_month")):
        rows = m1.locator(f"#table-{chart} tr[data-key]")
        shown = {rows.nth(i).get_attribute("data-key"):
                 int(rows.nth(i).locator("td[data-value]").get_attribute("data-value") or -1)
                 for i in range(rows.count())}
        assert shown == api[key], chart
    assert api["by_status"]["closed"] == 1 and api["stands_share"] == 1.0
    assert csp == []  # ECharts, the pad and the JSON block need no inline script or style
