"""The after-sales slips on paper: the exchange slip (换货单) and the return slip (售后退货单)
decoded from ESC/POS as the printer reads them — Chinese exact, the difference worded,
the rule quoted, a manager's override with its reason — and as PDF rendered to PNG."""
from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest
from escpos_decoder import decode

from printing.escpos_render import render_escpos
from printing.pdf import render_pdf
from printing.profiles import PrinterProfile
from printing.samples import sample

OUT = Path(__file__).resolve().parents[3] / "artifacts" / "printing" / "aftersales"


def texts(doc, mode="gb18030", paper=80) -> str:  # type: ignore[no-untyped-def]
    data = render_escpos(doc, PrinterProfile(paper_mm=paper, chinese=mode))
    return "\n".join(decode(data, mode).texts)


@pytest.mark.parametrize("mode", ["gb18030", "gbk", "utf8"])
@pytest.mark.parametrize("paper", [80, 58])
def test_exchange_slip(mode, paper):
    text = texts(sample("aftersales_exchange"), mode, paper)
    for want in ("换货单", "HH-20261122-0001", "XS-20261120-0003", "王丽华饰品店", "货不对版",
                 "退回商品", "925银镶锆石手链", "换出商品", "925银素圈手链", "应补差价", "30.00",
                 "外地客户换货（允许）", "换货允许：货不对版。"):
        assert want in text, (want, text)


def test_overridden_return_prints_the_manager_and_reason():
    text = texts(sample("aftersales_return"))
    for want in ("售后退货单", "TH-20261122-0004", "质量问题", "质量问题已确认", "退货金额", "240.00",
                 "批发自提不退换（拒绝）", "批发客户自提的货品不退不换。", "经理特批",
                 "1001 张经理（已核准）", "特批原因", "老客户，电镀脱色，特批退货"):
        assert want in text, (want, text)


def test_credit_difference_and_english():
    doc = dataclasses.replace(sample("aftersales_exchange"), difference="-15.00")
    assert "退还差价" in texts(doc) and "15.00" in texts(doc)
    en = texts(dataclasses.replace(sample("aftersales_exchange"), lang="en"))
    assert "Exchange slip" in en and "Remote exchange (allowed)" in en


def test_big5_prints_traditional():
    text = texts(sample("aftersales_exchange"), "big5")
    assert "換貨單" in text


@pytest.mark.parametrize("kind", ["aftersales_return", "aftersales_exchange"])
def test_pdf_renders(kind):
    pdf = render_pdf(sample(kind), page="A5")
    assert pdf.startswith(b"%PDF")
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{kind}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert ("换货单" if kind.endswith("exchange") else "售后退货单") in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(path), str(OUT / kind)],
                   check=True)
    assert (OUT / f"{kind}.png").stat().st_size > 5000
