"""The consignor payout slip on a receipt printer (SPEC §7): amount, method, the payable
before and after, for an offset the customer debt before and after, two signatures."""
from __future__ import annotations

from printing.compose import _Ctx, barcode, money
from printing.documents import ConsignorPayoutSlip
from printing.labels_text import method_label
from printing.layout import Feed, Layout, Rule
from printing.width import clean


def payout_slip(doc: ConsignorPayoutSlip, ctx: _Ctx) -> Layout:
    lay = ctx.new()
    ctx.head(lay, "consignor_payout")
    lay.add(Rule("="))
    ctx.field(lay, "number", doc.number)
    ctx.field(lay, "date", doc.printed_at)
    ctx.field(lay, "consignor_code", doc.consignor_code)
    ctx.customer(lay, doc.customer)
    method = ctx.L("offset") if doc.method == "offset" else method_label(clean(doc.method),
                                                                          ctx.lang)
    ctx.field(lay, "payout_method", method)
    lay.add(Rule())
    yuan = ctx.L("currency")
    lay.pair(ctx.L("payable_before"), yuan + money(doc.payable_before))
    lay.pair(ctx.L("payout_amount"), yuan + money(doc.amount), bold=True, height=2)
    lay.pair(ctx.L("payable_after"), yuan + money(doc.payable_after), bold=True)
    if doc.method == "offset":
        lay.add(Rule())
        lay.pair(ctx.L("debt_before"), yuan + money(doc.debt_before))
        lay.pair(ctx.L("debt_after"), yuan + money(doc.debt_after), bold=True)
    if doc.note:
        ctx.field(lay, "note", doc.note)
    lay.add(Rule())
    if doc.staff:
        ctx.field(lay, "paid_by", doc.staff)
    ctx.sign(lay, "consignor_sign")
    lay.add(Feed(1))
    barcode(lay, doc.number)
    ctx.end(lay)
    return lay
