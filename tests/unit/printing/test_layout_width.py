"""Display width (a Chinese character is two columns) and the receipt layouts built on it:
every line of every document fits the paper, tables line up on 80 and 58 mm, reprints
are marked on every copy, and text from the database can't smuggle printer commands."""
from __future__ import annotations

import dataclasses

import pytest

from printing import samples
from printing.compose import compose
from printing.documents import DOCUMENT_TYPES, PDF_ONLY, Line
from printing.layout import QR, Barcode, Cut, Layout, Row, Text
from printing.profiles import PrinterProfile
from printing.width import char_width, clean, display_width, pad, truncate, wrap

ESC_POS_KINDS = sorted(set(DOCUMENT_TYPES) - PDF_ONLY)


@pytest.mark.parametrize(("text", "width"), [
    ("", 0), ("A", 1), ("YS-10000", 8), ("银", 2), ("￥", 2), ("，", 2), ("：", 2), ("（）", 4),
    ("【", 2), ("925银镶锆石戒指", 15), ("S925 sterling 手链", 18), ("138****5678", 11), ("Ｗ", 2),
])
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


def test_control_and_combining_characters_take_no_column() -> None:
    assert char_width("\x1b") == 0
    assert char_width("\u0301") == 0
    assert clean("王\x1bp\x00\x19丽华\n") == "王 p  丽华 "
    assert display_width(clean("a\x1bb")) == 3


def test_pad_gives_exact_width_in_every_alignment() -> None:
    for text in ("银饰", "A-17", "纯银耳钉 Ear stud", ""):
        for align, width in (("left", 20), ("right", 20), ("center", 21)):
            padded = pad(text, width, align)
            assert display_width(padded) == width
            assert padded.strip() == text.strip()
    assert pad("12.50", 8, "right") == "   12.50"
    assert pad("金额", 6, "right") == "  金额"


def test_truncate_never_splits_a_wide_character() -> None:
    assert truncate("银饰批发", 5) == "银饰"
    assert pad("银饰批发", 5) == "银饰 "
    assert truncate("ab银", 3) == "ab"


def test_wrap_fits_width_and_keeps_every_character() -> None:
    text = samples.sample("shipping_notice").text  # type: ignore[attr-defined]
    for width in (16, 20, 31, 32, 48):
        lines = wrap(text, width)
        assert all(display_width(ln) <= width for ln in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        if width >= 20:  # narrower, the waybill number and its comma can't share a line
            assert not any(ln[:1] in "，。：" for ln in lines), lines
    # the word before closing punctuation comes down whole (a waybill is never split)
    assert "SF1234567890123，预计 2026-11-24" in wrap(text, 32)


def test_wrap_splits_only_words_longer_than_a_line() -> None:
    assert wrap("运单号 SF1234567890123", 12) == ["运单号", "SF1234567890", "123"]
    assert wrap("Sterling silver ring", 10) == ["Sterling", "silver", "ring"]
    assert wrap("一二三，四", 6) == ["一二", "三，四"]
    with pytest.raises(ValueError, match="at least 1"):
        wrap("x", 0)


def test_table_row_wraps_a_long_cell_inside_its_column() -> None:
    lay = Layout(32)
    lay.row(("YS-1", "很长很长的银饰品名字", "3", "12.50"), (5, 12, 4, 8), ("left", "left", "right", "right"))
    rows = [b for b in lay.blocks if isinstance(b, Row)]
    assert [r.text for r in rows] == ["YS-1  很长很长的银    3    12.50",
                                      "      饰品名字                  "]
    assert all(display_width(r.text) == 32 for r in rows)
    with pytest.raises(ValueError, match="wider"):
        lay.row(("a", "b"), (20, 20), ("left", "left"))


def _lines(layout: Layout) -> list[Text | Row]:
    return [b for b in layout.blocks if isinstance(b, Text | Row)]


@pytest.mark.parametrize("kind", ESC_POS_KINDS)
@pytest.mark.parametrize("paper", [80, 58])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_line_of_every_document_fits_the_paper(kind: str, paper: int, lang: str) -> None:
    profile = PrinterProfile(paper_mm=paper)
    layout = compose(samples.sample(kind, lines=12, lang=lang), profile, reprint=True)
    assert layout.columns == profile.columns
    for block in _lines(layout):
        width = block.width if isinstance(block, Text) else 1
        assert display_width(block.text) * width <= profile.columns, block
    assert isinstance(layout.blocks[-1], Cut)
    first = _lines(layout)[0]
    assert "REPRINT" in first.text and (lang == "en" or "重印" in first.text)


def test_customer_statement_is_pdf_only() -> None:
    with pytest.raises(ValueError, match="PDF only"):
        compose(samples.sample("customer_statement"), PrinterProfile())


def _item_rows(layout: Layout) -> list[str]:
    return [b.text for b in layout.blocks if isinstance(b, Row) and b.text.startswith("YS-")]


def test_80mm_item_table_columns_line_up_with_mixed_chinese_and_ascii() -> None:
    layout = compose(samples.sample_sales_slip(8), PrinterProfile(paper_mm=80))
    rows = _item_rows(layout)
    assert len(rows) == 8 * 3  # three copies
    assert {display_width(r) for r in rows} == {48}
    header = next(b.text for b in layout.blocks if isinstance(b, Row) and "品名" in b.text)
    assert display_width(header) == 48 and header.rstrip().endswith("金额")
    # the name column starts at the same column on every row, amounts end at the edge
    starts = {display_width(r[:r.index(" ") + 1]) for r in rows}
    assert starts == {9}
    for row, line in zip(rows, samples.sample_lines(8) * 3, strict=True):
        assert row.endswith(" " + line.amount)
        assert line.name in row


def test_58mm_puts_the_name_on_its_own_line_with_figures_under_it() -> None:
    slip = samples.sample_sales_slip(8)
    layout = compose(slip, PrinterProfile(paper_mm=58))
    texts = [b.text for b in _lines(layout)]
    for line in slip.lines:
        i = texts.index(line.name)
        figures = texts[i + 1]
        assert figures.startswith(line.code) and figures.endswith(" " + line.amount)
        assert display_width(figures) == 32
    totals = [t for t in texts if t.startswith(("上次欠款", "本单金额", "已付", "累计欠款"))]
    assert len(totals) == 4 * 3 and {display_width(t) for t in totals} == {32}


def test_long_names_and_big_amounts_still_line_up() -> None:
    slip = samples.sample_sales_slip(3)
    lines = [Line(code="YS-1234567890123", name="足银999古法手工錾刻龙凤呈祥手镯（大号）", qty=120,
                  unit_price="12345.67", amount="1481480.40")] + slip.lines
    slip = dataclasses.replace(slip, lines=lines)
    for paper in (80, 58):
        columns = PrinterProfile(paper_mm=paper).columns
        rows = [b.text for b in compose(slip, PrinterProfile(paper_mm=paper)).blocks if isinstance(b, Row)]
        assert {display_width(r) for r in rows} == {columns}
        assert any(r.endswith(" 1481480.40") for r in rows)
        assert all(r.endswith(("40", "50", "32", "24", "金额", "  ")) for r in rows), rows


def test_sales_slip_copies_totals_and_codes() -> None:
    slip = samples.sample_sales_slip(4)
    layout = compose(slip, PrinterProfile())
    texts = [b.text for b in _lines(layout)]
    for copy in slip.copies:
        assert f"【{copy}】" in texts
    for label, value in (("上次欠款", slip.previous_debt), ("本单金额", slip.this_order),
                         ("已付", slip.paid), ("累计欠款", slip.cumulative_debt)):
        assert sum(t.startswith(label) and t.endswith(value) for t in texts) == 3
    assert "电话：138****5678" in texts
    assert [b for b in layout.blocks if isinstance(b, Barcode)] == [Barcode(slip.number)] * 3
    assert [b for b in layout.blocks if isinstance(b, QR)] == [QR(slip.number)] * 3
    assert sum(isinstance(b, Cut) for b in layout.blocks) == 3


def test_english_labels() -> None:
    texts = [b.text for b in _lines(compose(samples.sample("sales_slip", lang="en"), PrinterProfile()))]
    assert "Sales slip" in texts
    assert any(t.startswith("Previous debt") for t in texts)
    assert any(t.startswith("Total debt") for t in texts)
    receipt = [b.text for b in _lines(compose(samples.sample("cash_receipt", lang="en"), PrinterProfile()))]
    assert "Received ￥600.00, change ￥12.50" in receipt


def test_cash_receipt_says_received_and_change() -> None:
    texts = [b.text for b in _lines(compose(samples.sample("cash_receipt"), PrinterProfile(paper_mm=58)))]
    assert "收您 ￥600.00，找您 ￥12.50" in texts


def test_box_label_locker_ticket_and_product_label() -> None:
    box = compose(samples.sample("box_label"), PrinterProfile(paper_mm=58))
    big = [b for b in box.blocks if isinstance(b, Text) and b.text == "箱 2/2"]
    assert big and big[0].width >= 2 and big[0].height >= 2
    assert Barcode("XS-20261122-0007-2") in box.blocks
    assert any(isinstance(b, Text) and b.text == "电话：13812345678" for b in box.blocks)
    ticket = compose(samples.sample("locker_ticket"), PrinterProfile())
    locker = next(b for b in ticket.blocks if isinstance(b, Text) and b.text == "A-17")
    assert locker.width == locker.height == 4
    tag = compose(samples.sample("product_label"), PrinterProfile())
    assert Barcode("6901234567892") in tag.blocks
    assert any(isinstance(b, Text) and b.text == "￥12.50" for b in tag.blocks)
    notice = compose(samples.sample("shipping_notice"), PrinterProfile())
    assert Barcode("SF1234567890123") in notice.blocks


def test_database_text_cannot_carry_printer_commands() -> None:
    slip = samples.sample_sales_slip(2)
    evil = dataclasses.replace(slip.customer, name="王\x1bp\x00\x19\x19丽华")
    slip = dataclasses.replace(slip, customer=evil,
                               lines=[dataclasses.replace(slip.lines[0], name="戒指\x1d\x56\x00")])
    for block in _lines(compose(slip, PrinterProfile())):
        assert block.text.isprintable(), block


def test_barcode_falls_back_to_text_for_data_code128_cannot_carry() -> None:
    tag = dataclasses.replace(samples.sample("product_label"), barcode="条码123")  # type: ignore[type-var]
    layout = compose(tag, PrinterProfile())
    assert not any(isinstance(b, Barcode) for b in layout.blocks)
    assert any(isinstance(b, Text) and b.text == "条码123" for b in layout.blocks)
