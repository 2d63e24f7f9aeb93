"""The remit notice (汇款通知) on a receipt printer (SPEC §5): the order, previous debt or
credit, the freight, the amount to remit large, and the showroom's bank accounts."""
from __future__ import annotations

from printing.compose import _balance, _Ctx, barcode, money
from printing.documents import RemitNotice
from printing.layout import Feed, Layout, Rule
from printing.width import clean


def remit_notice(doc: RemitNotice, ctx: _Ctx) -> Layout:
    lay = ctx.new()
    ctx.head(lay, "remit_notice")
    lay.add(Rule("="))
    ctx.field(lay, "order_number", doc.number)
    ctx.field(lay, "date", doc.printed_at)
    ctx.customer(lay, doc.customer)
    lay.add(Rule())
    yuan = ctx.L("currency")
    lay.pair(ctx.L("this_order"), yuan + money(doc.order_total))
    _balance(ctx, lay, doc.previous_balance, before=True)
    freight = ctx.L("freight") + (f" ({clean(doc.carrier)})" if doc.carrier else "")
    lay.pair(freight, yuan + money(doc.shipping_fee))
    lay.add(Rule("="))
    lay.pair(ctx.L("amount_to_remit"), yuan + money(doc.amount_to_remit), bold=True, height=2)
    lay.add(Rule())
    if doc.accounts:
        lay.text(ctx.L("remit_to"), bold=True)
        colon = ": " if ctx.lang == "en" else "："
        for account in doc.accounts:
            lay.text(clean(account.bank))
            lay.text(f"{ctx.L('account_name')}{colon}{clean(account.name)}")
            lay.text(f"{ctx.L('account_number')}{colon}{clean(account.number)}", bold=True)
        lay.add(Rule())
    lay.text(ctx.L("remit_then_ship"), align="center")
    if doc.staff:
        ctx.field(lay, "handler", doc.staff)
    lay.add(Feed(1))
    barcode(lay, doc.number)
    ctx.end(lay)
    return lay
