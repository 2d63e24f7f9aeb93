"""吊牌 screen: managers only, product search, one product_label job per product with
copies = the count, bad counts refused with nothing queued, the tag PDF checked with
pdftotext and rendered with pdftoppm."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import factories
import pytest
from sqlalchemy import select

from printing.documents import ProductLabel, document_from_payload
from showroom.catalog.labels import LabelRequest, clean_requests, label_payload
from showroom.errors import ValidationFailed
from showroom.extensions import db
from showroom.printjobs.models import PrintJob

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "pdf"


@pytest.fixture
def goods(app):
    with app.app_context():
        ring = factories.product(code="YS-10001", barcode="6901234567892", name="925银镶锆石戒指",
                                 wholesale=1_250, franchise=1_100)
        chain = factories.product(code="N-925-07", name="925银项链 细链", wholesale=3_750)
        chain.barcode = None
        db.session.commit()
        return {"ring": ring.id, "chain": chain.id}


def _jobs(app) -> list[PrintJob]:
    with app.app_context():
        jobs = list(db.session.scalars(select(PrintJob).order_by(PrintJob.id)))
        db.session.expunge_all()
        return jobs


@pytest.mark.parametrize("role", ["clerk", "cashier", "reception", "packer"])
def test_only_a_manager_prints_labels(client, login_as, goods, app, role):
    login_as(role)
    assert client.get("/catalog/labels").status_code == 403
    resp = client.post("/catalog/labels/print", data={"product_id": goods["ring"], "copies": "2"})
    assert resp.status_code == 403
    assert client.get(f"/catalog/labels/{goods['ring']}.pdf").status_code == 403
    assert "/catalog/labels" not in client.get("/customers/").get_data(as_text=True)
    assert _jobs(app) == []


@pytest.mark.parametrize("q", ["6901234567892", "YS-10001", "ys-100", "锆石"])
def test_search_by_barcode_code_or_name(client, login_as, goods, q):
    login_as("manager")
    page = client.get("/catalog/labels", query_string={"q": q}).get_data(as_text=True)
    assert "925银镶锆石戒指" in page and "¥12.50" in page
    assert f'name="product_id" value="{goods["ring"]}"' in page
    assert "商品吊牌" in page  # the nav link and the title


def test_empty_search_and_no_match(client, login_as, goods):
    login_as("manager")
    page = client.get("/catalog/labels").get_data(as_text=True)
    assert 'name="product_id"' not in page
    page = client.get("/catalog/labels?q=不存在的东西").get_data(as_text=True)
    assert "未找到商品" in page


def test_print_queues_one_job_per_product_with_its_count(client, login_as, goods, app):
    staff = login_as("manager")
    resp = client.post("/catalog/labels/print", data={
        "q": "925", "product_id": [goods["ring"], goods["chain"]], "copies": ["3", "2"]})
    assert resp.status_code == 303
    assert "q=925" in resp.headers["Location"]
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已将 2 种商品共 5 张吊牌加入打印队列" in page
    jobs = _jobs(app)
    assert [(j.document, j.copies, j.ref, j.station, j.status) for j in jobs] == [
        ("product_label", 3, "YS-10001", "manager", "queued"),
        ("product_label", 2, "N-925-07", "manager", "queued")]
    assert all(j.created_by_id == staff["id"] for j in jobs)
    ring, chain = (json.loads(j.payload) for j in jobs)
    assert {k: ring[k] for k in ("code", "name", "price", "barcode")} == {
        "code": "YS-10001", "name": "925银镶锆石戒指", "price": "12.50", "barcode": "6901234567892"}
    assert chain["barcode"] == "N-925-07" and chain["price"] == "37.50"  # no barcode: the code
    assert isinstance(document_from_payload("product_label", ring), ProductLabel)
    assert ring["shop"] == app.config["SHOWROOM_SHOP_NAME"]


def test_blank_and_zero_counts_are_skipped(client, login_as, goods, app):
    login_as("manager")
    resp = client.post("/catalog/labels/print", data={
        "product_id": [goods["ring"], goods["chain"]], "copies": ["", "1"]})
    assert resp.status_code == 303
    assert [j.ref for j in _jobs(app)] == ["N-925-07"]


@pytest.mark.parametrize(("copies", "words"), [
    (["-1", "1"], "吊牌数须为整数"),
    (["abc", "1"], "吊牌数须为整数"),
    (["１", "1"], "吊牌数须为整数"),  # a full-width digit is not a count
    (["501", "1"], "每种商品最多 500 张"),
    (["", ""], "请填写要打印的吊牌数"),
    (["0", "0"], "请填写要打印的吊牌数"),
])
def test_bad_counts_are_named_and_nothing_is_queued(client, login_as, goods, app, copies, words):
    login_as("manager")
    resp = client.post("/catalog/labels/print", data={
        "q": "", "product_id": [goods["ring"], goods["chain"]], "copies": copies})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert words in page
    assert "925银镶锆石戒指" in page and "925银项链 细链" in page  # rows kept, counts refilled
    assert f'value="{copies[0]}"' in page or not copies[0]
    assert _jobs(app) == []


def test_unknown_product_is_refused(client, login_as, goods, app):
    login_as("manager")
    resp = client.post("/catalog/labels/print", data={
        "product_id": [goods["ring"], "999999"], "copies": ["1", "1"]})
    assert resp.status_code == 422
    assert "没有这个商品 999999" in resp.get_data(as_text=True)
    assert _jobs(app) == []


@pytest.mark.parametrize("odd_id", ["²", "99999999999999999999999", "-1", "1e3"])
def test_odd_product_ids_are_refused_not_a_crash(client, login_as, goods, app, odd_id):
    login_as("manager")
    resp = client.post("/catalog/labels/print", data={"product_id": [odd_id], "copies": ["1"]})
    assert resp.status_code == 422
    assert _jobs(app) == []


def test_clean_requests_adds_up_repeats_and_caps_products(ctx):
    assert clean_requests([(1, "2"), ("1", " 3 "), (2, "1")]) == [LabelRequest(1, 5),
                                                                 LabelRequest(2, 1)]
    with pytest.raises(ValidationFailed) as caught:
        clean_requests([(1, "300"), (1, "201")])
    assert set(caught.value.errors) == {"1"}
    with pytest.raises(ValidationFailed) as caught:
        clean_requests([(i, "1") for i in range(1, 52)])
    assert "copies" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        clean_requests([("x", "1")])
    assert set(caught.value.errors) == {"copies"}


def test_label_payload_uses_the_wholesale_price(ctx):
    p = factories.product(code="B-1", barcode="", name="手链", wholesale=99_900, franchise=88_800)
    p.barcode = ""
    assert label_payload(p)["price"] == "999.00"
    assert label_payload(p)["barcode"] == "B-1"


def test_tag_pdf_shows_code_name_price(client, login_as, goods):
    login_as("manager")
    resp = client.get(f"/catalog/labels/{goods['ring']}.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert "label-YS-10001.pdf" in resp.headers["Content-Disposition"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "product-label.pdf"
    pdf.write_bytes(resp.get_data())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "YS-10001" in text and "925银镶锆石戒指" in text and "12.50" in text
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf),
                    str(ARTIFACTS / "product-label")], check=True)
    from PIL import Image
    from pyzbar.pyzbar import decode

    with Image.open(ARTIFACTS / "product-label.png") as image:
        assert [c.data.decode() for c in decode(image)] == ["6901234567892"]
    assert client.get("/catalog/labels/999999.pdf").status_code == 404


def test_all_chosen_tags_as_one_pdf_one_label_per_page(client, login_as, goods, app, tmp_path):
    import subprocess

    login_as("manager")
    resp = client.post("/catalog/labels/sheet.pdf", data={
        "product_id": [goods["ring"], goods["chain"]], "copies": ["2", "1"]})
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(resp.data)
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    assert len([p for p in pages if p.strip()]) == 3
    assert _jobs(app) == []  # looking is not printing
    bad = client.post("/catalog/labels/sheet.pdf", data={"product_id": [goods["ring"]], "copies": ["x"]})
    assert bad.status_code == 422
