"""The money desk's receipts on paper: the 收款单 and 退款单 decoded from ESC/POS as the
printer reads them (Chinese exact, 唱收唱付 line, balances worded as debt or credit), and
the PDFs rendered to PNG for a look."""
from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest
from escpos_decoder import decode

from printing.documents import DeskReceipt
from printing.escpos_render import render_escpos
from printing.pdf import render_pdf
from printing.profiles import PrinterProfile
from printing.samples import sample

OUT = Path(__file__).resolve().parents[3] / "artifacts" / "printing" / "desk"


def texts(doc, mode="gb18030", paper=80) -> str:  # type: ignore[no-untyped-def]
    data = render_escpos(doc, PrinterProfile(paper_mm=paper, chinese=mode))
    return "\n".join(decode(data, mode).texts)


@pytest.mark.parametrize("mode", ["gb18030", "gbk", "utf8"])
@pytest.mark.parametrize("paper", [80, 58])
def test_cash_receipt_on_account_says_received_and_change(mode, paper):
    text = texts(sample("desk_receipt"), mode, paper)
    for want in ("收款单", "SK-20261122-0004", "王丽华饰品店", "138****5678", "现金", "上次欠款",
                 "8530.00", "本次收款", "5000.00", "累计欠款", "3530.00",
                 "收您 ￥5100.00，找您 ￥100.00", "收银员"):
        assert want in text, (want, text)
    assert "13812345678" not in text


def test_transfer_receipt_shows_reference_and_credit_left():
    doc = dataclasses.replace(sample("desk_receipt"), method="bank_transfer", tendered="",
                              change="", reference="HZ20261122-88", balance_before="100.00",
                              balance_after="-4900.00")
    text = texts(doc)
    assert "银行转账" in text and "HZ20261122-88" in text
    assert "现有余款" in text and "4900.00" in text
    assert "找您" not in text


def test_refund_slip_names_the_manager_and_reason():
    text = texts(sample("refund_slip"))
    for want in ("退款单", "TK-20261122-0001", "微信", "上次余款", "450.00", "退款金额", "300.00",
                 "现有余款", "150.00", "客户多付，退回余款", "1001 张经理（已核准）"):
        assert want in text, (want, text)


def test_english_receipt():
    text = texts(dataclasses.replace(sample("desk_receipt"), lang="en"))
    assert "Payment receipt" in text and "Received ￥5100.00, change ￥100.00" in text


@pytest.mark.parametrize("kind", ["desk_receipt", "refund_slip"])
def test_pdf_renders_to_png(kind):
    OUT.mkdir(parents=True, exist_ok=True)
    pdf = OUT / f"{kind}.pdf"
    pdf.write_bytes(render_pdf(sample(kind), page="A5"))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(OUT / kind)],
                   check=True)
    assert (OUT / f"{kind}.png").stat().st_size > 5000


def test_receipt_round_trips_through_its_snapshot():
    from printing.documents import document_from_payload, to_payload

    doc = sample("desk_receipt")
    assert document_from_payload("desk_receipt", to_payload(doc)) == doc
    assert isinstance(doc, DeskReceipt)
