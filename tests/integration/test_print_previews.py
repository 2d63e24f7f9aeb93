"""Document previews from a job's stored snapshot (PNG as the printer draws it, PDF A5/A4)
on screen and by API URL, with the job screen's debt rule; samples of every kind."""
from __future__ import annotations

import io

import factories
import pytest
from PIL import Image
from sqlalchemy import select

from printing.documents import DOCUMENT_TYPES, PDF_ONLY, to_payload
from printing.samples import sample
from showroom.extensions import db
from showroom.printjobs.models import PrintJob
from showroom.printjobs.printers import add_printer, clean_printer
from showroom.printjobs.services import queue_job
from showroom.settlement.services import PaymentIn, settle

PNG, PDF = b"\x89PNG\r\n\x1a\n", b"%PDF-"
API = "/api/v1/print-jobs"


@pytest.fixture
def jobs(app):
    """A settled order's sales slip and cash receipt, a customer statement, a box label
    printed on a 58 mm printer, and a job whose snapshot cannot be drawn."""
    with app.app_context():
        cust = factories.customer(name="陈七")
        p = factories.product(code="P-EAR", wholesale=2_550)
        order = factories.order_with_lines(cust.id, [(p, 2)])
        settle(order.id, [PaymentIn("cash", 5_100, 6_000)], cashier_id=None)
        statement = queue_job("customer_statement", to_payload(sample("customer_statement")))
        add_printer(clean_printer(name="打包机", connection="file:///dev/usb/lp0", paper="58",
                                  chinese="image", station="pack-1"))
        label = queue_job("box_label", to_payload(sample("box_label")), station="pack-1")
        broken = queue_job("locker_ticket", {"locker": "17"}, ref="L-17")
        db.session.commit()
        ids = {j.document: j.id for j in db.session.scalars(select(PrintJob))}
        return ids | {"statement": statement.id, "label": label.id, "broken": broken.id}


def _width(body: bytes) -> int:
    return Image.open(io.BytesIO(body)).size[0]


def test_cashier_sees_slip_as_png_and_pdf(client, login_as, jobs):
    login_as("cashier")
    png = client.get(f"/print-jobs/{jobs['sales_slip']}/preview.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.data.startswith(PNG) and _width(png.data) == 576  # 80 mm default
    for page in ("A5", "A4", "a4"):
        pdf = client.get(f"/print-jobs/{jobs['sales_slip']}/preview.pdf?page={page}")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        assert pdf.data.startswith(PDF)
    assert client.get(f"/print-jobs/{jobs['sales_slip']}/preview.pdf").data.startswith(PDF)
    assert client.get(f"/print-jobs/{jobs['sales_slip']}/preview.pdf?page=B5").status_code == 422


def test_preview_page_shows_the_picture_and_pdf_links(client, login_as, jobs):
    login_as("cashier")
    page = client.get(f"/print-jobs/{jobs['sales_slip']}").get_data(as_text=True)
    assert f'src="/print-jobs/{jobs["sales_slip"]}/preview.png"' in page
    assert f"/print-jobs/{jobs['sales_slip']}/preview.pdf?page=A4" in page
    assert "第三联 客户" in page  # the text version is still there
    statement = client.get(f"/print-jobs/{jobs['statement']}").get_data(as_text=True)
    assert "preview.png" not in statement and "preview.pdf?page=A5" in statement


def test_png_uses_the_printers_paper_width(client, login_as, jobs):
    login_as("packer")
    png = client.get(f"/print-jobs/{jobs['label']}/preview.png")
    assert png.status_code == 200 and _width(png.data) == 384  # 58 mm


def test_debt_documents_only_for_roles_that_see_debts(client, login_as, jobs):
    login_as("clerk")
    for fmt in ("png", "pdf"):
        assert client.get(f"/print-jobs/{jobs['sales_slip']}/preview.{fmt}").status_code == 403
        assert client.get(f"/print-jobs/{jobs['statement']}/preview.{fmt}").status_code == 403
    receipt = client.get(f"/print-jobs/{jobs['cash_receipt']}/preview.png")
    assert receipt.status_code == 200 and receipt.data.startswith(PNG)


def test_missing_and_undrawable(client, login_as, jobs):
    login_as("manager")
    assert client.get("/print-jobs/999999/preview.png").status_code == 404
    assert client.get(f"/print-jobs/{jobs['broken']}/preview.pdf").status_code == 404
    assert client.get(f"/print-jobs/{jobs['statement']}/preview.png").status_code == 404
    assert client.get(f"/print-jobs/{jobs['statement']}/preview.pdf").data.startswith(PDF)


def test_signed_out_cannot_preview(client, jobs):
    assert client.get(f"/print-jobs/{jobs['cash_receipt']}/preview.png").status_code == 302


def test_api_previews(client, api_headers, jobs):
    cashier = api_headers("cashier")
    png = client.get(f"{API}/{jobs['sales_slip']}/preview.png", headers=cashier)
    assert png.status_code == 200 and png.mimetype == "image/png" and png.data.startswith(PNG)
    pdf = client.get(f"{API}/{jobs['sales_slip']}/preview.pdf?page=A4", headers=cashier)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(PDF)

    def refused(url, headers, status):
        resp = client.get(url, headers=headers)
        assert resp.status_code == status, resp.get_data(as_text=True)
        assert resp.mimetype == "application/problem+json"
        body = resp.get_json()
        assert body["status"] == status and body["detail"]
        return body

    clerk = api_headers("clerk")
    refused(f"{API}/{jobs['sales_slip']}/preview.png", clerk, 403)
    refused(f"{API}/{jobs['statement']}/preview.pdf", clerk, 403)
    assert client.get(f"{API}/{jobs['cash_receipt']}/preview.png",
                      headers=clerk).data.startswith(PNG)
    refused(f"{API}/999999/preview.png", cashier, 404)
    refused(f"{API}/{jobs['broken']}/preview.png", cashier, 404)
    refused(f"{API}/{jobs['cash_receipt']}/preview.gif", cashier, 404)
    refused(f"{API}/{jobs['statement']}/preview.png", cashier, 404)
    body = refused(f"{API}/{jobs['sales_slip']}/preview.pdf?page=Letter", cashier, 422)
    assert "page" in body["errors"]
    refused(f"{API}/{jobs['cash_receipt']}/preview.png", {}, 401)
    refused(f"{API}/{jobs['cash_receipt']}/preview.png", {"Authorization": "Bearer nope"}, 401)


def test_api_list_and_reprint_carry_delivery_fields(app, client, api_headers, jobs):
    headers = api_headers("cashier")
    with app.app_context():
        db.session.get(PrintJob, jobs["cash_receipt"]).status = "printed"
        db.session.commit()
    items = client.get(API, headers=headers).get_json()["items"]
    assert items and all({"status_reply", "printed_at", "next_attempt_at", "id", "document",
                          "station", "printer", "status", "attempts", "error", "copies",
                          "reprint"} <= set(i) for i in items)
    new = client.post(f"{API}/{jobs['cash_receipt']}/reprint", headers=headers)
    assert new.status_code == 201
    body = new.get_json()
    assert body["reprint"] is True and body["status_reply"] == "" and body["printed_at"] is None


def test_openapi_still_valid_and_documents_the_fields(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    props = doc["components"]["schemas"]["PrintJobOut"]["properties"]
    assert {"status_reply", "printed_at", "next_attempt_at"} <= set(props)
    assert "preview.png" in doc["paths"]["/api/v1/print-jobs"]["get"]["description"]


@pytest.mark.parametrize("kind", list(DOCUMENT_TYPES))
def test_samples_of_every_kind(client, login_as, kind):
    login_as("manager")
    pdf = client.get(f"/print-jobs/samples/{kind}.pdf?page=A5")
    assert pdf.status_code == 200 and pdf.data.startswith(PDF)
    png = client.get(f"/print-jobs/samples/{kind}.png?paper=58&doc_lang=en")
    if kind in PDF_ONLY:
        assert png.status_code == 404
    else:
        assert png.status_code == 200 and png.data.startswith(PNG) and _width(png.data) == 384


def test_samples_are_for_managers(client, login_as):
    login_as("cashier")
    assert client.get("/print-jobs/samples/sales_slip.png").status_code == 403
    login_as("manager")
    assert client.get("/print-jobs/samples/invoice.png").status_code == 404
    assert client.get("/print-jobs/samples/sales_slip.gif").status_code == 404
    test_page = client.get("/print-jobs/samples/sales_slip.png?test=1")
    assert test_page.data.startswith(PNG)
