"""Shared pieces of the PDF documents: fonts, labels in both languages, money as printed,
text wrapping and the table look.

Chinese prints in reportlab's built-in CID font STSong-Light, so no font file has to be
installed; figures and codes print in Helvetica so columns of amounts read cleanly.
Money strings are printed as given, only grouped in thousands, never through a float.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

from printing.labels_text import LABELS as TEXT_LABELS

CJK = "STSong-Light"
LATIN = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
pdfmetrics.registerFont(UnicodeCIDFont(CJK))

INK = colors.black
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#888888")
HEAD_FILL = colors.HexColor("#e4e4e4")
ZEBRA = colors.HexColor("#f4f4f4")
STAMP = colors.HexColor("#c0262d")

# The receipt's words (printing.labels_text) where the PDF says the same, then what the
# PDF words differently (a printed form reads 实收 / 找零 where the receipt speaks 收您 / 找您)
# or has alone.
LABELS: dict[str, tuple[str, str]] = {
    **TEXT_LABELS,
    "product_label": ("吊牌", "Product label"),
    "customer_statement": ("对账单", "Customer statement"),
    "order": ("订单号", "Order"),
    "row": ("序", "#"),
    "unit_price": ("单价", "Price"),
    "lines": ("共 {n} 款 {q} 件", "{n} items, {q} pieces"),
    "previous_debt": ("上次欠款", "Previous balance"),
    "cumulative_debt": ("累计欠款", "Balance owed"),
    "page": ("第 {n} 页 / 共 {total} 页", "Page {n} of {total}"),
    "cash": ("收款", "Cash taken"),
    "tendered": ("实收", "Tendered"),
    "change": ("找零", "Change"),
    "visit": ("来访", "Visit"),
    "locker_note": ("凭此牌取回寄存物品，请妥善保管。", "Show this ticket to collect your belongings."),
    "box_of": ("第 {n} 箱 / 共 {total} 箱", "Box {n} of {total}"),
    "checked": ("复核", "Checked by"),
    "carrier": ("承运商", "Carrier"),
    "shipped_on": ("发货日期", "Shipped on"),
    "message": ("通知内容", "Message"),
    "price": ("价格", "Price"),
    "period": ("期间", "Period"),
    "opening_balance": ("期初余额", "Opening balance"),
    "closing_balance": ("期末余额", "Closing balance"),
    "kind": ("类型", "Type"),
    "ref": ("单据", "Reference"),
    "balance": ("余额", "Balance"),
    "no_entries": ("本期无往来", "No entries in this period"),
    "statement_note": ("如有疑问请于收到后七日内与本店联系。",
                       "Please contact us within 7 days about any difference."),
    "printed_at": ("打印时间", "Printed"),
    "to": ("至", "to"),
    "recipient": ("收件人", "To"),
    "daily_report": ("日报表", "Daily report"),
    "report_date": ("营业日", "Business day"),
    "sales_total": ("销售额", "Sales"),
    "orders": ("结算单数", "Orders settled"),
    "payments_total": ("收款合计", "Money taken"),
    "on_account_total": ("挂账", "On account"),
    "returns_total": ("退货", "Returns"),
    "refunds_total": ("退款", "Refunds of credit"),
    "debt_total": ("客户欠款合计（日终）", "Debts outstanding (end of day)"),
    "credit_total": ("客户余款合计（日终）", "Credit held (end of day)"),
    "shifts": ("交班", "Shift closes"),
    "no_shifts": ("当日无交班", "No shift closed this day"),
    "payments_by_method": ("收款方式", "Payments by method"),
}

PAYMENT_METHODS: dict[str, tuple[str, str]] = {
    "cash": ("现金", "Cash"),
    "bank_transfer": ("银行转账", "Bank transfer"),
    "wechat": ("微信", "WeChat"),
    "alipay": ("支付宝", "Alipay"),
    "on_account": ("挂账", "On account"),
}

ENTRY_KINDS: dict[str, tuple[str, str]] = {
    "opening": ("期初", "Opening"),
    "sale": ("销售", "Sale"),
    "payment": ("收款", "Payment"),
    "return": ("退货", "Return"),
    "return_credit": ("退货", "Return"),
    "refund": ("退款", "Refund"),
    "adjustment": ("调整", "Adjustment"),
    "reversal": ("冲销", "Reversal"),
    "shipping_fee": ("运费", "Shipping fee"),
    "consignment_offset": ("代销款抵扣", "Consignment offset"),
}

_MONEY = re.compile(r"(-?)(\d+)(\.\d+)?")


def label(lang: str, key: str, **values: object) -> str:
    """The label `key` in the document's language (anything but "en" prints Chinese)."""
    zh, en = LABELS[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def named(table: dict[str, tuple[str, str]], lang: str, key: str) -> str:
    """A payment method or ledger kind by name; unknown names print as given."""
    pair = table.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


def figure(amount: str) -> str:
    """ "1234.50" -> "1,234.50": grouped from the digits themselves; odd strings as given."""
    match = _MONEY.fullmatch(amount.strip())
    if match is None:
        return amount
    sign, whole, cents = match.groups()
    return f"{sign}{int(whole):,}{cents or ''}"


def money(amount: str) -> str:
    """ "1234.50" -> "¥1,234.50", "-200.00" -> "-¥200.00"; odd strings as given."""
    if _MONEY.fullmatch(amount.strip()) is None:
        return amount
    text = figure(amount)
    return f"-¥{text[1:]}" if text.startswith("-") else f"¥{text}"


def is_latin(text: str) -> bool:
    """True when Helvetica can print every character (its WinAnsi is Windows-1252)."""
    if text.isascii():
        return True
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def text_font(text: str, *, bold: bool = False) -> str:
    """Helvetica for a Latin label or figure (the CJK font's Latin glyphs are spaced for
    Chinese text), STSong-Light as soon as there is a Chinese character."""
    if is_latin(text):
        return LATIN_BOLD if bold else LATIN
    return CJK


def font_for(texts: Sequence[str]) -> str:
    """Helvetica for a column of codes and figures, the CJK font once anything is not Latin."""
    return LATIN if all(is_latin(t) for t in texts) else CJK


@lru_cache(maxsize=8192)
def width(text: str, font: str, size: float) -> float:
    """Width in points (cached: quantities, prices and names repeat down a long slip)."""
    return pdfmetrics.stringWidth(text, font, size)


def wrap(text: str, font: str, size: float, limit: float) -> list[str]:
    """Break `text` into lines no wider than `limit`: at spaces where a Latin word allows,
    anywhere between Chinese characters (which need no spaces)."""
    if width(text, font, size) <= limit:
        return [text]
    lines: list[str] = []
    line = ""
    for token in re.findall(r"[\x21-\x7e]+|\s+|.", text):
        trial = line + token
        if width(trial, font, size) <= limit:
            line = trial
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = token.lstrip()
        while width(line, font, size) > limit and len(line) > 1:  # a word wider than the column
            cut = len(line) - 1
            while cut > 1 and width(line[:cut], font, size) > limit:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def fit_size(text: str, font: str, size: float, limit: float, smallest: float) -> float:
    """The largest size up to `size` (down to `smallest`) at which `text` fits `limit`."""
    while size > smallest and width(text, font, size) > limit:
        size -= 0.5
    return size
