"""The repair printouts on paper: the intake receipt's three copies decoded from ESC/POS
(Chinese exact, each copy with its native QR of the repair number), the bag label and the
hand-over list; the PDFs rendered to PNG and their QR codes read back by zbar."""
from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest
from escpos_decoder import decode
from PIL import Image
from pyzbar.pyzbar import decode as zbar

from printing.documents import document_from_payload, to_payload
from printing.escpos_render import render_escpos
from printing.pdf import render_pdf
from printing.profiles import PrinterProfile
from printing.samples import sample

OUT = Path(__file__).resolve().parents[3] / "artifacts" / "printing" / "repairs"


def paper(doc, mode="gb18030", mm=80):  # type: ignore[no-untyped-def]
    return decode(render_escpos(doc, PrinterProfile(paper_mm=mm, chinese=mode)), mode)


@pytest.mark.parametrize("mode", ["gb18030", "gbk", "utf8"])
@pytest.mark.parametrize("mm", [80, 58])
def test_receipt_three_copies_each_with_its_qr(mode, mm):
    doc = sample("repair_receipt")
    out = paper(doc, mode, mm)
    copies = out.copies()
    assert len(copies) == 3
    for name, copy in zip(("客户联", "工坊联", "存根联"), copies, strict=True):
        text = "\n".join(copy)
        for want in ("维修单", f"【{name}】", "WX-20261122-0003", "王丽华饰品店", "138****5678",
                     "戒托主石", "925银", "12.35", "主石脱落", "客户签字"):
            assert want in text, (want, text)
    assert out.qrs == ["WX-20261122-0003"] * 3
    assert [b.data for b in out.barcodes] == ["WX-20261122-0003"] * 3


def test_bag_label_and_hand_over_list():
    label = paper(sample("repair_bag_label"))
    assert "维修袋" in label.text and "戒托主石" in label.text
    assert label.qrs == ["WX-20261122-0003"]
    handover = paper(sample("repair_handover")).text
    for want in ("送外维修交接单", "SW-20261122-0001", "曼谷金工坊", "WX-20261122-0003", "黄金",
                 "8.20g", "2026-12-22 ~ 2027-05-22", "件数", "送件人"):
        assert want in handover, (want, handover)


def test_english_receipt_and_unknown_material_prints_as_stored():
    doc = dataclasses.replace(sample("repair_receipt"), lang="en", material="titanium",
                              copies=[])
    text = paper(doc).text
    assert "Repair receipt" in text and "titanium" in text and "Part to repair" in text


@pytest.mark.parametrize("kind", ["repair_receipt", "repair_bag_label", "repair_handover"])
def test_pdf_renders_and_its_codes_scan(kind):
    OUT.mkdir(parents=True, exist_ok=True)
    doc = sample(kind)
    assert document_from_payload(kind, to_payload(doc)) == doc
    pdf = OUT / f"{kind}.pdf"
    pdf.write_bytes(render_pdf(doc, page="A5"))
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(OUT / kind)], check=True)
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(OUT / f"{kind}-hi")], check=True)
    pages = sorted(OUT.glob(f"{kind}-[0-9]*.png"))
    assert len(pages) == (3 if kind == "repair_receipt" else 1)
    with Image.open(OUT / f"{kind}-hi.png") as img:
        found = {(r.type, r.data.decode()) for r in zbar(img)}
    number = doc.number  # type: ignore[attr-defined]
    if kind == "repair_handover":
        assert ("CODE128", number) in found
    else:
        assert ("QRCODE", number) in found, found
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    if kind == "repair_receipt":
        assert all(c in text for c in ("客户联", "工坊联", "存根联")) and "戒托主石" in text
