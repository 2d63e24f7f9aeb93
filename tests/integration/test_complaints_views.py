"""Complaint screens through the client: the record button on every screen, recording a
phone complaint (bad input 422 with nothing written, a double submit recorded once), the
page showing only the step the signed-in role may take, a refused step (out of order,
approver = proposer) with nothing written, the signature, the PDF with the signature,
the print job, the list (overdue first) and the manager's statistics page."""
from __future__ import annotations

import base64
import re
import subprocess
import uuid
from pathlib import Path
from typing import Any

import factories
import pytest
from complaint_support import MONDAY_10, walk, world
from sqlalchemy import func, select

from showroom.clock import set_now
from showroom.complaints.models import Complaint, ComplaintStepLog
from showroom.extensions import db
from showroom.printjobs.models import PrintJob

TOKEN = re.compile(r'name="token" (?:type="hidden" )?value="([^"]+)"')


def token(html: str) -> str:
    m = TOKEN.search(html) or re.compile(r'id="token" name="token" type="hidden" value="([^"]+)"'
                                         ).search(html)
    assert m, html[:2000]
    return m.group(1)


@pytest.fixture
def w(app: Any) -> dict[str, Any]:
    with app.app_context():
        out = world()
        return {k: v.id for k, v in out.items()}


def count(app: Any) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Complaint)) or 0,
                db.session.scalar(select(func.count()).select_from(ComplaintStepLog)) or 0)


def test_record_button_on_every_screen(client, login_as):
    login_as("packer")
    html = client.get("/packing/").get_data(as_text=True)
    assert 'id="nav-complaint"' in html and "/complaints/new" in html


def test_record_a_phone_complaint_once(app, client, login_as):
    set_now(MONDAY_10)
    login_as("reception")
    page = client.get("/complaints/new?channel=phone").get_data(as_text=True)
    assert 'value="phone" selected' in page or "selected" in page
    form = {"token": token(page), "caller": "李先生", "phone": "13800138000", "channel": "phone",
            "category": "quality", "text": "项链掉色"}
    first = client.post("/complaints/new", data=form)
    again = client.post("/complaints/new", data=form)
    assert first.status_code == again.status_code == 303
    assert count(app) == (1, 0)
    shown = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "TS-20261123-0001" in shown and "项链掉色" in shown


@pytest.mark.parametrize("over", [{"text": ""}, {"category": "nope"}, {"caller": ""},
                                  {"phone": "12"}, {"text": "坏\u202e字"}])
def test_bad_record_422_nothing_written(app, client, login_as, over):
    login_as("clerk")
    page = client.get("/complaints/new").get_data(as_text=True)
    form = {"token": token(page), "caller": "李先生", "phone": "13800138000", "channel": "phone",
            "category": "quality", "text": "项链掉色", **over}
    resp = client.post("/complaints/new", data=form)
    assert resp.status_code == 422 and "field-error" in resp.get_data(as_text=True)
    assert count(app) == (0, 0)


def _complaint(app: Any, w: dict[str, Any], status: str) -> int:
    with app.app_context():
        from showroom.auth.models import Staff
        from showroom.customers.models import Customer

        ws = {k: db.session.get(Customer if k == "customer" else Staff, v) for k, v in w.items()}
        return int(walk(ws, status).id)


def test_page_shows_only_the_step_the_role_may_take(app, client, login_as, w):
    cid = _complaint(app, w, "proposed")
    login_as("clerk")
    html = client.get(f"/complaints/{cid}").get_data(as_text=True)
    assert 'id="step-approve"' not in html and 'data-waiting="approve"' in html
    login_as("manager")
    html = client.get(f"/complaints/{cid}").get_data(as_text=True)
    assert 'id="step-approve"' in html


def test_out_of_order_and_approver_is_proposer_refused_on_screen(app, client, login_as, w):
    cid = _complaint(app, w, "investigated")
    login_as("manager")
    html = client.get(f"/complaints/{cid}").get_data(as_text=True)
    wrong = client.post(f"/complaints/{cid}/step", data={
        "token": token(html), "step": "implement", "note": "x"})
    assert wrong.status_code == 409 and 'data-rule="complaint_step"' in wrong.get_data(as_text=True)
    html = client.get(f"/complaints/{cid}").get_data(as_text=True)
    ok = client.post(f"/complaints/{cid}/step", data={"token": token(html), "step": "propose",
                                                      "solution": "换货"})
    assert ok.status_code == 303
    before = count(app)
    html = client.get(f"/complaints/{cid}").get_data(as_text=True)
    assert 'id="step-approve"' not in html  # the proposer is not offered the approval
    same = client.post(f"/complaints/{cid}/step", data={"token": str(uuid.uuid4()),
                                                        "step": "approve", "approved": "1"})
    assert same.status_code == 409
    assert 'data-rule="approver_is_proposer"' in same.get_data(as_text=True)
    assert count(app) == before


def test_signature_pdf_and_print(app, client, login_as, w, tmp_path: Path):
    cid = _complaint(app, w, "implemented")
    login_as("reception")
    html = client.get(f"/complaints/{cid}").get_data(as_text=True)
    assert "data-open-pad" in html
    empty = client.post(f"/complaints/{cid}/step", data={"token": token(html), "step": "accept"})
    assert empty.status_code == 409
    html = client.get(f"/complaints/{cid}").get_data(as_text=True)
    sig = "data:image/png;base64," + base64.b64encode(factories.signature_png()).decode()
    ok = client.post(f"/complaints/{cid}/step", data={"token": token(html), "step": "accept",
                                                      "signature_png": sig})
    assert ok.status_code == 303
    png = client.get(f"/complaints/{cid}/signature.png")
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    pdf = client.get(f"/complaints/{cid}/report.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "投诉处理单" in text and "客户签名确认" in text and "品控部" in text
    with app.app_context():
        assert b"/Subtype /Image" in pdf.data or b"/Image" in pdf.data
    client.post(f"/complaints/{cid}/print", data={})
    with app.app_context():
        job = db.session.scalars(select(PrintJob)).one()
        assert job.document == "complaint_report" and job.station == "manager"


def test_list_overdue_first_and_stats_for_managers(app, client, login_as, w):
    old = _complaint(app, w, "recorded")
    set_now(MONDAY_10.replace(day=27))  # Friday: Monday's complaint is overdue
    new = _complaint(app, w, "judged")
    login_as("clerk")
    html = client.get("/complaints/").get_data(as_text=True)
    assert html.index(f'/complaints/{old}"') < html.index(f'/complaints/{new}"')
    assert "data-overdue" in html
    assert client.get("/complaints/stats").status_code == 403
    login_as("manager")
    stats = client.get("/complaints/stats").get_data(as_text=True)
    assert 'id="complaint-stats"' in stats and 'id="chart-category"' in stats
    assert '<tr data-key="quality"><td>' in stats


@pytest.mark.parametrize("data", [
    {"step": "judge", "explanation": "没选"}, {"step": "judge", "stands": "1", "explanation": ""},
    {"step": "judge", "stands": "maybe", "explanation": "x"}, {"step": "fly"},
    {"step": "judge", "stands": "1", "explanation": "坏\u202e字"},
])
def test_bad_step_on_screen_422_nothing_written(app, client, login_as, w, data):
    cid = _complaint(app, w, "recorded")
    login_as("manager")
    html = client.get(f"/complaints/{cid}").get_data(as_text=True)
    before = count(app)
    resp = client.post(f"/complaints/{cid}/step", data={"token": token(html), **data})
    assert resp.status_code == 422
    assert count(app) == before


def test_unknown_complaint_404_and_signature_404(client, login_as):
    login_as("shipper")
    assert client.get("/complaints/999999").status_code == 404
    assert client.get("/complaints/999999/signature.png").status_code == 404
