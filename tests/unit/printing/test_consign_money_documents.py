"""The consignor's documents on paper: the payout slip (代销付款单) decoded from ESC/POS as
the printer reads it (Chinese exact, payable before / after, the debt before / after of an
offset), and the payout slip and statement PDFs rendered to PNG for a look."""
from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest
from escpos_decoder import decode

from printing.documents import PDF_ONLY, document_from_payload, to_payload
from printing.escpos_render import render_escpos
from printing.pdf import render_pdf
from printing.profiles import PrinterProfile
from printing.samples import sample

OUT = Path(__file__).resolve().parents[3] / "artifacts" / "printing" / "consignor"


def texts(doc, mode="gb18030", paper=80) -> str:  # type: ignore[no-untyped-def]
    data = render_escpos(doc, PrinterProfile(paper_mm=paper, chinese=mode))
    return "\n".join(decode(data, mode).texts)


@pytest.mark.parametrize("mode", ["gb18030", "gbk", "utf8"])
@pytest.mark.parametrize("paper", [80, 58])
def test_offset_slip_shows_payable_and_debt(mode, paper):
    text = texts(sample("consignor_payout"), mode, paper)
    for want in ("代销付款单", "DF-20261122-0001", "pf123李", "李秀英", "抵扣欠款",
                 "付款前应付", "560.00", "本次付款", "300.00", "付款后应付", "260.00",
                 "抵扣前欠款", "1200.00", "抵扣后欠款", "900.00", "委托人签字", "经办人"):
        assert want in text, (want, text)


def test_cash_slip_has_no_debt_lines_and_english():
    doc = dataclasses.replace(sample("consignor_payout"), method="cash", debt_before="",
                              debt_after="")
    text = texts(doc)
    assert "现金" in text and "抵扣前欠款" not in text
    en = texts(dataclasses.replace(doc, lang="en"))
    assert "Consignor payout" in en and "Payable after" in en


def test_big5_printer():
    assert "代銷付款單" in texts(sample("consignor_payout"), "big5")


def test_statement_is_pdf_only_and_round_trips():
    assert "consignor_statement" in PDF_ONLY and "consignor_payout" not in PDF_ONLY
    for kind in ("consignor_payout", "consignor_statement"):
        doc = sample(kind)
        assert document_from_payload(kind, to_payload(doc)) == doc


@pytest.mark.parametrize("kind, page", [("consignor_payout", "A5"),
                                        ("consignor_statement", "A4")])
def test_pdf_renders_to_png(kind, page):
    OUT.mkdir(parents=True, exist_ok=True)
    pdf = OUT / f"{kind}.pdf"
    pdf.write_bytes(render_pdf(sample(kind, lines=40), page=page))
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(OUT / kind)], check=True)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    if kind == "consignor_statement":
        for want in ("代销对账单", "已售", "在店未售", "已取回", "应付代销款", "260.00",
                     "XS-20261122-0046"):
            assert want in text, want
    else:
        assert "代销付款单" in text and "抵扣后欠款" in text
    assert sorted(OUT.glob(f"{kind}-*.png"))
