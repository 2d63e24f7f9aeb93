"""月度经营报告 (the manager's monthly report, A4 PDF): one month's headline figures, sales
per day as a table and a bar chart (reportlab graphics), payments by method, debt ageing,
service levels per week and complaints by category — the figures of the manager's home for
that month, as a frozen snapshot (money as "1234.50", times already local). A pure function
of the dataclass: no Flask, no database."""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from printing.documents import Document
from printing.pdf_page import Section, build
from printing.pdf_parts import Sheet, boxed, details, heading, para, right_stack
from printing.pdf_style import CJK, LATIN, RULE, figure, money
from printing.pdf_table import Column, data_table


@dataclass(frozen=True, kw_only=True)
class Headline:
    sales: str
    orders: int
    returns: str
    net_sales: str
    payments_total: str
    debt_total: str
    credit_total: str
    debtors: int
    complaints: int
    complaints_open: int


@dataclass(frozen=True, kw_only=True)
class DayRow:
    date: str
    sales: str
    orders: int
    returns: str
    net: str


@dataclass(frozen=True, kw_only=True)
class MethodRow:
    method: str
    amount: str
    count: int
    at_settlement: str
    at_desk: str


@dataclass(frozen=True, kw_only=True)
class AgeRow:
    bucket: str
    customers: int
    amount: str


@dataclass(frozen=True, kw_only=True)
class LevelRow:
    week_start: str
    code: str
    met: int
    total: int
    share: str  # "0.9500", "" when nothing was due


@dataclass(frozen=True, kw_only=True)
class CategoryRow:
    category: str
    count: int


@dataclass(frozen=True, kw_only=True)
class MonthlyReport(Document):
    month: str  # 2026-11
    start: str
    end: str
    printed_at: str
    headline: Headline
    days: list[DayRow] = field(default_factory=list)
    payments: list[MethodRow] = field(default_factory=list)
    ageing: list[AgeRow] = field(default_factory=list)
    levels: list[LevelRow] = field(default_factory=list)
    complaints: list[CategoryRow] = field(default_factory=list)


WORDS: dict[str, tuple[str, str]] = {
    "title": ("月度经营报告", "Monthly report"), "period": ("期间", "Period"),
    "printed_at": ("打印时间", "Printed"), "month": ("月份", "Month"),
    "sales": ("销售额", "Sales"), "orders": ("订单数", "Orders"), "returns": ("退货", "Returns"),
    "net_sales": ("净销售额", "Net sales"), "net": ("净额", "Net"),
    "payments_total": ("收款合计", "Money received"), "debt_total": ("欠款合计", "Debts owed"),
    "credit_total": ("余款合计", "Credit held"), "debtors": ("欠款客户", "Customers owing"),
    "complaints": ("本月投诉", "Complaints"), "complaints_open": ("未结投诉", "Complaints open"),
    "sales_per_day": ("每日销售", "Sales per day"), "date": ("日期", "Date"),
    "payments_by_method": ("收款方式", "Payments by method"), "method": ("方式", "Method"),
    "amount": ("金额", "Amount"), "count": ("笔数", "Count"),
    "at_settlement": ("结算收款", "At settlement"), "at_desk": ("收款台", "At the money desk"),
    "debt_ageing": ("欠款账龄（打印时）", "Debt ageing (when printed)"),
    "bucket": ("账龄", "Age"), "customers": ("客户数", "Customers"),
    "service_levels": ("每周服务达标", "Service levels per week"),
    "week": ("周（周一）", "Week of"), "level": ("服务标准", "Level"),
    "met": ("达标", "Met"), "total": ("应计", "Due"), "share": ("达标率", "Share met"),
    "complaints_by_category": ("投诉类别", "Complaints by category"),
    "category": ("类别", "Category"), "none": ("（本期无数据）", "(nothing in this period)"),
    "on_account_note": ("挂账为欠款，不计入收款合计。",
                        "On account is debt left at settlement, not money received."),
    "yuan": ("元", "CNY"),
}
CODES: dict[str, tuple[str, str]] = {
    "cash": ("现金", "Cash"), "bank_transfer": ("银行转账", "Bank transfer"),
    "wechat": ("微信", "WeChat Pay"), "alipay": ("支付宝", "Alipay"),
    "on_account": ("挂账", "On account"),
    "0_30": ("0–30 天", "0–30 days"), "31_90": ("31–90 天", "31–90 days"),
    "90_plus": ("90 天以上", "over 90 days"),
    "greeting_1min": ("1 分钟内接待", "Greeting ≤ 1 min"),
    "inquiry_callback_24h": ("咨询 24 小时内回电", "Inquiry callback ≤ 24 h"),
    "member_callback_3d": ("会员 3 天内回访", "Member callback ≤ 3 days"),
    "online_answer_same_day": ("网上订单当天答复", "Online order answered same day"),
    "complaint_first_response_24h": ("投诉 24 小时内首次响应", "Complaint first response ≤ 24 h"),
    "repair_callback_next_day": ("维修次日回访", "Repair callback next day"),
    "quality": ("质量", "Quality"), "service": ("服务", "Service"),
    "delivery": ("发货", "Delivery"), "price": ("价格", "Price"), "other": ("其他", "Other"),
}

Story = list[Flowable]


def word(lang: str, key: str, table: dict[str, tuple[str, str]] = WORDS) -> str:
    pair = table.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


def render_monthly_report(doc: MonthlyReport) -> bytes:
    """The A4 PDF of the report (reproducible bytes for the same snapshot)."""
    margin = 15 * mm
    sheet = Sheet(lang=doc.lang, width=A4[0] - 2 * margin, size=9.5)
    title = word(doc.lang, "title")
    story = _story(doc, sheet, title)
    name = f"{title} {doc.month}"
    return build(story, A4, margin, footer="   ".join(p for p in (doc.shop, name) if p),
                 lang=doc.lang, reprint=False, title=name, author=doc.shop)


def _story(doc: MonthlyReport, sheet: Sheet, title: str) -> Story:
    lang, h = doc.lang, doc.headline
    w = lambda key: word(lang, key)  # noqa: E731
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right_stack(boxed(doc.month, sheet.size + 3)))
    story.append(details(sheet, [(w("period"), f"{doc.start} – {doc.end}"),
                                 (w("printed_at"), doc.printed_at)]))
    story += [Spacer(1, 6), _headline(sheet, lang, h), Spacer(1, 10)]
    story += _section(sheet, w("sales_per_day"), [_bar_chart(doc, sheet), Spacer(1, 4),
        data_table([
            Column(w("date"), [d.date for d in doc.days], "center"),
            Column(w("orders"), [str(d.orders) for d in doc.days], "figure"),
            Column(w("sales"), [figure(d.sales) for d in doc.days], "money"),
            Column(w("returns"), [figure(d.returns) for d in doc.days], "money"),
            Column(w("net"), [figure(d.net) for d in doc.days], "money"),
        ], sheet.width * 0.7, sheet.size)])
    story += _section(sheet, w("payments_by_method"), [data_table([
        Column(w("method"), [word(lang, p.method, CODES) for p in doc.payments], "flex"),
        Column(w("at_settlement"), [figure(p.at_settlement) for p in doc.payments], "money"),
        Column(w("at_desk"), [figure(p.at_desk) for p in doc.payments], "money"),
        Column(w("amount"), [figure(p.amount) for p in doc.payments], "money"),
        Column(w("count"), [str(p.count) for p in doc.payments], "figure"),
    ], sheet.width, sheet.size), Spacer(1, 2),
        para(w("on_account_note"), sheet.size - 0.5, color="#555555")])
    story += _section(sheet, w("debt_ageing"), [data_table([
        Column(w("bucket"), [word(lang, a.bucket, CODES) for a in doc.ageing], "flex"),
        Column(w("customers"), [str(a.customers) for a in doc.ageing], "figure"),
        Column(w("amount"), [figure(a.amount) for a in doc.ageing], "money"),
    ], sheet.width * 0.6, sheet.size)])
    levels: list[Flowable] = [para(w("none"), sheet.size, color="#555555")]
    if doc.levels:
        levels = [data_table([
            Column(w("week"), [r.week_start for r in doc.levels], "center"),
            Column(w("level"), [word(lang, r.code, CODES) for r in doc.levels], "flex"),
            Column(w("met"), [str(r.met) for r in doc.levels], "figure"),
            Column(w("total"), [str(r.total) for r in doc.levels], "figure"),
            Column(w("share"), [_percent(r.share) for r in doc.levels], "figure"),
        ], sheet.width, sheet.size)]
    story += _section(sheet, w("service_levels"), levels)
    story += _section(sheet, w("complaints_by_category"), [data_table([
        Column(w("category"), [word(lang, c.category, CODES) for c in doc.complaints], "flex"),
        Column(w("count"), [str(c.count) for c in doc.complaints], "figure"),
    ], sheet.width * 0.6, sheet.size)])
    return story


def _section(sheet: Sheet, name: str, body: Story) -> Story:
    head: Story = [para(name, sheet.size + 2, bold=True), Spacer(1, 3)]
    first, rest = (body[0], body[1:]) if body else (Spacer(1, 0), [])
    return [KeepTogether([*head, first]), *rest, Spacer(1, 10)]


def _headline(sheet: Sheet, lang: str, h: Headline) -> Flowable:
    """The headline figures as two rows of five labelled boxes."""
    pairs = [("sales", money(h.sales)), ("orders", str(h.orders)),
             ("returns", money(h.returns)), ("net_sales", money(h.net_sales)),
             ("payments_total", money(h.payments_total)), ("debt_total", money(h.debt_total)),
             ("credit_total", money(h.credit_total)), ("debtors", str(h.debtors)),
             ("complaints", str(h.complaints)), ("complaints_open", str(h.complaints_open))]
    cells = [[para(word(lang, k), sheet.size - 0.5, color="#555555"),
              para(v, sheet.size + 4, bold=True)] for k, v in pairs]
    return Table([cells[:5], cells[5:]], colWidths=[sheet.width / 5] * 5, style=TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.6, RULE), ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4), ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ]), hAlign="LEFT")


def _percent(share: str) -> str:
    if not share:
        return "—"
    whole, _, frac = share.partition(".")
    basis = int(whole) * 10_000 + int((frac + "0000")[:4])  # ten-thousandths, no float
    return f"{basis // 100}.{basis % 100:02d} %"


def _yuan(amount: str) -> int:
    """Whole yuan of "1234.50" for the chart's bar heights (integers, never a float)."""
    whole = amount.strip().split(".")[0]
    return int(whole) if whole.lstrip("-").isdigit() else 0


def _bar_chart(doc: MonthlyReport, sheet: Sheet) -> Drawing:
    """Sales per day as bars (whole yuan), a day number under each."""
    height = 150.0
    d = Drawing(sheet.width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 44, 22
    chart.width, chart.height = sheet.width - 54, height - 36
    values = [_yuan(r.sales) for r in doc.days] or [0]
    chart.data = [values]
    chart.categoryAxis.categoryNames = [r.date[-2:] for r in doc.days] or [""]
    chart.categoryAxis.labels.fontName = LATIN
    chart.categoryAxis.labels.fontSize = 6.5
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = LATIN
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: f"{int(v):,}"
    chart.bars[0].fillColor = colors.HexColor("#10231c")
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    d.add(chart)
    d.add(String(0, height - 8, word(doc.lang, "yuan"), fontName=CJK, fontSize=7,
                 fillColor=colors.HexColor("#555555")))
    return d
