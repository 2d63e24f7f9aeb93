"""ESC/POS text modes, read back with the test-side decoder as the printer would: Chinese
decodes exactly in GB18030, GBK, Big5 and UTF-8; every CJK run sits inside FS & … FS .;
columns line up on 80 and 58 mm; hardware CODE128 ({B) and native QR; three named copies
with cuts; the reprint marker; the drawer only when asked and fitted; fast and small."""
from __future__ import annotations

import dataclasses

import pytest
from escpos_decoder import Decoded, code128_width, decode

from printing import samples
from printing.documents import DOCUMENT_TYPES, PDF_ONLY, Party, SalesSlip
from printing.escpos_render import render_escpos
from printing.labels_text import TRADITIONAL, traditional
from printing.profiles import PrinterProfile
from printing.width import char_width, display_width

TEXT_MODES = ("gb18030", "gbk", "big5", "utf8")
BRACKETED = ("gb18030", "gbk", "big5")
TOTAL_LABELS = ("上次欠款", "本单金额", "已付", "累计欠款")


def traditional_slip(lines: int = 6) -> SalesSlip:
    """A slip a Big5 printer can print character for character."""
    names = ("純銀耳釘 Ear stud", "925銀鑲鋯石戒指", "古法銀手鐲", "珍珠吊墜 Pearl", "銀項鏈 chain")
    base = samples.sample_sales_slip(lines)
    items = [dataclasses.replace(ln, name=names[i % len(names)]) for i, ln in enumerate(base.lines)]
    return dataclasses.replace(
        base, shop="銀飾批發展廳",
        customer=Party(code="C00077", name="王麗華飾品行", phone_masked="0912***678"), lines=items)


def slip_for(mode: str, lines: int = 6) -> SalesSlip:
    return traditional_slip(lines) if mode == "big5" else samples.sample_sales_slip(lines)


def on_paper(mode: str, text: str) -> str:
    """What the labels look like on a printer of `mode` (Big5 prints traditional)."""
    return traditional(text) if mode == "big5" else text


def render(doc, mode: str, paper: int = 80, **kw) -> tuple[bytes, Decoded]:  # type: ignore[no-untyped-def]
    profile_kw = {k: kw.pop(k) for k in ("cutter", "drawer") if k in kw}
    data = render_escpos(doc, PrinterProfile(paper_mm=paper, chinese=mode, **profile_kw), **kw)
    return data, decode(data, mode)


@pytest.mark.parametrize("paper", [80, 58])
@pytest.mark.parametrize("mode", TEXT_MODES)
def test_customer_products_and_totals_decode_exactly(mode: str, paper: int) -> None:
    slip = slip_for(mode)
    if mode == "big5":
        for text in [slip.customer.name, slip.shop] + [ln.name for ln in slip.lines]:
            text.encode("big5")  # the document really is Big5-printable
    _, out = render(slip, mode, paper)
    texts = out.texts
    assert f"{on_paper(mode, '客户')}：{slip.customer.name} ({slip.customer.code})" in texts
    assert f"{on_paper(mode, '电话')}：{slip.customer.phone_masked}" in texts
    assert slip.shop in texts
    names = [ln.name for ln in slip.lines]
    for name in names:
        assert sum(name in t for t in texts) == 3 * names.count(name), name  # once per copy
    for label, value in zip(TOTAL_LABELS, (slip.previous_debt, slip.this_order, slip.paid,
                                           slip.cumulative_debt), strict=True):
        hits = [t for t in texts if t.startswith(on_paper(mode, label))]
        assert len(hits) == 3 and all(t.endswith(" " + value) for t in hits), hits
    assert out.cjk_outside == []


@pytest.mark.parametrize("mode", BRACKETED)
def test_every_cjk_run_is_bracketed_by_fs_and_fs_dot(mode: str) -> None:
    data, out = render(slip_for(mode, 20), mode)
    assert out.cjk_outside == []  # no byte >= 0x80 outside FS & … FS .
    assert out.chinese_runs and all(run and all(char_width(ch) == 2 for ch in run)
                                    for run in out.chinese_runs)
    assert data.count(b"\x1c&") == data.count(b"\x1c.") - 1  # plus one FS . after ESC @
    assert data.startswith(b"\x1b@\x1c.")
    assert b"\x1c(C" not in data


def test_utf8_mode_selects_utf8_and_sends_no_chinese_mode() -> None:
    data, out = render(samples.sample_sales_slip(3), "utf8")
    assert data.startswith(b"\x1b@\x1c(C\x02\x000\x02")
    assert b"\x1c&" not in data
    assert "王丽华饰品店" in data.decode("utf-8", errors="replace")
    assert out.chinese_runs == []


@pytest.mark.parametrize("paper", [80, 58])
@pytest.mark.parametrize("mode", TEXT_MODES)
def test_columns_line_up_with_mixed_chinese_and_ascii(mode: str, paper: int) -> None:
    slip = slip_for(mode, 12)
    columns = PrinterProfile(paper_mm=paper).columns
    _, out = render(slip, mode, paper)
    rows = [t for t in out.texts if t.startswith("YS-")]
    assert len(rows) == 12 * 3
    assert {display_width(r) for r in rows} == {columns}
    for row, line in zip(rows, slip.lines * 3, strict=True):
        assert row.endswith(" " + line.amount)  # right-aligned at the edge
        assert row.startswith(line.code)
        if paper == 80:
            assert line.name in row
            # name, qty, price each start / end in the same column on every row
            assert display_width(row[:row.index(line.name)]) == 9
    money = [t for t in out.texts if t.startswith(tuple(on_paper(mode, lb) for lb in TOTAL_LABELS))]
    assert {display_width(t) for t in money} == {columns}
    header = [t for t in out.texts if t.rstrip().endswith(on_paper(mode, "金额"))]
    assert header and {display_width(t) for t in header} == {columns}


@pytest.mark.parametrize("paper", [80, 58])
def test_code128_with_code_set_b_and_native_qr(paper: int) -> None:
    slip = samples.sample_sales_slip(3)
    profile = PrinterProfile(paper_mm=paper)
    data, out = render(slip, "gb18030", paper)
    assert len(out.barcodes) == 3
    for barcode in out.barcodes:
        assert barcode.system == 73  # GS k 73 = CODE128
        assert barcode.raw.startswith(b"{B")
        assert barcode.data == slip.number
        assert code128_width(barcode) <= profile.dots
        assert barcode.module >= 2
    if paper == 80:
        assert out.barcodes[0].raw == b"{B" + slip.number.encode()
    assert out.qrs == [slip.number] * 3
    assert b"\x1d(k" in data and b"\x1dv0" not in data  # native QR, no raster at all
    assert len(data) < 6000


def test_long_barcode_on_58mm_still_fits() -> None:
    label = samples.sample("box_label")
    _, out = render(label, "gbk", 58)
    (barcode,) = out.barcodes
    assert barcode.data == "XS-20261122-0007-2" and barcode.raw.startswith(b"{B")
    assert code128_width(barcode) <= 384


@pytest.mark.parametrize("mode", TEXT_MODES)
def test_three_copies_with_their_names_and_cuts(mode: str) -> None:
    slip = slip_for(mode, 3)
    _, out = render(slip, mode)
    copies = out.copies()
    assert len(copies) == 3
    assert out.cuts == ["partial"] * 3
    for lines, name in zip(copies, slip.copies, strict=True):
        assert f"【{on_paper(mode, name)}】" in lines
        assert on_paper(mode, "销售单") in lines
    marked = [ln for ln in out.lines if ln.text.startswith("【")]
    assert all(ln.bold and ln.width == 2 and ln.height == 2 and ln.align == "center" for ln in marked)


@pytest.mark.parametrize("mode", TEXT_MODES)
def test_reprint_marks_the_top_of_every_copy(mode: str) -> None:
    _, out = render(slip_for(mode, 2), mode, reprint=True)
    for lines in out.copies():
        assert "重印" in lines[0] and "REPRINT" in lines[0]
    _, plain = render(slip_for(mode, 2), mode)
    assert "REPRINT" not in plain.text and "重印" not in plain.text


def test_reprint_in_english() -> None:
    _, out = render(samples.sample("cash_receipt", lang="en"), "gb18030", reprint=True)
    assert out.texts[0] == "*** REPRINT ***"


def test_drawer_kick_only_when_asked_and_fitted() -> None:
    slip = samples.sample_sales_slip(2)
    _, out = render(slip, "gb18030", drawer=True, open_drawer=True)
    assert out.drawer_kicks == [2]
    assert out.events[0] == ("drawer", 2)  # before anything is printed
    for drawer, asked in ((True, False), (False, True), (False, False)):
        _, out = render(slip, "gb18030", drawer=drawer, open_drawer=asked)
        assert out.drawer_kicks == []


def test_no_cutter_feeds_instead_of_cutting() -> None:
    data, out = render(samples.sample_sales_slip(2), "gbk", cutter=False)
    assert out.cuts == [] and b"\x1dV" not in data
    assert out.of("feed").count(4) == 3


def test_big5_prints_simplified_text_in_traditional_form() -> None:
    """Documented: a Big5 printer gets 王丽华 as 王麗華; labels come out traditional too."""
    slip = samples.sample_sales_slip(3)
    _, out = render(slip, "big5")
    assert "客戶：王麗華飾品店 (C00042)" in out.texts
    assert "銷售單" in out.texts and "【第一聯 存根】" in out.texts
    assert any(t.startswith("累計欠款") and t.endswith(slip.cumulative_debt) for t in out.texts)
    assert out.cjk_outside == []


def test_characters_a_codepage_lacks_print_as_fullwidth_question_marks() -> None:
    missing = "锦"  # simplified, not in Big5 and not in the traditional table
    assert missing not in {chr(k) for k in TRADITIONAL}
    with pytest.raises(UnicodeEncodeError):
        missing.encode("big5")
    slip = samples.sample_sales_slip(2)
    slip = dataclasses.replace(slip, customer=dataclasses.replace(slip.customer, name="锦绣银楼💍"),
                               lines=[dataclasses.replace(slip.lines[0], name="锦鲤戒指 ｱ")] + slip.lines[1:])
    _, big5 = render(slip, "big5")
    assert "客戶：？？銀樓？ (C00042)" in big5.texts
    _, gbk = render(slip, "gbk")
    assert "客户：锦绣银楼？ (C00042)" in gbk.texts  # the ring emoji is not in GBK
    assert any("锦鲤戒指 ?" in t for t in gbk.texts)  # half-width katakana would print full width
    _, gb18030 = render(slip, "gb18030")
    # GB18030's four-byte codes (emoji, rare ideographs) are beyond most printer fonts
    assert "客户：锦绣银楼？ (C00042)" in gb18030.texts
    assert b"\x94\x39" not in render(slip, "gb18030")[0]
    for out in (big5, gbk, gb18030):
        rows = [t for t in out.texts if t.startswith("YS-")]
        assert {display_width(r) for r in rows} == {48}


def test_yuan_sign_in_every_mode() -> None:
    receipt = samples.sample("cash_receipt")
    expected = {"gb18030": "收您 ￥600.00，找您 ￥12.50", "gbk": "收您 ￥600.00，找您 ￥12.50",
                "utf8": "收您 ￥600.00，找您 ￥12.50",
                "big5": "收您 ¥600.00，找您 ¥12.50"}  # Big5's full-width yen is U+00A5 in Python
    for mode, line in expected.items():
        _, out = render(receipt, mode, 58)
        assert line in out.texts, (mode, out.texts)


def test_printer_commands_in_data_are_not_sent() -> None:
    slip = samples.sample_sales_slip(2)
    slip = dataclasses.replace(slip, customer=dataclasses.replace(slip.customer, name="王\x1bp\x00\x19\x19"))
    _, out = render(slip, "gb18030", drawer=True)
    assert out.drawer_kicks == []


@pytest.mark.parametrize("mode", TEXT_MODES)
@pytest.mark.parametrize("kind", sorted(set(DOCUMENT_TYPES) - PDF_ONLY))
def test_every_document_kind_prints_in_every_text_mode(kind: str, mode: str) -> None:
    doc = samples.sample(kind, lines=4)
    for paper in (80, 58):
        _, out = render(doc, mode, paper, reprint=True)
        assert out.cjk_outside == []
        assert out.cuts == ["partial"] * (3 if kind in ("sales_slip", "repair_receipt") else 1)
        assert "REPRINT" in out.texts[0]
        columns = PrinterProfile(paper_mm=paper).columns
        assert all(display_width(ln.text) * ln.width <= columns for ln in out.lines)
    if kind == "locker_ticket":
        assert any(ln.text == "A-17" and ln.width == 4 for ln in out.lines)
    if kind == "box_label":
        assert any(ln.text == on_paper(mode, "箱 2/2") and ln.width == 3 for ln in out.lines)
        assert [b.data for b in out.barcodes] == ["XS-20261122-0007-2"]
    if kind == "shipping_notice":
        assert [b.data for b in out.barcodes] == ["SF1234567890123"]
    if kind == "product_label":
        assert [b.data for b in out.barcodes] == ["6901234567892"]


def test_unknown_mode_and_pdf_only_kind_are_refused() -> None:
    with pytest.raises(ValueError, match="PDF only"):
        render_escpos(samples.sample("customer_statement"), PrinterProfile())


@pytest.fixture(scope="module")
def image_bytes_300() -> int:
    return len(render_escpos(samples.sample_sales_slip(300), PrinterProfile(chinese="image")))


@pytest.mark.parametrize("mode", TEXT_MODES)
def test_300_line_slip_is_small_and_complete(mode: str, image_bytes_300: int) -> None:
    """Text mode is at most 1/20 of image mode's bytes (speed is make bench's job)."""
    slip = samples.sample_sales_slip(300)
    profile = PrinterProfile(chinese=mode)
    text = render_escpos(slip, profile)
    assert len(text) * 20 <= image_bytes_300, (len(text), image_bytes_300)
    out = decode(text, mode)
    assert len([t for t in out.texts if t.startswith("YS-")]) == 900
