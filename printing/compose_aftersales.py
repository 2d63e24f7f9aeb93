"""The after-sales return slip and the exchange slip on a receipt printer (SPEC §6): goods
back, goods out, the one difference, the rule quoted with its reasons, and — when a
manager overrode a refusal — their name and the written reason, printed for the file."""
from __future__ import annotations

from printing.compose import _balance, _Ctx, _line_rows, barcode, items_table, money
from printing.documents import AfterSalesSlip
from printing.layout import Feed, Layout, Rule
from printing.width import clean

_FIGURES = ("qty", "price", "amount")


def verdict_words(ctx: _Ctx, doc: AfterSalesSlip) -> str:
    rule = f"rule_{doc.rule}"
    name = ctx.L(rule) if _known(rule) else clean(doc.rule)
    state = ctx.L("verdict_allowed" if doc.allowed else "verdict_refused")
    return f"{name} ({state})" if ctx.lang == "en" else f"{name}（{state}）"


def _known(key: str) -> bool:
    from printing.labels_text import LABELS

    return key in LABELS


def aftersales_slip(doc: AfterSalesSlip, ctx: _Ctx) -> Layout:
    exchange = doc.kind == "exchange"
    lay = ctx.new()
    ctx.head(lay, "aftersales_exchange" if exchange else "aftersales_return")
    lay.add(Rule("="))
    ctx.field(lay, "number", doc.number)
    if doc.orders:
        ctx.field(lay, "original_order", doc.orders)
    ctx.field(lay, "date", doc.printed_at)
    ctx.customer(lay, doc.customer)
    reason = f"reason_{doc.reason}"
    ctx.field(lay, "reason", ctx.L(reason) if _known(reason) else doc.reason)
    if doc.quality_confirmed:
        lay.text(ctx.L("quality_confirmed"))
    lay.add(Rule())
    lay.text(ctx.L("goods_back"), bold=True)
    lay.add(*items_table(ctx, _line_rows(doc.lines), _FIGURES))
    lay.pair(ctx.L("return_total"), money(doc.credit), bold=True)
    yuan = ctx.L("currency")
    if exchange:
        lay.add(Rule())
        lay.text(ctx.L("goods_out"), bold=True)
        lay.add(*items_table(ctx, _line_rows(doc.replacements), _FIGURES))
        lay.pair(ctx.L("replacement_total"), money(doc.replacement_total), bold=True)
        lay.add(Rule())
        diff = clean(doc.difference).strip()
        if diff.startswith("-"):
            lay.pair(ctx.L("difference_credit"), yuan + money(diff[1:]), bold=True, height=2)
        elif diff.strip("0.") == "":
            lay.text(ctx.L("no_difference"), bold=True)
        else:
            lay.pair(ctx.L("difference_due"), yuan + money(diff), bold=True, height=2)
    _balance(ctx, lay, doc.balance_after, before=False)
    lay.add(Rule())
    ctx.field(lay, "rule", verdict_words(ctx, doc))
    for r in doc.reasons:
        lay.text(clean(r))
    if doc.manager:
        ctx.field(lay, "override", doc.manager + ctx.L("approved"))
        ctx.field(lay, "override_reason", doc.override_reason)
    if doc.note:
        ctx.field(lay, "note", doc.note)
    lay.add(Rule())
    ctx.sign(lay, "handler", doc.handler)
    ctx.sign(lay, "customer_sign")
    lay.add(Feed(1))
    barcode(lay, doc.number)
    ctx.end(lay)
    return lay
