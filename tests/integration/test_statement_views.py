"""对账单 from the customer page: who may see it, the period form, the PDF download (text
checked with pdftotext, first page rendered with pdftoppm) and the queued print job."""
from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import factories
import pytest
from sqlalchemy import func, select

from showroom.clock import set_now
from showroom.customers.services import post_entry
from showroom.extensions import db
from showroom.printjobs.models import PrintJob

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "pdf"
NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)  # 14:00 in the showroom


def _at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def cust(app):
    with app.app_context():
        c = factories.customer(name="王丽华饰品店", phone="13912345678")
        for when, kind, amount, ref in [
            (_at(2026, 10, 12, 3), "sale", 120_000, "XS-20261012-0003"),
            (_at(2026, 11, 3, 3), "sale", 39_150, "XS-20261103-0001"),
            (_at(2026, 11, 3, 4), "payment", -30_000, "XS-20261103-0001"),
            (_at(2026, 11, 20, 5), "shipping_fee", 1_500, "XS-20261103-0001"),
        ]:
            set_now(when)
            post_entry(c.id, kind, amount, ref=ref, note="cash" if kind == "payment" else "")
        set_now(NOW)
        db.session.commit()
        return {"id": c.id, "code": c.code}


def _jobs(app) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(PrintJob)) or 0)


@pytest.mark.parametrize("role", ["manager", "cashier"])
def test_form_on_the_customer_page_defaults_to_this_month(client, login_as, cust, role):
    login_as(role)
    page = client.get(f"/customers/{cust['id']}").get_data(as_text=True)
    assert 'id="statement"' in page
    assert 'name="from" value="2026-11-01"' in page and 'name="to" value="2026-11-30"' in page
    assert f"/customers/{cust['id']}/statement.pdf" in page
    assert "下载 PDF" in page and "对账单" in page


@pytest.mark.parametrize("role", ["clerk", "reception", "packer"])
def test_roles_without_debts_get_no_statement(client, login_as, cust, app, role):
    login_as(role)
    page = client.get(f"/customers/{cust['id']}").get_data(as_text=True)
    assert 'id="statement"' not in page
    period = {"from": "2026-11-01", "to": "2026-11-30"}
    assert client.get(f"/customers/{cust['id']}/statement.pdf", query_string=period).status_code == 403
    assert client.post(f"/customers/{cust['id']}/statement.pdf", data=period).status_code == 403
    assert client.post(f"/customers/{cust['id']}/statement/print", data=period).status_code == 403
    assert _jobs(app) == 0


def test_unknown_customer_is_404(client, login_as, cust):
    login_as("manager")
    resp = client.get("/customers/999999/statement.pdf?from=2026-11-01&to=2026-11-30")
    assert resp.status_code == 404


def test_print_queues_a_statement_job_for_the_period(client, login_as, cust, app):
    login_as("manager")
    resp = client.post(f"/customers/{cust['id']}/statement/print",
                       data={"from": "2026-11-01", "to": "2026-11-30"})
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith("from=2026-11-01&to=2026-11-30#statement")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已加入打印队列" in page
    with app.app_context():
        job = db.session.scalars(select(PrintJob)).one()
        assert job.document == "customer_statement" and job.status == "queued"
        assert job.station == "manager" and job.copies == 1
        assert job.ref == f"{cust['code']} 2026-11"
        doc = json.loads(job.payload)
    assert doc["customer"]["name"] == "王丽华饰品店"
    assert doc["customer"]["phone_masked"] == "139****5678"
    assert "13912345678" not in job.payload
    assert doc["opening_balance"] == "1200.00" and doc["closing_balance"] == "1306.50"
    assert [e["kind"] for e in doc["entries"]] == ["sale", "payment", "shipping_fee"]
    assert doc["shop"] == app.config["SHOWROOM_SHOP_NAME"]


@pytest.mark.parametrize(("period", "words"), [
    ({"from": "2026-11-30", "to": "2026-11-01"}, "早于"),
    ({"from": "2026-11-31", "to": "2026-12-01"}, "2026-11-01"),
    ({"from": "", "to": "2026-11-30"}, "必填"),
    ({"from": "11/01/2026", "to": "2026-11-30"}, "2026-11-01"),
])
def test_bad_period_is_named_and_nothing_is_queued(client, login_as, cust, app, period, words):
    login_as("cashier")
    resp = client.post(f"/customers/{cust['id']}/statement/print", data=period)
    assert resp.status_code == 303
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "对账单未生成" in page and words in page
    assert f'name="from" value="{period["from"]}"' in page  # what was typed stays in the form
    assert _jobs(app) == 0
    resp = client.post(f"/customers/{cust['id']}/statement.pdf", data=period)
    assert resp.status_code == 303 and "#statement" in resp.headers["Location"]
    assert resp.mimetype != "application/pdf"


def test_pdf_download_names_the_customer_and_the_closing_balance(client, login_as, cust, tmp_path):
    login_as("manager")
    resp = client.get(f"/customers/{cust['id']}/statement.pdf",
                      query_string={"from": "2026-11-01", "to": "2026-11-30"})
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    assert resp.mimetype == "application/pdf"
    name = f"对账单-{cust['code']}-2026-11.pdf"
    disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and f"filename*=UTF-8''{quote(name)}" in disposition
    data = resp.get_data()
    assert data.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "customer-statement.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "王丽华饰品店" in text
    assert "1,306.50" in text or "1306.50" in text
    assert "1,200.00" in text or "1200.00" in text
    assert "XS-20261103-0001" in text and "XS-20261012-0003" not in text
    assert "139****5678" in text and "13912345678" not in text
    assert all(name in text for name in ("销售", "收款", "运费"))  # kinds named in Chinese
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(ARTIFACTS / "customer-statement")], check=True)
    assert list(ARTIFACTS.glob("customer-statement*.png"))


def test_pdf_of_a_part_month_is_named_by_its_days(client, login_as, cust):
    login_as("cashier")
    resp = client.post(f"/customers/{cust['id']}/statement.pdf",  # the page's button posts
                       data={"from": "2026-11-04", "to": "2026-11-22"})
    assert resp.status_code == 200
    name = f"对账单-{cust['code']}-2026-11-04_2026-11-22.pdf"
    assert quote(name) in resp.headers["Content-Disposition"]
