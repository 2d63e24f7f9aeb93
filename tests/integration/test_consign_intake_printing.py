"""What the consignment printouts say, from the jobs an intake queues: the list on ESC/POS
(decoded as a GB18030 printer reads it: Chinese title, consignor code, product codes,
prices, 待签字 when sent; 58 mm in item blocks), the list as PDF (text read back, rendered
to PNG at 60 dpi for looking at; the signature picture when signed), the labels on ESC/POS
(CODE128 of the product code, the consignor code large) and as PDF (one page per piece,
zbar reads the product code). Artifacts land in artifacts/pdf/consign-*."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import factories
import pytest
from consignment_support import consignor, intake, jobs_of
from escpos_decoder import decode
from PIL import Image

from printing.documents import document_from_payload
from printing.escpos_render import render_escpos
from printing.pdf import render_pdf
from printing.profiles import PrinterProfile
from showroom.catalog.models import Product
from showroom.consignment.intake import record_returned_signature, withdraw
from showroom.extensions import db

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "pdf"


def _doc(job: Any) -> Any:
    return document_from_payload(job.document, json.loads(job.payload))


def _pdf(name: str, data: bytes) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"consign-{name}.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(path.with_suffix(""))],
                   check=True)
    return path


def _text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return "".join(out.split())


@pytest.fixture
def world(ctx: Any) -> dict[str, Any]:
    desk = factories.staff("reception", name="王前台")
    c = consignor("李明")
    k = intake(c, n=2, qty=3, present=False, staff_id=desk.id)
    db.session.commit()
    return {"consignor": c, "list": k, "codes": [db.session.get(Product, ln.product_id).code
                                                  for ln in k.lines]}


@pytest.mark.parametrize("mode", ["gb18030", "gbk"])
def test_list_on_escpos_in_chinese(world: dict[str, Any], mode: str) -> None:
    (job,) = jobs_of(world["list"].number, "consignment_list")
    out = decode(render_escpos(_doc(job), PrinterProfile(paper_mm=80, chinese=mode)), mode)
    text = out.text
    assert not out.cjk_outside
    assert "委托代销清单" in text and world["consignor"].code in text and "李明" in text
    assert all(code in text for code in world["codes"])
    assert "代销银手镯1号" in text and "121.00" in text and "80.00" in text
    assert "按分成" in text and "待签字" in text and "委托人签字" in text
    assert "*" in text  # the phone masked
    assert [b.data for b in out.barcodes] == [world["list"].number]
    assert len(out.cuts) == 1


def test_list_on_58mm_in_item_blocks(world: dict[str, Any]) -> None:
    (job,) = jobs_of(world["list"].number, "consignment_list")
    out = decode(render_escpos(_doc(job), PrinterProfile(paper_mm=58, chinese="gb18030")),
                 "gb18030")
    assert all(len(line.text.encode("gbk")) <= 32 for line in out.lines if line.width == 1)
    assert "批发价" in out.text and "委托价" in out.text and world["codes"][1] in out.text


def test_labels_on_escpos_carry_the_code_and_barcode(world: dict[str, Any]) -> None:
    code = world["codes"][0]
    (job,) = jobs_of(code, "consignment_label")
    out = decode(render_escpos(_doc(job), PrinterProfile(paper_mm=58, chinese="gb18030")),
                 "gb18030")
    assert [b.data for b in out.barcodes] == [code]
    big = [ln for ln in out.lines if ln.width == 2 and ln.text == world["consignor"].code]
    assert big, out.texts
    assert "代销银手镯1号" in out.text and "121.00" in out.text


def test_list_pdf_sent_then_signed(world: dict[str, Any]) -> None:
    (job,) = jobs_of(world["list"].number, "consignment_list")
    sent = _pdf("list-sent", render_pdf(_doc(job)))
    text = _text(sent)
    assert "委托代销清单" in text and world["consignor"].code in text and "待签字" in text
    assert all(code in text for code in world["codes"]) and "按分成" in text
    assert Path(str(sent.with_suffix("")) + "-1.png").exists()
    record_returned_signature(world["list"].id, signature_png=factories.signature_png())
    from showroom.consignment.intake import queue_list_again

    queue_list_again(world["list"].id)
    db.session.commit()
    again = jobs_of(world["list"].number, "consignment_list")[-1]
    signed = _pdf("list-returned", render_pdf(_doc(again)))
    text = _text(signed)
    assert "签字回执已收回" in text and "待签字" not in text
    with Image.open(str(signed.with_suffix("")) + "-1.png") as page:
        assert page.width > 300  # looked at by eye: the signature sits on the signature line


def test_present_list_has_the_signature_picture(ctx: Any) -> None:
    c = consignor("欧阳娜娜", kind="franchise")
    k = intake(c, n=1, present=True)
    db.session.commit()
    (job,) = jobs_of(k.number, "consignment_list")
    doc = _doc(job)
    assert doc.signature_png and doc.signature_state == "signed"
    path = _pdf("list-signed", render_pdf(doc, page="A4"))
    text = _text(path)
    assert "委托人已在平板签字" in text and c.code in text and "jm" in c.code


def test_withdrawal_list_prints_its_title(world: dict[str, Any]) -> None:
    back = withdraw(world["list"].id, [(world["codes"][0], 1)], present=False)
    db.session.commit()
    (job,) = jobs_of(back.number, "consignment_list")
    out = decode(render_escpos(_doc(job), PrinterProfile(paper_mm=80, chinese="gb18030")),
                 "gb18030")
    assert "代销退还清单" in out.text and world["list"].number in out.text
    assert "代销退还清单" in _text(_pdf("withdrawal", render_pdf(_doc(job))))


def test_label_pdf_decodes_to_the_product_code(world: dict[str, Any]) -> None:
    from pyzbar.pyzbar import decode as zbar

    code = world["codes"][0]
    (job,) = jobs_of(code, "consignment_label")
    path = ARTIFACTS / "consign-label.pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_pdf(_doc(job)))
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(path),
                    str(path.with_suffix(""))], check=True)
    with Image.open(path.with_suffix(".png")) as image:
        assert [c.data.decode() for c in zbar(image)] == [code]
    text = _text(path)
    assert world["consignor"].code in text and "121.00" in text
