"""The consignment printouts on a receipt printer: the intake or withdrawal list
(委托代销清单 / 代销退还清单) and the item label, laid out like every other receipt
(printing/compose.py builds the context and registers these).

The list names the consignor by code and name with the phone masked, lists each item's
product code, name, quantity, our two prices and the consignor's price (or "by share"),
totals the pieces and values, and ends with the consignor's signature line: "signed on the
tablet" / "signed copy returned" when signed, else 待签字 (sent for signature) and a line
to sign on. The label puts the consignor code first and large, then name, price and the
product code as CODE128.
"""
from __future__ import annotations

from printing.compose import (
    MAX_CODE_COLUMNS,
    MIN_NAME_COLUMNS,
    _Ctx,
    barcode,
    items_table,
    money,
)
from printing.documents import ConsignmentLabel, ConsignmentList
from printing.layout import Feed, Layout, Rule
from printing.width import clean, display_width


def consignment_list(doc: ConsignmentList, ctx: _Ctx) -> Layout:
    withdrawal = doc.kind == "withdrawal"
    lay = ctx.new()
    ctx.head(lay, "consignment_withdrawal" if withdrawal else "consignment_list")
    lay.add(Rule("="))
    ctx.field(lay, "number", doc.number)
    if withdrawal and doc.intake_number:
        ctx.field(lay, "intake_list", doc.intake_number)
    ctx.field(lay, "date", doc.printed_at)
    lay.text(f"{ctx.L('consignor_code')}：{clean(doc.consignor_code)}" if ctx.lang != "en"
             else f"{ctx.L('consignor_code')}: {clean(doc.consignor_code)}", bold=True, height=2)
    ctx.field(lay, "consignor", doc.consignor.name)
    if doc.consignor.phone_masked:
        ctx.field(lay, "phone", doc.consignor.phone_masked)
    if doc.share:
        ctx.field(lay, "consignor_share", doc.share)
    lay.add(Rule())
    _items(doc, ctx, lay)
    lay.add(Rule())
    yuan = ctx.L("currency")
    lay.pair(ctx.L("total_qty"), str(doc.total_qty), bold=True)
    lay.pair(ctx.L("price_wholesale"), yuan + money(doc.total_wholesale))
    lay.pair(ctx.L("price_franchise"), yuan + money(doc.total_franchise))
    if doc.total_consignor and doc.total_consignor != "0.00":
        lay.pair(ctx.L("consignor_price"), yuan + money(doc.total_consignor))
    lay.add(Rule())
    lay.text(ctx.L("consignment_note"))
    if doc.staff:
        ctx.field(lay, "handler", doc.staff)
    if doc.signature_state == "sent":
        lay.add(Feed(1))
        lay.text(ctx.L("awaiting_signature"), align="center", bold=True, height=2)
        if doc.sent_at:
            ctx.field(lay, "sent_on", doc.sent_at)
        ctx.sign(lay, "consignor_sign")
    else:
        key = "signed_copy_returned" if doc.signature_state == "returned" else "signed_on_tablet"
        lay.add(Feed(1))
        lay.text(ctx.L(key), bold=True)
        if doc.signed_at:
            ctx.field(lay, "signed_on", doc.signed_at)
    lay.add(Feed(1))
    barcode(lay, doc.number)
    ctx.end(lay)
    return lay


def _items(doc: ConsignmentList, ctx: _Ctx, lay: Layout) -> None:
    """Wide paper: one table row per item with the four figures. Narrow paper (58 mm):
    each item as a small block — code and name, then quantity and the three prices."""
    figures = [(str(ln.qty), money(ln.price_wholesale), money(ln.price_franchise),
                money(ln.consignor_price) if ln.consignor_price else ctx.L("by_share"))
               for ln in doc.lines]
    keys = ("qty", "price_wholesale", "price_franchise", "consignor_price")
    rows = [(clean(ln.product_code), clean(ln.name), fig)
            for ln, fig in zip(doc.lines, figures, strict=True)]
    code_w = min(MAX_CODE_COLUMNS, max([display_width(ctx.L("code"))]
                                       + [display_width(r[0]) for r in rows]))
    need = sum(max(display_width(ctx.L(k)), *(display_width(f[i]) for f in figures))
               for i, k in enumerate(keys)) + code_w + MIN_NAME_COLUMNS + len(keys) + 1
    if ctx.columns >= need:
        lay.add(*items_table(ctx, rows, keys))
        return
    for ln, fig in zip(doc.lines, figures, strict=True):
        lay.text(f"{clean(ln.product_code)} {clean(ln.name)}", bold=True)
        for key, value in zip(keys, fig, strict=True):
            lay.pair("  " + ctx.L(key), value)
        lay.add(Rule("-"))


def consignment_label(doc: ConsignmentLabel, ctx: _Ctx) -> Layout:
    lay = ctx.new()
    if ctx.reprint:
        lay.text(f"*** {ctx.L('reprint')} ***", align="center", bold=True)
    lay.text(clean(doc.consignor_code), align="center", bold=True, width=2, height=2)
    lay.text(clean(doc.name), align="center", bold=True)
    lay.text(ctx.L("currency") + money(doc.price), align="center", bold=True, width=2, height=2)
    barcode(lay, doc.barcode)
    lay.text(clean(doc.code), align="center")
    ctx.end(lay)
    return lay
