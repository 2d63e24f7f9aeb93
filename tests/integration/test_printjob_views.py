"""Print-jobs screen through the test client: station filter, problems first, reprint, preview."""
from __future__ import annotations

import factories
import pytest
from sqlalchemy import select

from showroom.extensions import db
from showroom.printjobs.models import PrintJob
from showroom.printjobs.services import queue_job
from showroom.settlement.services import PaymentIn, settle


@pytest.fixture
def jobs(app):
    """A settled order (sales slip ×3 + cash receipt at cashier-1), a failed locker ticket."""
    with app.app_context():
        cust = factories.customer(name="陈七")
        p = factories.product(code="P-EAR", wholesale=2_550)
        order = factories.order_with_lines(cust.id, [(p, 2)])
        settle(order.id, [PaymentIn("cash", 5_100, 6_000)], cashier_id=None)
        ticket = queue_job("locker_ticket", {"locker": "17", "customer": {"name": "陈七"}},
                           ref="L-17")
        ticket.status, ticket.error = "failed", "printer offline"
        db.session.commit()
        ids = {j.document: j.id for j in db.session.scalars(select(PrintJob))}
        return ids | {"number": order.number}


def test_station_screen_lists_problems_first(client, login_as, jobs):
    login_as("clerk")
    page = client.get("/print-jobs/").get_data(as_text=True)
    assert page.index("printer offline") < page.index("<strong>销售单</strong>")
    assert 'class="card problems"' in page
    cashier = client.get("/print-jobs/?station=cashier-1").get_data(as_text=True)
    assert "<strong>销售单</strong>" in cashier and "printer offline" not in cashier
    assert "reception" in cashier  # the chooser still offers every station


def test_station_lists_the_latest_30_jobs_and_older_ones_on_request(app, client, login_as):
    """The station page polls every 15 s: it renders the latest 30 jobs, not 100, and
    "show older jobs" lists up to 200 (and keeps polling that list)."""
    with app.app_context():
        for i in range(35):
            job = queue_job("locker_ticket", {"locker": str(i), "customer": {"name": "陈七"}},
                            ref=f"L-{i}", station="reception")
            job.status = "printed"
        db.session.commit()
    login_as("clerk")
    page = client.get("/print-jobs/?station=reception").get_data(as_text=True)
    assert page.count('<tr class="job printed">') == 30
    assert "L-34" in page and "L-4<" not in page and "more=1" in page
    older = client.get("/print-jobs/?station=reception&more=1").get_data(as_text=True)
    assert older.count('<tr class="job printed">') == 35
    assert "显示更早的打印任务" not in older and 'hx-get="/print-jobs/?station=reception&amp;more=1"' in older


def test_preview_renders_the_snapshot(client, login_as, jobs):
    login_as("cashier")  # a sales slip shows debts: cashier and manager only
    slip = client.get(f"/print-jobs/{jobs['sales_slip']}").get_data(as_text=True)
    for label in ("第一联 存根", "第二联 保管", "第三联 客户"):
        assert label in slip
    assert jobs["number"] in slip and "¥51.00" in slip and "P-EAR" in slip
    receipt = client.get(f"/print-jobs/{jobs['cash_receipt']}").get_data(as_text=True)
    assert "收您\u00a0¥60.00，找您\u00a0¥9.00" in receipt
    ticket = client.get(f"/print-jobs/{jobs['locker_ticket']}").get_data(as_text=True)
    assert ">17<" in ticket
    assert client.get("/print-jobs/999999").status_code == 404


def test_reprint_queues_a_marked_copy(app, client, login_as, jobs):
    login_as("cashier")
    early = client.post(f"/print-jobs/{jobs['sales_slip']}/reprint", follow_redirects=True)
    assert "has not printed yet" in early.get_data(as_text=True) or "尚未打印" in early.get_data(as_text=True)
    with app.app_context():
        db.session.get(PrintJob, jobs["sales_slip"]).status = "printed"
        db.session.commit()
    resp = client.post(f"/print-jobs/{jobs['sales_slip']}/reprint",
                       data={"next": "/print-jobs/?station=cashier-1"})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("station=cashier-1")
    with app.app_context():
        new = db.session.execute(select(PrintJob).where(PrintJob.reprint.is_(True))).scalar_one()
        assert (new.reprint_of_id, new.status, new.document) == (
            jobs["sales_slip"], "queued", "sales_slip")
        new_id = new.id
    page = client.get(f"/print-jobs/{new_id}").get_data(as_text=True)
    assert "重印 / REPRINT" in page
    assert client.post("/print-jobs/999999/reprint").status_code == 404


def test_htmx_refresh_returns_the_list_only(client, login_as, jobs):
    login_as("clerk")
    part = client.get("/print-jobs/", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<strong>销售单</strong>" in part and "<html" not in part
