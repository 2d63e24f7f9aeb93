"""The Content-Security-Policy (issue 9) in a real browser: the manager walks the screens
(reception, picking, cashier, packing bench, shipping, print jobs, printers) and the
browser reports no violation — no inline script, style or handler was left behind — and
the scripts that moved to static/ still work (the ship form's rate hints)."""
from __future__ import annotations

from typing import Any

import factories
import pytest
from browser_helpers import make_staff_in, sign_in
from shipping_factories import demo_rates, packed_order

from printing.documents import to_payload
from printing.samples import sample
from showroom.extensions import db
from showroom.orders.services import add_line, create_order
from showroom.printjobs.services import queue_job
from showroom.reception.services import start_visit
from showroom.settlement.services import PaymentIn, settle

pytestmark = pytest.mark.browser


def _world(app: Any) -> dict[str, int]:
    with app.app_context():
        demo_rates()
        cust = factories.customer(name="策略客户")
        product = factories.product(code="CSP-1", barcode="6900000077771", stock=20)
        visit = start_visit(cust.id)
        picking = create_order(cust.id, visit_id=visit.id)
        add_line(picking.id, barcode=product.barcode, qty=1)
        settled = factories.order_with_lines(cust.id, [(product, 2)])
        settle(settled.id, [PaymentIn("cash", settled.total)], cashier_id=None)
        packed = packed_order(name="发货客户", region="浙江 义乌", preferred_carrier="sf_express")
        job = queue_job("cash_receipt", to_payload(sample("cash_receipt")), station="cashier-1")
        db.session.commit()
        return {"visit": visit.id, "picking": picking.id, "settled": settled.id,
                "packed": packed.id, "job": job.id}


def test_no_screen_breaks_the_content_security_policy(live_server, browser_page):
    world = _world(live_server.app)
    make_staff_in(live_server.app, "manager", staff_no="1799", name="蔡主管")
    base, page = live_server.url, browser_page
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None)
    sign_in(page, base, "1799", "246810")
    for path in ("/reception/", f"/reception/visits/{world['visit']}", "/reception/inquiries",
                 "/picking/", f"/picking/orders/{world['picking']}", "/picking/tasks",
                 "/cashier/", f"/packing/orders/{world['settled']}", "/packing/",
                 "/shipping/", "/shipping/rates", f"/print-jobs/{world['job']}", "/print-jobs/",
                 "/print-jobs/printers", "/print-jobs/samples", "/customers/"):
        resp = page.goto(base + path)
        assert resp is not None and resp.status < 400, path
        page.wait_for_load_state("load")
    page.goto(f"{base}/shipping/orders/{world['packed']}")
    page.wait_for_selector("#ship-form")
    page.check("input[name=carrier][value=sto_express]")
    assert page.inner_text("#waybill-hint")  # ship.js read the rate hints and runs
    page.fill("#weight", "2")
    assert page.inner_text("#fee-suggest")
    assert violations == []
