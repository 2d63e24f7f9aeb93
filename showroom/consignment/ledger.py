"""The consignor's ledger (SPEC §7): append-only, balance = Σ entries, + = we owe them.

Built like the customer ledger (showroom/customers/services.py): every entry locks the
consignor row first, so `balance_after` is a true running balance and `Consignor.balance`
(the payable) moves only together with an entry. `source_key` makes a business event post
at most once: a retried settlement or return finds its entry and posts nothing more.

The hooks the floor calls in its own transaction live here too, one call each:
`credit_sale` (settlement), `reverse_slip` (on-the-spot return, packing cross-out),
`post_aftersales` (after-sales return or exchange). A consigned piece earns the consignor
`product.consignor_price` if set, else their share of the unit price (rounded half up);
a return reverses per piece exactly what that sale credited, never today's figure.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from showroom import text_rule
from showroom.catalog.models import Product
from showroom.consignment.models import Consignor, ConsignorEntry, ConsignorEntryKind
from showroom.errors import Conflict, NotFound, Problem, RuleRefused, ValidationFailed, required
from showroom.extensions import db

if TYPE_CHECKING:
    from showroom.orders.models import OrderLine

ENTRY_KINDS = ConsignorEntryKind.codes()
# Sales and returns are undone only by the goods moving (a return, a new sale); payouts and
# adjustments are corrected by a reversing entry.
REVERSIBLE = ("payout", "adjustment")


def lock_consignor(consignor_id: int) -> Consignor:
    """The consignor row FOR UPDATE (PostgreSQL; SQLite writes one at a time anyway)."""
    consignor = db.session.execute(  # populate_existing: the balance may have moved
        select(Consignor).where(Consignor.id == consignor_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if consignor is None:
        raise NotFound(_("no consignor %(id)s", id=consignor_id))
    return consignor


def entry_by_key(source_key: str) -> ConsignorEntry | None:
    return db.session.scalar(select(ConsignorEntry).where(ConsignorEntry.source_key == source_key))


def post_consignor_entry(consignor_id: int, kind: str, amount: int, *,
                         source_key: str | None = None, product_id: int | None = None,
                         qty: int = 0, order_id: int | None = None,
                         payout_id: int | None = None, ref: str = "", note: str = "",
                         staff_id: int | None = None,
                         reverses_id: int | None = None) -> ConsignorEntry:
    """Append one entry (+ = we owe more) and move the cached payable with it. With a
    `source_key` already posted, the entry that stands is returned and nothing is written."""
    if kind not in ENTRY_KINDS:
        raise ValueError(f"unknown consignor entry kind {kind}")
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError("ledger amounts are integer fen")
    consignor = lock_consignor(consignor_id)
    if source_key is not None and (done := entry_by_key(source_key)) is not None:
        return done
    consignor.balance = consignor.balance + amount
    entry = ConsignorEntry(consignor_id=consignor.id, kind=kind, amount=amount,
                           balance_after=consignor.balance, product_id=product_id, qty=qty,
                           order_id=order_id, payout_id=payout_id, source_key=source_key,
                           ref=ref, note=note, staff_id=staff_id, reverses_id=reverses_id)
    db.session.add(entry)
    db.session.flush()
    return entry


def per_piece(product: Product, unit_price: int, share_bp: int) -> int:
    """What one sold piece earns its consignor: their price, else their share, half up."""
    if product.consignor_price is not None:
        return int(product.consignor_price)
    share = Decimal(unit_price) * Decimal(share_bp) / Decimal(10_000)
    return int(share.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Sold:
    """A consigned line leaving our floor for money: the key, the product, pieces, price."""
    source_key: str
    product_id: int
    qty: int
    unit_price: int
    order_id: int | None
    ref: str


def _credit(items: Iterable[Sold], staff_id: int | None) -> list[ConsignorEntry]:
    items = [i for i in items if i.qty > 0]
    if not items:
        return []
    products = {p.id: p for p in db.session.scalars(
        select(Product).where(Product.id.in_({i.product_id for i in items}),
                              Product.consignor_id.is_not(None)))}
    mine = [i for i in items if i.product_id in products]
    out = []
    # consignors locked in id order: two desks never deadlock
    for item in sorted(mine, key=lambda i: (products[i.product_id].consignor_id or 0,
                                            i.source_key)):
        product = products[item.product_id]
        assert product.consignor_id is not None
        consignor = lock_consignor(product.consignor_id)
        amount = per_piece(product, item.unit_price, consignor.share_bp) * item.qty
        out.append(post_consignor_entry(
            consignor.id, "sale", amount, source_key=item.source_key, product_id=product.id,
            qty=item.qty, order_id=item.order_id, ref=item.ref, staff_id=staff_id))
    return out


def credit_sale(order_id: int, ref: str, staff_id: int | None,
                lines: Sequence[OrderLine] | None = None) -> list[ConsignorEntry]:
    """Settlement: each consigned line kept on the order credits its consignor once.
    `lines` (the order's active lines with their products, as settlement has them) spare
    the two reads when the order holds no consigned piece — the common case."""
    from showroom.orders.models import OrderLine

    if lines is None:
        lines = db.session.scalars(select(OrderLine).where(
            OrderLine.order_id == order_id, OrderLine.removed_at.is_(None))).all()
    elif all(ln.product.consignor_id is None for ln in lines):
        return []
    return _credit((Sold(f"sale:{ln.id}", ln.product_id, ln.qty - ln.returned_qty,
                         ln.unit_price, order_id, ref) for ln in lines), staff_id)


def _reverse(order_line_id: int, qty: int, source_key: str, ref: str,
             staff_id: int | None) -> ConsignorEntry | None:
    """Take back per piece exactly what the sale of this line credited; nothing when the
    line earned nobody (not consigned, or returned before it was settled)."""
    sale = entry_by_key(f"sale:{order_line_id}")
    if sale is None or sale.qty <= 0 or qty <= 0:
        return None
    piece = sale.amount // sale.qty  # the sale stored qty × one piece's credit
    return post_consignor_entry(sale.consignor_id, "return", -piece * qty,
                                source_key=source_key, product_id=sale.product_id, qty=qty,
                                order_id=sale.order_id, ref=ref, staff_id=staff_id)


def reverse_slip(slip_id: int, ref: str, staff_id: int | None) -> list[ConsignorEntry]:
    """A return slip (on-the-spot return, packing cross-out): `return:slip:<line id>`."""
    from showroom.settlement.models import ReturnLine

    lines = db.session.scalars(select(ReturnLine).where(ReturnLine.return_slip_id == slip_id)
                               .order_by(ReturnLine.id)).all()
    made = (_reverse(ln.order_line_id, ln.qty, f"return:slip:{ln.id}", ref, staff_id)
            for ln in lines)
    return [e for e in made if e is not None]


def post_aftersales(doc_id: int, ref: str, staff_id: int | None) -> list[ConsignorEntry]:
    """An after-sales document: the goods back reverse their sale (`return:doc:<line id>`);
    an exchange's consigned replacements credit their consignor like a sale
    (`exchange:<replacement id>`)."""
    from showroom.aftersales.models import AfterSalesLine, AfterSalesReplacement

    lines = db.session.scalars(select(AfterSalesLine).where(AfterSalesLine.doc_id == doc_id)
                               .order_by(AfterSalesLine.id)).all()
    out = [e for e in (_reverse(ln.order_line_id, ln.qty, f"return:doc:{ln.id}", ref, staff_id)
                       for ln in lines) if e is not None]
    repl = db.session.scalars(select(AfterSalesReplacement)
                              .where(AfterSalesReplacement.doc_id == doc_id)).all()
    out += _credit((Sold(f"exchange:{r.id}", r.product_id, r.qty, r.unit_price, None, ref)
                    for r in repl), staff_id)
    return out


def adjust(consignor_id: int, amount: int, *, note: str, staff_id: int | None) -> ConsignorEntry:
    """A manager's correction (+ we owe more), always with a reason."""
    reason = _reason(note)
    if amount == 0:
        raise ValidationFailed(_("an adjustment of 0.00 changes nothing"),
                               errors={"amount": _("must not be 0.00")})
    return post_consignor_entry(consignor_id, "adjustment", amount, note=reason,
                                staff_id=staff_id)


def reverse_consignor_entry(entry_id: int, *, staff_id: int | None,
                            note: str = "") -> ConsignorEntry:
    """Correct a mistake by posting its opposite, linked to it, once. Payouts (not offsets:
    those moved the customer ledger too) and adjustments only."""
    entry = db.session.get(ConsignorEntry, entry_id)
    if entry is None:
        raise NotFound(_("no consignor entry %(id)s", id=entry_id))
    if entry.kind not in REVERSIBLE:
        raise RuleRefused("not_reversible", [
            _("Entry #%(id)s is a %(kind)s (%(ref)s): it cannot be reversed in the ledger.",
              id=entry.id, kind=ConsignorEntryKind(entry.kind).label, ref=entry.ref or "—")])
    reason = _reason(note)
    lock_consignor(entry.consignor_id)
    already = db.session.scalar(select(ConsignorEntry.id)
                                .where(ConsignorEntry.reverses_id == entry_id))
    if already:
        raise Conflict(_("entry %(id)s is already reversed", id=entry_id))
    return post_consignor_entry(entry.consignor_id, "reversal", -entry.amount, ref=entry.ref,
                                note=reason, staff_id=staff_id, reverses_id=entry.id,
                                payout_id=entry.payout_id)


def _reason(note: str) -> str:
    reason = (note or "").strip()
    if not reason or len(reason) > 200 or text_rule.check(reason) is not None:
        raise ValidationFailed(_("Give a reason (at most 200 characters)."),
                               errors={"reason": required() if not reason else Problem(
                                   "bad-text", _("at most 200 characters, plain text"))})
    return reason


def entries(consignor_id: int, limit: int = 200) -> list[ConsignorEntry]:
    stmt = (select(ConsignorEntry).where(ConsignorEntry.consignor_id == consignor_id)
            .order_by(ConsignorEntry.id.desc()).limit(limit))
    return list(db.session.scalars(stmt))
