"""The reportlab PDF of every printing document: what pdftotext reads back (Chinese names,
products, totals, copy names), pages and page numbers of a long slip with its header row
repeated, 重印 on every page of a reprint, barcodes that scan, and bad input refused.
PNGs of the pages land in artifacts/printing/pdf/ for a person to look at."""
from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from printing.documents import DOCUMENT_TYPES, Line, Party, StatementEntry, to_payload
from printing.pdf import render_pdf
from printing.pdf_style import figure, money
from printing.samples import CUSTOMER, NAMES, sample, sample_sales_slip

ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "printing" / "pdf"
COPIES = ("第一联 存根", "第二联 保管", "第三联 客户")
HEADER_ROW = re.compile(r"序\s+编码\s+品名\s+数量\s+单价\s+金额")


def save(name: str, pdf: bytes) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    return path


def text_of(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def png(path: Path, *, first: int = 1, last: int = 1, dpi: int = 60) -> list[Path]:
    stem = path.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(first), "-l", str(last), str(path),
                    str(stem)], check=True)
    return sorted(path.parent.glob(f"{stem.name}-*.png"))


def barcodes(path: Path, page: int = 1) -> list[str]:
    stem = path.with_name(f"{path.stem}-scan")
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                    str(path), str(stem)], check=True)
    with Image.open(f"{stem}.png") as image:
        return [code.data.decode() for code in decode(image)]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# what each kind must show, as pdftotext reads it back (spaces ignored)
EXPECTED = {
    "sales_slip": ["银饰批发展厅", "销售单", "XS-20261122-0007", "王丽华饰品店", "C00042", "138****5678",
                   "浙江省义乌市国际商贸城二区12号", "925银镶锆石戒指", "纯银耳钉Earstud", "上次欠款",
                   "¥1,200.00", "本单金额", "已付", "累计欠款", "现金", "挂账", "客户签字", "经手人",
                   *COPIES],
    "cash_receipt": ["收款小票", "XS-20261122-0007", "王丽华饰品店", "¥587.50", "¥600.00", "¥12.50", "收款",
                     "找零"],
    "return_slip": ["退货单", "TH-20261122-0003", "XS-20261122-0007", "王丽华饰品店", "925银镶锆石戒指",
                    "退货金额", "客户签字"],
    "locker_ticket": ["寄存牌", "A-17", "王丽华饰品店", "C00042", "2026-11-2214:02", "314"],
    "packing_list": ["装箱单", "XS-20261122-0007", "王丽华饰品店", "第1箱/共2箱", "925银镶锆石戒指",
                     "1005赵敏", "装箱人"],
    "box_label": ["收件人", "王丽华饰品店", "浙江省义乌市国际商贸城二区12号", "13812345678",
                  "XS-20261122-0007", "2/2", "第2箱/共2箱"],
    "shipping_notice": ["发货通知", "XS-20261122-0007", "王丽华饰品店", "顺丰速运", "SF1234567890123",
                        "2026-11-24", "预计2026-11-24到达"],
    "product_label": ["YS-10001", "925银镶锆石戒指", "¥12.50"],
    "customer_statement": ["对账单", "王丽华饰品店", "2026-11-01至2026-11-30", "期初余额", "¥1,200.00",
                           "期末余额", "销售", "收款", "XS-20261101-0000", "350.00", "-200.00"],
    "desk_receipt": ["收款单", "SK-20261122-0004", "王丽华饰品店", "138****5678", "现金", "上次欠款",
                     "¥8,530.00", "本次收款", "¥5,000.00", "实收", "¥5,100.00", "找零", "¥100.00",
                     "累计欠款", "¥3,530.00"],
    "refund_slip": ["退款单", "TK-20261122-0001", "王丽华饰品店", "微信", "上次余款", "¥450.00", "退款金额",
                    "¥300.00", "现有余款", "¥150.00", "客户多付，退回余款", "1001张经理"],
}
EXPECTED["shift_report"] = ["交班对账单", "JB-20261122-0001", "1002李娜", "备用金", "¥500.00", "现金",
                            "3,587.50", "3,577.50", "-10.00", "现金差额", "-¥10.00", "1001王经理",
                            "2026-11-2209:00"]
EXPECTED["daily_report"] = ["日报表", "2026-11-22", "销售额", "¥18,620.00", "结算单数", "12", "现金",
                            "3,087.50", "15,947.50", "¥85,300.00", "-¥1,250.00", "JB-20261122-0001",
                            "1002李娜"]
EXPECTED["aftersales_exchange"] = ["换货单", "HH-20261122-0001", "XS-20261120-0003", "货不对版",
                                   "退回商品", "925银镶锆石手链", "换出商品", "925银素圈手链",
                                   "应补差价", "30.00", "外地客户换货", "1002李娜"]
EXPECTED["aftersales_return"] = ["售后退货单", "TH-20261122-0004", "质量问题已确认", "退货金额",
                                 "240.00", "批发自提不退换", "经理特批", "1001张经理",
                                 "老客户，电镀脱色，特批退货"]
EXPECTED["repair_receipt"] = ["维修单", "客户联", "工坊联", "存根联", "WX-20261122-0003", "王丽华饰品店",
                              "138****5678", "戒托主石", "925银", "12.35", "主石脱落", "1003赵敏"]
EXPECTED["repair_bag_label"] = ["维修袋", "WX-20261122-0003", "王丽华饰品店", "戒托主石", "925银"]
EXPECTED["repair_handover"] = ["送外维修交接单", "SW-20261122-0001", "曼谷金工坊", "WX-20261122-0003",
                               "黄金", "8.20", "1001王经理", "1004陈刚"]
EXPECTED["consignment_list"] = ["委托代销清单", "DX-20261122-0001", "pf123李", "李明", "138****5678",
                                "pf123-001", "古法银手镯", "128.00", "按分成", "委托人签字", "待签字"]
EXPECTED["consignment_label"] = ["pf123李", "古法银手镯", "128.00", "pf123-001"]
EXPECTED["consignor_payout"] = ["代销付款单", "DF-20261122-0001", "pf123李", "李秀英", "抵扣欠款",
                                "付款前应付", "560.00", "抵扣后欠款", "900.00", "本次付款"]
EXPECTED["consignor_statement"] = ["代销对账单", "pf123李", "李秀英", "已售", "pf123-001",
                                   "XS-20261122-0007", "在店未售", "已取回", "应付代销款",
                                   "260.00"]
EXPECTED["complaint_report"] = ["投诉处理单", "TS-20261122-0001", "王丽华饰品店", "138****5678", "质量",
                               "上周买的银项链戴了三天就掉色", "品控部", "经理批准", "1005刘经理",
                               "HH-20261123-0001", "客户电话确认"]
EXPECTED["remit_notice"] = ["汇款通知", "XS-20261122-0009", "王丽华饰品店", "本单金额", "3,280.00",
                          "上次欠款", "1,500.00", "运费(顺丰)", "36.00", "应汇款金额", "¥4,816.00",
                          "请汇款至", "中国工商银行义乌分行", "6222081208001234567"]
LABEL_PAGES = {"box_label": "283.465 x 425.197", "product_label": "170.079 x 113.386",
               "consignment_label": "170.079 x 113.386"}
PAGE_SIZES = {"A5": "419.528 x 595.276", "A4": "595.276 x 841.89"}


def test_every_kind_is_covered():
    assert set(EXPECTED) == set(DOCUMENT_TYPES)


@pytest.mark.parametrize("page", ["A5", "A4"])
@pytest.mark.parametrize("kind", sorted(DOCUMENT_TYPES))
def test_every_document_renders_and_reads_back(kind, page):
    path = save(f"{kind}-{page}", render_pdf(sample(kind), page=page))
    assert path.read_bytes().startswith(b"%PDF-")
    meta = info(path)
    assert meta["Page size"].startswith(LABEL_PAGES.get(kind, PAGE_SIZES[page]))
    text = squash(text_of(path))
    missing = [want for want in EXPECTED[kind] if squash(want) not in text]
    assert not missing, f"{kind} {page}: {missing} not in {text[:400]}"
    assert "重印" not in text
    assert png(path)


def test_sales_slip_has_one_section_per_copy_each_from_a_new_page():
    path = save("sales_slip-copies", render_pdf(sample_sales_slip(5)))
    assert info(path)["Pages"] == "3"
    for n, copy in enumerate(COPIES, start=1):
        page = text_of(path, n)
        assert copy in page and all(other not in page for other in COPIES if other != copy)
        assert "王丽华饰品店" in page and "¥1,200.00" in page and "第1页/共1页" in squash(page)
        for line in sample_sales_slip(5).lines:
            assert line.name in page and figure(line.amount) in page


def test_sales_slip_totals_are_the_documents_strings_grouped():
    slip = dataclasses.replace(sample_sales_slip(3), previous_debt="1234567.05", this_order="0.50",
                               paid="100000.00", cumulative_debt="1334567.55")
    text = text_of(save("sales_slip-totals", render_pdf(slip)), 1)
    for want in ("¥1,234,567.05", "¥0.50", "¥100,000.00", "¥1,334,567.55"):
        assert want in text
    for label, amount in (("上次欠款", "¥1,234,567.05"), ("累计欠款", "¥1,334,567.55")):
        assert re.search(rf"{label}\s+{re.escape(amount)}", text), label


def test_copy_names_come_from_the_document():
    slip = dataclasses.replace(sample_sales_slip(2), copies=["客户联"])
    path = save("sales_slip-one-copy", render_pdf(slip))
    assert info(path)["Pages"] == "1" and "客户联" in text_of(path)


def test_long_slip_flows_over_pages_with_the_header_row_repeated():
    slip = sample_sales_slip(300)
    path = save("sales_slip-300", render_pdf(slip, page="A5"))
    pages = int(info(path)["Pages"])
    assert pages >= 3 * 4 and pages % 3 == 0
    per_copy = pages // 3
    seen_codes: list[str] = []
    for n in range(1, pages + 1):
        text = text_of(path, n)
        copy, page_in_copy = divmod(n - 1, per_copy)
        assert HEADER_ROW.search(text), f"page {n} has no header row"
        assert f"第{page_in_copy + 1}页/共{per_copy}页" in squash(text)
        assert COPIES[copy] in text  # the heading on a copy's first page, the running header after
        if copy == 0:
            seen_codes += re.findall(r"YS-1\d{4}", text)
    assert seen_codes == [line.code for line in slip.lines]  # every line once, in order
    last = text_of(path, per_copy)
    assert "累计欠款" in last and money(slip.cumulative_debt) in last and "共 300 款" in last
    assert png(path, first=1, last=2)


def test_a4_holds_more_lines_per_page_than_a5():
    slip = sample_sales_slip(120)
    a5 = int(info(save("sales_slip-120-A5", render_pdf(slip, page="A5")))["Pages"])
    a4 = int(info(save("sales_slip-120-A4", render_pdf(slip, page="A4")))["Pages"])
    assert a4 < a5


@pytest.mark.parametrize("kind", sorted(DOCUMENT_TYPES))
def test_a_reprint_is_marked_on_every_page(kind):
    doc = sample(kind, lines=80)
    path = save(f"{kind}-reprint", render_pdf(doc, page="A5", reprint=True))
    pages = int(info(path)["Pages"])
    for n in range(1, pages + 1):
        assert "重印 / REPRINT" in text_of(path, n), f"{kind} page {n}"
    if kind == "sales_slip":
        assert pages > 3
        assert png(path)


def test_english_labels():
    path = save("sales_slip-en", render_pdf(sample("sales_slip", lang="en")))
    text = text_of(path, 1)
    for want in ("Sales slip", "Customer", "Previous balance", "This order", "Paid", "Balance owed",
                 "Customer signature", "Handled by", "Payments: Cash ¥", "Page 1 of 1", "王丽华饰品店"):
        assert want in text
    assert "累计欠款" not in text
    statement = text_of(save("customer_statement-en", render_pdf(sample("customer_statement", lang="en"))))
    assert "Opening balance" in statement and "Sale" in statement and "Payment" in statement


def test_statement_names_kinds_in_chinese_and_shows_balances():
    doc = sample("customer_statement", lines=4)
    entries = [*doc.entries,
               StatementEntry(date="2026-11-20", kind="return_credit", ref="TH-1", amount="-50.00",
                              balance_after="1450.00"),
               StatementEntry(date="2026-11-21", kind="shipping_fee", ref="XS-9", amount="20.00",
                              balance_after="1470.00"),
               StatementEntry(date="2026-11-22", kind="adjustment", ref="ADJ-1", amount="-1470.00",
                              balance_after="0.00"),
               StatementEntry(date="2026-11-23", kind="mystery", ref="M-1", amount="1.00",
                              balance_after="1.00")]
    doc = dataclasses.replace(doc, entries=entries, closing_balance="1.00")
    text = text_of(save("customer_statement-kinds", render_pdf(doc, page="A4")))
    for want in ("销售", "收款", "退货", "运费", "调整", "mystery", "期初余额", "¥1,200.00", "期末余额",
                 "¥1.00", "-1,470.00"):
        assert want in text
    assert "return_credit" not in text and "shipping_fee" not in text


def test_statement_without_entries_says_so():
    doc = dataclasses.replace(sample("customer_statement"), entries=[], closing_balance="1200.00")
    assert "本期无往来" in text_of(save("customer_statement-empty", render_pdf(doc)))


@pytest.mark.parametrize(("kind", "code"), [("sales_slip", "XS-20261122-0007"),
                                            ("box_label", "XS-20261122-0007-2"),
                                            ("product_label", "6901234567892"),
                                            ("packing_list", "XS-20261122-0007")])
def test_barcodes_scan(kind, code):
    path = save(f"{kind}-barcode", render_pdf(sample(kind)))
    assert barcodes(path) == [code]


def test_barcode_must_be_printable_ascii():
    doc = dataclasses.replace(sample("box_label"), barcode="箱-1")
    with pytest.raises(ValueError, match="barcode"):
        render_pdf(doc)


@pytest.mark.parametrize("page", ["Letter", "A3", "", "A 4", None, 5])
def test_bad_page_is_refused(page):
    with pytest.raises(ValueError, match="A4 or A5"):
        render_pdf(sample("sales_slip"), page=page)


def test_page_name_is_not_case_sensitive():
    assert render_pdf(sample("cash_receipt"), page="a4") == render_pdf(sample("cash_receipt"), page="A4")


def test_same_document_same_bytes():
    assert render_pdf(sample_sales_slip(20)) == render_pdf(sample_sales_slip(20))


def test_awkward_text_survives():
    """PDF string delimiters, markup characters and very long names in every kind of cell."""
    odd = "银链(925) \\ 特价 & <b>新款</b> 😀"
    long_name = "超长品名" * 30
    party = Party(code="C(1)", name="李&王 <饰品> (义乌)", phone_masked="139****0000",
                  address="地址" * 40)
    slip = dataclasses.replace(sample_sales_slip(2), customer=party, lines=[
        Line(code="X(1)\\", name=odd, qty=1, unit_price="1.00", amount="1.00"),
        Line(code="X2", name=long_name, qty=2, unit_price="abc", amount="n/a"),
    ])
    path = save("sales_slip-awkward", render_pdf(slip))
    text = text_of(path, 1)
    flat = squash(text)
    assert "X(1)\\" in text and "银链(925)\\特价&<b>新款</b>" in flat
    assert "李&王<饰品>(义乌)" in flat and "C(1)" in text
    assert "abc" in text and "n/a" in text  # odd money strings print as given
    assert long_name[:40] in flat
    assert "□" in text and "㷞" not in text  # beyond the CJK font's 16-bit codes: a box, not garbage
    assert png(path)


def test_documents_render_from_stored_payloads():
    from printing.documents import document_from_payload

    for kind in DOCUMENT_TYPES:
        doc = document_from_payload(kind, to_payload(sample(kind)))
        assert render_pdf(doc).startswith(b"%PDF-")


def test_money_figures_come_from_the_digits():
    assert figure("1234567.05") == "1,234,567.05"
    assert figure("-200.00") == "-200.00"
    assert figure("999.99") == "999.99"
    assert figure("12") == "12"
    assert figure("n/a") == "n/a"
    assert money("1234.50") == "¥1,234.50"
    assert money("-1234.50") == "-¥1,234.50"
    assert money("0.00") == "¥0.00"
    assert money("") == ""
    assert money("12,34") == "12,34"
    assert money("90071992547409931.01") == "¥90,071,992,547,409,931.01"  # beyond a float's digits


def test_masked_phone_only():
    text = text_of(save("sales_slip-phone", render_pdf(sample("sales_slip"))))
    assert CUSTOMER.phone_masked in text and "13812345678" not in text
    assert all(name in squash(text) for name in map(squash, NAMES[:5]))


def test_absurdly_long_fields_are_cut_rather_than_breaking_the_layout():
    party = dataclasses.replace(CUSTOMER, name="名" * 300, address="很长的地址" * 600)
    slip = dataclasses.replace(sample_sales_slip(3), customer=party)
    assert "…" in text_of(save("sales_slip-absurd", render_pdf(slip)), 1)
    box = dataclasses.replace(sample("box_label"), name="名" * 200, address="址" * 600, order_number="X" * 80)
    assert "…" in text_of(save("box_label-absurd", render_pdf(box)))
    tag = dataclasses.replace(sample("product_label"), name="名" * 200, code="C" * 60, price="123456789.00")
    text = text_of(save("product_label-absurd", render_pdf(tag)))
    assert "…" in text and "¥123,456,789.00" in text
    notice = dataclasses.replace(sample("shipping_notice"), text="通知" * 3000)
    assert int(info(save("shipping_notice-long", render_pdf(notice)))["Pages"]) > 1
    assert render_pdf(dataclasses.replace(sample("locker_ticket"), locker_no="柜" * 200))
    assert render_pdf(sample_sales_slip(0))
    assert render_pdf(dataclasses.replace(sample_sales_slip(2), copies=[]))
