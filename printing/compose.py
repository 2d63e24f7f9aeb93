"""Documents laid out for a receipt printer: one `Layout` per document and paper width.

Both ESC/POS modes (text and image) and the PNG preview print what `compose` returns,
so a receipt reads the same everywhere. Item tables put code / name / qty / price /
amount in columns measured in display width; on 58 mm paper the name gets its own
line with the figures under it. Every copy starts with 重印 / REPRINT when reprinted
and ends with a cut. The customer statement is PDF only.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from printing.documents import (
    PDF_ONLY,
    BoxLabel,
    CashReceipt,
    DeskReceipt,
    Document,
    Line,
    LockerTicket,
    PackingList,
    Party,
    ProductLabel,
    RefundSlip,
    RepairBagLabel,
    RepairHandover,
    RepairReceipt,
    ReturnSlip,
    SalesSlip,
    ShiftReport,
    ShippingNotice,
    kind_of,
)
from printing.labels_text import label, material_label, method_label
from printing.layout import QR, Barcode, Block, Cut, Feed, Layout, Rule
from printing.profiles import PrinterProfile
from printing.signature import has_signature, manager_sign, name_list
from printing.width import clean, display_width

# A name column narrower than this on wide paper looks broken: use the 58 mm form.
MIN_NAME_COLUMNS = 12
MAX_CODE_COLUMNS = 12


def compose(doc: Document, profile: PrinterProfile, *, reprint: bool = False) -> Layout:
    """The layout of `doc` on `profile`'s paper, all copies included."""
    kind = kind_of(doc)
    if kind in PDF_ONLY:
        raise ValueError(f"{kind} prints as PDF only, not on a receipt printer")
    return _COMPOSERS[kind](doc, _Ctx(doc, profile, reprint))


class _Ctx:
    """What every composer needs: the paper's columns, the language, the reprint flag."""

    def __init__(self, doc: Document, profile: PrinterProfile, reprint: bool) -> None:
        self.columns = profile.columns
        self.lang = doc.lang
        self.reprint = reprint
        self.shop = clean(doc.shop)

    def L(self, key: str) -> str:  # noqa: N802 - short on purpose, used on every line
        return label(key, self.lang)

    def new(self) -> Layout:
        return Layout(self.columns)

    def field(self, lay: Layout, key: str, value: object) -> None:
        colon = ": " if self.lang == "en" else "："
        lay.text(f"{self.L(key)}{colon}{clean(str(value))}")

    def head(self, lay: Layout, title_key: str) -> None:
        """Reprint marker, shop name and document title at the top of a copy (a title too
        long for double width prints at single width, tall, rather than wrapping)."""
        if self.reprint:
            lay.text(f"*** {self.L('reprint')} ***", align="center", bold=True, height=2)
        if self.shop:
            lay.text(self.shop, align="center", bold=True, height=2)
        title = self.L(title_key)
        wide = 2 if display_width(title) <= self.columns // 2 else 1
        lay.text(title, align="center", bold=True, width=wide, height=2)

    def sign(self, lay: Layout, key: str, name: str = "") -> None:
        """A signature line: the name printed when known, else a rule to sign on, with a
        blank line above for the pen."""
        colon = ": " if self.lang == "en" else "："
        head = f"{self.L(key)}{colon}"
        lay.add(Feed(1))
        name = clean(name)
        blank = "_" * max(6, self.columns - display_width(head))
        lay.text(head + (name or blank))

    def customer(self, lay: Layout, party: Party, *, code: bool = True) -> None:
        name = clean(party.name)
        if code and party.code:
            name += f" ({clean(party.code)})"
        self.field(lay, "customer", name)
        if party.phone_masked:
            self.field(lay, "phone", party.phone_masked)

    def end(self, lay: Layout) -> None:
        lay.add(Feed(1), Cut())


def barcode(lay: Layout, data: str) -> None:
    """A CODE128 barcode of `data`, or the data as text where CODE128 can't carry it."""
    data = clean(data).strip()
    if data and data.isascii() and len(data) <= 80:
        lay.add(Barcode(data))
    elif data:
        lay.text(data, align="center")


def money(text: str) -> str:
    return clean(text)


# -- item tables -------------------------------------------------------------------------

def items_table(ctx: _Ctx, rows: Sequence[tuple[str, str, Sequence[str]]], figure_keys: Sequence[str]
                ) -> list[Block]:
    """Blocks of a code / name / figures table (figures right-aligned in fixed columns).

    Wide paper: one row per item, a long name wraps inside its column. Narrow paper (or a
    name column that would be too thin): the name on its own line, code and figures under it.
    """
    lay = ctx.new()
    cols = ctx.columns
    heads = [ctx.L(k) for k in figure_keys]
    fig_w = [max([display_width(h)] + [display_width(r[2][i]) for r in rows]) for i, h in enumerate(heads)]
    n_fig = len(fig_w)
    code_head, name_head = ctx.L("code"), ctx.L("name")
    code_w = min(MAX_CODE_COLUMNS, max([display_width(code_head)] + [display_width(r[0]) for r in rows]))
    name_w = cols - code_w - sum(fig_w) - (n_fig + 1)
    right = ("right",) * n_fig
    if name_w >= MIN_NAME_COLUMNS:
        widths = (code_w, name_w, *fig_w)
        aligns = ("left", "left", *right)
        lay.row((code_head, name_head, *heads), widths, aligns, bold=True)
        lay.add(Rule())
        for code, name, figures in rows:
            lay.row((code, name, *figures), widths, aligns)
        return lay.blocks
    code_w = max(1, cols - sum(fig_w) - n_fig)
    widths = (code_w, *fig_w)
    aligns = ("left", *right)
    lay.text(name_head, bold=True)
    lay.row((code_head, *heads), widths, aligns, bold=True)
    lay.add(Rule())
    for code, name, figures in rows:
        lay.text(name)
        lay.row((code, *figures), widths, aligns)
    return lay.blocks


def _line_rows(lines: Sequence[Line]) -> list[tuple[str, str, Sequence[str]]]:
    return [(clean(ln.code), clean(ln.name), (str(ln.qty), money(ln.unit_price), money(ln.amount)))
            for ln in lines]


_LINE_FIGURES = ("qty", "price", "amount")


# -- documents ---------------------------------------------------------------------------

def _sales_slip(doc: SalesSlip, ctx: _Ctx) -> Layout:
    table = items_table(ctx, _line_rows(doc.lines), _LINE_FIGURES)
    body = ctx.new()
    body.add(Rule())
    body.pair(ctx.L("total_qty"), str(sum(ln.qty for ln in doc.lines)))
    body.pair(ctx.L("previous_debt"), money(doc.previous_debt))
    body.pair(ctx.L("this_order"), money(doc.this_order))
    body.pair(ctx.L("paid"), money(doc.paid))
    body.pair(ctx.L("cumulative_debt"), money(doc.cumulative_debt), bold=True)
    if doc.payments:
        body.add(Rule())
        body.text(ctx.L("payments"))
        for p in doc.payments:
            body.pair("  " + method_label(clean(p.method), ctx.lang), money(p.amount))
    counted = clean(name_list(doc.counted_by, ctx.lang))
    signed = bool(doc.customer_signature_png) and has_signature(doc.customer_signature_png)
    if counted or signed:
        body.add(Rule())
    if counted:
        ctx.field(body, "counted_by", counted)
    if signed:
        body.text(ctx.L("signed_by_customer"), bold=True)
    body.add(Rule())
    barcode(body, doc.number)
    body.add(QR(clean(doc.number)))

    lay = ctx.new()
    for copy in doc.copies or [""]:
        ctx.head(lay, "sales_slip")
        if copy:
            lay.text(f"【{clean(copy)}】", align="center", bold=True, width=2, height=2)
        lay.add(Rule("="))
        ctx.field(lay, "number", doc.number)
        ctx.field(lay, "date", doc.printed_at)
        ctx.customer(lay, doc.customer)
        lay.add(Rule())
        lay.add(*table)
        lay.add(*body.blocks)
        ctx.end(lay)
    return lay


def _cash_receipt(doc: CashReceipt, ctx: _Ctx) -> Layout:
    lay = ctx.new()
    ctx.head(lay, "cash_receipt")
    lay.add(Rule("="))
    ctx.field(lay, "number", doc.number)
    ctx.field(lay, "date", doc.printed_at)
    ctx.customer(lay, doc.customer)
    lay.add(Rule())
    yuan = ctx.L("currency")
    lay.pair(ctx.L("cash_due"), yuan + money(doc.cash))
    lay.pair(ctx.L("tendered"), yuan + money(doc.tendered))
    lay.pair(ctx.L("change"), yuan + money(doc.change))
    lay.add(Rule())
    comma = ", " if ctx.lang == "en" else "，"
    change = ctx.L("change").lower() if ctx.lang == "en" else ctx.L("change")
    lay.text(f"{ctx.L('tendered')} {yuan}{money(doc.tendered)}{comma}{change} {yuan}{money(doc.change)}",
             align="center", bold=True, height=2)
    lay.text(ctx.L("thanks"), align="center")
    ctx.end(lay)
    return lay


def _balance(ctx: _Ctx, lay: Layout, amount: str, *, before: bool) -> None:
    """A balance as the floor says it: debt (欠款) when >= 0, credit held (余款) below."""
    yuan = ctx.L("currency")
    text = clean(amount).strip()
    if text.startswith("-"):
        key = "previous_credit" if before else "credit_now"
        lay.pair(ctx.L(key), yuan + money(text[1:]), bold=not before)
    else:
        key = "previous_debt" if before else "cumulative_debt"
        lay.pair(ctx.L(key), yuan + money(text), bold=not before)


def _desk_receipt(doc: DeskReceipt, ctx: _Ctx) -> Layout:
    lay = ctx.new()
    ctx.head(lay, "desk_receipt")
    lay.add(Rule("="))
    ctx.field(lay, "number", doc.number)
    ctx.field(lay, "date", doc.printed_at)
    ctx.customer(lay, doc.customer)
    ctx.field(lay, "method", method_label(clean(doc.method), ctx.lang))
    if doc.reference:
        ctx.field(lay, "reference", doc.reference)
    lay.add(Rule())
    yuan = ctx.L("currency")
    _balance(ctx, lay, doc.balance_before, before=True)
    lay.pair(ctx.L("amount_paid"), yuan + money(doc.amount), bold=True)
    _balance(ctx, lay, doc.balance_after, before=False)
    if doc.method == "cash" and doc.tendered:
        lay.add(Rule())
        comma = ", " if ctx.lang == "en" else "，"
        change = ctx.L("change").lower() if ctx.lang == "en" else ctx.L("change")
        lay.text(f"{ctx.L('tendered')} {yuan}{money(doc.tendered)}{comma}"
                 f"{change} {yuan}{money(doc.change or '0.00')}",
                 align="center", bold=True, height=2)
    if doc.note:
        ctx.field(lay, "note", doc.note)
    lay.add(Rule())
    if doc.cashier:
        ctx.field(lay, "cashier", doc.cashier)
    ctx.sign(lay, "customer_sign")
    lay.add(Feed(1))
    barcode(lay, doc.number)
    lay.text(ctx.L("thanks"), align="center")
    ctx.end(lay)
    return lay


def _refund_slip(doc: RefundSlip, ctx: _Ctx) -> Layout:
    lay = ctx.new()
    ctx.head(lay, "refund_slip")
    lay.add(Rule("="))
    ctx.field(lay, "number", doc.number)
    ctx.field(lay, "date", doc.printed_at)
    ctx.customer(lay, doc.customer)
    ctx.field(lay, "refund_method", method_label(clean(doc.method), ctx.lang))
    lay.add(Rule())
    yuan = ctx.L("currency")
    _balance(ctx, lay, doc.balance_before, before=True)
    lay.pair(ctx.L("refund_amount"), yuan + money(doc.amount), bold=True)
    _balance(ctx, lay, doc.balance_after, before=False)
    ctx.field(lay, "reason", doc.reason)
    lay.add(Rule())
    if doc.cashier:
        ctx.field(lay, "cashier", doc.cashier)
    ctx.sign(lay, "manager", manager_sign(ctx.lang, "cross_out", doc.manager))
    ctx.sign(lay, "customer_sign")
    lay.add(Feed(1))
    barcode(lay, doc.number)
    ctx.end(lay)
    return lay


def _return_slip(doc: ReturnSlip, ctx: _Ctx) -> Layout:
    lay = ctx.new()
    ctx.head(lay, "return_slip_cross_out" if doc.kind == "cross_out" else "return_slip")
    lay.add(Rule("="))
    ctx.field(lay, "number", doc.number)
    ctx.field(lay, "original_order", doc.order_number)
    ctx.field(lay, "date", doc.printed_at)
    ctx.customer(lay, doc.customer)
    lay.add(Rule())
    lay.add(*items_table(ctx, _line_rows(doc.lines), _LINE_FIGURES))
    lay.add(Rule())
    lay.pair(ctx.L("total_qty"), str(sum(ln.qty for ln in doc.lines)))
    lay.pair(ctx.L("return_total"), money(doc.total), bold=True)
    if doc.reason:
        ctx.field(lay, "reason", doc.reason)
    lay.add(Rule())
    ctx.sign(lay, "handler", doc.handler)
    ctx.sign(lay, "customer_sign")
    ctx.sign(lay, "manager", manager_sign(ctx.lang, doc.kind, doc.manager))
    lay.add(Feed(1))
    barcode(lay, doc.number)
    ctx.end(lay)
    return lay


def _locker_ticket(doc: LockerTicket, ctx: _Ctx) -> Layout:
    lay = ctx.new()
    ctx.head(lay, "locker_ticket")
    lay.add(Rule("="))
    lay.text(ctx.L("locker"), align="center")
    lay.text(clean(doc.locker_no), align="center", bold=True, width=4, height=4)
    lay.add(Rule())
    ctx.field(lay, "customer", doc.customer_name)
    if doc.customer_code:
        ctx.field(lay, "customer_code", doc.customer_code)
    ctx.field(lay, "visit", doc.visit_id)
    ctx.field(lay, "time", doc.time)
    lay.add(Rule())
    lay.text(ctx.L("keep_ticket"), align="center")
    ctx.end(lay)
    return lay


def _box_text(ctx: _Ctx, n: int, count: int) -> str:
    return f"{ctx.L('box')} {n}/{count}"


def _packing_list(doc: PackingList, ctx: _Ctx) -> Layout:
    lay = ctx.new()
    ctx.head(lay, "packing_list")
    lay.text(_box_text(ctx, doc.box_no, doc.box_count), align="center", bold=True, width=2, height=2)
    lay.add(Rule("="))
    ctx.field(lay, "order_number", doc.order_number)
    ctx.field(lay, "date", doc.printed_at)
    ctx.customer(lay, doc.customer)
    lay.add(Rule())
    rows = [(clean(it.code), clean(it.name), (str(it.qty),)) for it in doc.items]
    lay.add(*items_table(ctx, rows, ("qty",)))
    lay.add(Rule())
    lay.pair(ctx.L("total_qty"), str(sum(it.qty for it in doc.items)), bold=True)
    if doc.packer:
        ctx.field(lay, "packer", doc.packer)
    barcode(lay, doc.order_number)
    ctx.end(lay)
    return lay


def _box_label(doc: BoxLabel, ctx: _Ctx) -> Layout:
    lay = ctx.new()
    if ctx.reprint:
        lay.text(f"*** {ctx.L('reprint')} ***", align="center", bold=True, height=2)
    if ctx.shop:
        lay.text(ctx.shop, align="center")
    lay.add(Rule("="))
    lay.text(clean(doc.name), bold=True, width=2, height=2)
    lay.text(clean(doc.address))
    ctx.field(lay, "phone", doc.phone)
    ctx.field(lay, "order_number", doc.order_number)
    lay.add(Rule())
    lay.text(_box_text(ctx, doc.box_no, doc.box_count), align="center", bold=True, width=3, height=3)
    barcode(lay, doc.barcode)
    ctx.end(lay)
    return lay


def _shipping_notice(doc: ShippingNotice, ctx: _Ctx) -> Layout:
    lay = ctx.new()
    ctx.head(lay, "shipping_notice")
    lay.add(Rule("="))
    ctx.field(lay, "order_number", doc.order_number)
    ctx.field(lay, "customer", doc.customer_name)
    ctx.field(lay, "carrier", doc.carrier)
    ctx.field(lay, "waybill", doc.waybill)
    barcode(lay, doc.waybill)
    ctx.field(lay, "boxes", doc.boxes)
    ctx.field(lay, "shipped_on", doc.shipped_on)
    if doc.eta:
        ctx.field(lay, "eta", doc.eta)
    if doc.text:
        lay.add(Rule())
        lay.text("\n".join(clean(part) for part in doc.text.splitlines()))
    ctx.end(lay)
    return lay


def _product_label(doc: ProductLabel, ctx: _Ctx) -> Layout:
    lay = ctx.new()
    if ctx.reprint:
        lay.text(f"*** {ctx.L('reprint')} ***", align="center", bold=True)
    if ctx.shop:
        lay.text(ctx.shop, align="center")
    lay.text(clean(doc.name), align="center", bold=True, height=2)
    lay.text(clean(doc.code), align="center")
    lay.text(ctx.L("currency") + money(doc.price), align="center", bold=True, width=2, height=2)
    barcode(lay, doc.barcode)
    ctx.end(lay)
    return lay


def _shift_report(doc: ShiftReport, ctx: _Ctx) -> Layout:
    """交班对账单: one row per method (expected / counted / difference), then the cash
    difference large, and the approving manager."""
    lay = ctx.new()
    ctx.head(lay, "shift_report")
    lay.add(Rule("="))
    ctx.field(lay, "number", doc.number)
    ctx.field(lay, "cashier", doc.cashier)
    ctx.field(lay, "since", doc.since or ctx.L("first_shift"))
    ctx.field(lay, "until", doc.until)
    ctx.field(lay, "opening_float", money(doc.opening_float))
    lay.add(Rule())
    heads = (ctx.L("method"), ctx.L("expected"), ctx.L("counted"), ctx.L("difference"))
    rows = [(method_label(clean(r.method), ctx.lang), money(r.expected),
             money(r.counted) or ctx.L("not_counted"), money(r.difference) or "-")
            for r in doc.rows]
    fig = [max(display_width(h), *(display_width(r[i]) for r in rows)) for i, h in
           enumerate(heads) if i]
    first = ctx.columns - sum(fig) - 3
    widths = (first, *fig)
    aligns = ("left", "right", "right", "right")
    if first >= max(display_width(r[0]) for r in rows):
        lay.row(heads, widths, aligns, bold=True)
        lay.add(Rule())
        for r in rows:
            lay.row(r, widths, aligns)
    else:  # too narrow for four columns: one block per method
        for r in rows:
            lay.text(r[0], bold=True)
            for key, value in zip(("expected", "counted", "difference"), r[1:], strict=True):
                lay.pair("  " + ctx.L(key), value)
    lay.add(Rule())
    lay.pair(ctx.L("cash_difference"), money(doc.cash_difference), bold=True, height=2)
    if doc.note:
        ctx.field(lay, "note", doc.note)
    ctx.sign(lay, "cashier_sign")
    if doc.manager:
        ctx.field(lay, "approved_by", doc.manager + ctx.L("approved"))
    lay.text(f"{ctx.L('date')}: {clean(doc.printed_at)}" if ctx.lang == "en"
             else f"{ctx.L('date')}：{clean(doc.printed_at)}")
    barcode(lay, doc.number)
    ctx.end(lay)
    return lay


def _repair_receipt(doc: RepairReceipt, ctx: _Ctx) -> Layout:
    """维修单, one copy per name (客户联 / 工坊联 / 存根联), each with the number's QR."""
    lay = ctx.new()
    for copy in doc.copies or [""]:
        ctx.head(lay, "repair_receipt")
        if copy:
            lay.text(f"【{clean(copy)}】", align="center", bold=True, width=2, height=2)
        lay.add(Rule("="))
        ctx.field(lay, "number", doc.number)
        ctx.field(lay, "date", doc.printed_at)
        ctx.customer(lay, doc.customer)
        lay.add(Rule())
        if doc.product_code:
            ctx.field(lay, "product_code", doc.product_code)
        ctx.field(lay, "part", doc.part)
        ctx.field(lay, "material", material_label(clean(doc.material), ctx.lang))
        if doc.weight:
            ctx.field(lay, "weight", doc.weight)
        ctx.field(lay, "description", doc.description)
        if doc.photos:
            ctx.field(lay, "photos", str(doc.photos))
        lay.add(Rule())
        lay.text(ctx.L("repair_note"))
        if doc.received_by:
            ctx.field(lay, "received_by", doc.received_by)
        ctx.sign(lay, "customer_sign")
        lay.add(Feed(1), QR(clean(doc.number)))
        barcode(lay, doc.number)
        ctx.end(lay)
    return lay


def _repair_bag_label(doc: RepairBagLabel, ctx: _Ctx) -> Layout:
    lay = ctx.new()
    ctx.head(lay, "repair_bag_label")
    lay.text(clean(doc.number), align="center", bold=True, width=2, height=2)
    ctx.customer(lay, doc.customer)
    ctx.field(lay, "part", doc.part)
    ctx.field(lay, "material", material_label(clean(doc.material), ctx.lang))
    if doc.weight:
        ctx.field(lay, "weight", doc.weight)
    ctx.field(lay, "date", doc.printed_at)
    lay.add(QR(clean(doc.number)))
    ctx.end(lay)
    return lay


def _repair_handover(doc: RepairHandover, ctx: _Ctx) -> Layout:
    lay = ctx.new()
    ctx.head(lay, "repair_handover")
    lay.add(Rule("="))
    ctx.field(lay, "number", doc.number)
    ctx.field(lay, "date", doc.printed_at)
    ctx.field(lay, "partner", doc.partner)
    if doc.expected_from:
        ctx.field(lay, "expected_back", f"{doc.expected_from} ~ {doc.expected_to}")
    lay.add(Rule())
    for ln in doc.lines:
        lay.text(f"{clean(ln.number)}  {clean(ln.customer)}", bold=True)
        weight = f"  {clean(ln.weight)}g" if ln.weight else ""
        lay.text(f"  {clean(ln.part)} / {material_label(clean(ln.material), ctx.lang)}{weight}")
        lay.text(f"  {clean(ln.description)}")
    lay.add(Rule())
    lay.pair(ctx.L("pieces"), str(len(doc.lines)), bold=True)
    if doc.manager:
        ctx.field(lay, "handler", doc.manager)
    ctx.sign(lay, "carrier_staff", doc.carrier)
    ctx.sign(lay, "partner")
    barcode(lay, doc.number)
    ctx.end(lay)
    return lay


_COMPOSERS: dict[str, Callable[..., Layout]] = {
    "sales_slip": _sales_slip, "cash_receipt": _cash_receipt, "return_slip": _return_slip,
    "locker_ticket": _locker_ticket, "packing_list": _packing_list, "box_label": _box_label,
    "shipping_notice": _shipping_notice, "product_label": _product_label,
    "shift_report": _shift_report,
    "desk_receipt": _desk_receipt, "refund_slip": _refund_slip,
    "repair_receipt": _repair_receipt, "repair_bag_label": _repair_bag_label,
    "repair_handover": _repair_handover,
}

from printing.compose_aftersales import aftersales_slip  # noqa: E402 - it builds on the above

_COMPOSERS |= {"aftersales_return": aftersales_slip, "aftersales_exchange": aftersales_slip}

from printing.compose_consignor import payout_slip  # noqa: E402 - it builds on the above

_COMPOSERS |= {"consignor_payout": payout_slip}

from printing.compose_consignment import consignment_label, consignment_list  # noqa: E402

_COMPOSERS |= {"consignment_list": consignment_list, "consignment_label": consignment_label}

from printing.compose_remit import remit_notice  # noqa: E402 - it builds on the above

_COMPOSERS["remit_notice"] = remit_notice
