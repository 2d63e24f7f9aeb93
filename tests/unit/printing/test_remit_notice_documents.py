"""The remit notice (汇款通知, SPEC §5) on paper: decoded from ESC/POS as the printer reads it
(Chinese exact: this order, previous debt or credit, freight, the amount to remit, the bank
accounts; English; a Big5 printer), a round trip of its snapshot, and the A5 / A4 PDFs
rendered to PNG for a look."""
from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest
from escpos_decoder import decode

from printing.documents import document_from_payload, to_payload
from printing.escpos_render import render_escpos
from printing.pdf import render_pdf
from printing.profiles import PrinterProfile
from printing.samples import sample

OUT = Path(__file__).resolve().parents[3] / "artifacts" / "printing" / "remit"


def texts(doc, mode="gb18030", paper=80) -> str:  # type: ignore[no-untyped-def]
    data = render_escpos(doc, PrinterProfile(paper_mm=paper, chinese=mode))
    return "\n".join(decode(data, mode).texts)


@pytest.mark.parametrize("mode", ["gb18030", "gbk", "utf8", "image"])
@pytest.mark.parametrize("paper", [80, 58])
def test_notice_shows_breakdown_and_accounts(mode, paper):
    if mode == "image":
        data = render_escpos(sample("remit_notice"), PrinterProfile(paper_mm=paper,
                                                                     chinese="image"))
        assert len(data) > 1000
        return
    text = texts(sample("remit_notice"), mode, paper)
    for want in ("汇款通知", "XS-20261122-0009", "本单金额", "3280.00", "上次欠款", "1500.00",
                 "运费", "顺丰", "36.00", "应汇款金额", "4816.00", "请汇款至",
                 "中国工商银行义乌分行", "银饰批发展厅", "6222 0812 0800 1234 567",
                 "款项到账后即安排发货"):
        assert want in text, (want, text)


def test_credit_english_and_big5():
    doc = dataclasses.replace(sample("remit_notice"), previous_balance="-200.00",
                              amount_to_remit="3116.00")
    text = texts(doc)
    assert "上次余款" in text and "200.00" in text and "3116.00" in text
    assert "Amount to remit" in texts(dataclasses.replace(doc, lang="en"))
    assert "匯款通知" in texts(sample("remit_notice"), "big5")


def test_round_trip():
    doc = sample("remit_notice")
    assert document_from_payload("remit_notice", to_payload(doc)) == doc


@pytest.mark.parametrize("page", ["A5", "A4"])
def test_pdf_renders_to_png(page):
    OUT.mkdir(parents=True, exist_ok=True)
    pdf = OUT / f"remit_notice-{page}.pdf"
    pdf.write_bytes(render_pdf(sample("remit_notice"), page=page))
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf),
                    str(OUT / f"remit_notice-{page}")], check=True)
    assert (OUT / f"remit_notice-{page}.png").stat().st_size > 5000
