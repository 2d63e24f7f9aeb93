"""Count one, pack one, tick one (点一样，装一样，钩一样): every unit goes into a box by
a scan, or by hand with a reason, and a unit too many is refused before anything changes.

Each change locks the order row first, so two scanners on one order, or a scan racing
the seal, are served one after the other; the database's CHECK on order_lines is the
last word that packed never exceeds what is left to pack.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import CursorResult

from showroom.catalog.services import BY_BARCODE, BY_CODE
from showroom.clock import now_utc
from showroom.errors import InvalidTransition, NotFound, ValidationFailed
from showroom.extensions import db
from showroom.labels import label
from showroom.orders.models import SETTLED, Order, OrderLine
from showroom.orders.services import lock_order
from showroom.packing.errors import AlreadySealed, NotOnOrder, OverScan
from showroom.packing.models import (
    PACKING,
    SEALED,
    VOID_REASONS,
    Packing,
    PackingBox,
    PackingSignature,
    PackingTick,
)
from showroom.validation import clean_text

MAX_BOXES = 200


@dataclass(frozen=True)
class Tick:
    """What the bench shows after a tick: the line as it now stands and the box it went in."""

    line: OrderLine
    box: PackingBox
    qty: int  # +n into the box, -1 out of it
    voided: bool = False  # the change voided the sign-offs: they must be given again
    # Held, so the answer's render finds them in the session's (weak) identity map
    # instead of reading them again.
    packing: Packing | None = None
    order: Order | None = None
    # A scan reads all the packing's boxes (fresh, under the order lock) to find its box:
    # the answer's box tabs are these, not read again.
    boxes: list[PackingBox] | None = None

    @property
    def line_done(self) -> bool:
        return self.line.packed_qty == self.line.to_pack


def void_signoffs(packing: Packing, reason: str) -> bool:
    """A change after the sign-offs voids them, in the change's own transaction: they
    vouched for boxes that are no longer as they were. The counters' signatures stay as
    history, marked voided; the customer's signature and the payment check are cleared;
    the packing keeps when and why, so the bench asks to sign again. True when anything
    stood. Scans and hand ticks never need this: sign-offs are given only when every line
    is complete, and a complete line refuses another unit."""
    assert reason in VOID_REASONS
    now = now_utc()
    counters = cast("CursorResult[Any]", db.session.execute(
        update(PackingSignature).where(PackingSignature.packing_id == packing.id,
                                       PackingSignature.voided_at.is_(None))
        .values(voided_at=now, void_reason=reason)
        .execution_options(synchronize_session=False))).rowcount
    if not counters and packing.customer_signature is None and packing.payment_checked_at is None:
        return False
    packing.customer_signature = None
    packing.customer_signed_at = None
    packing.payment_checked_by_id = None
    packing.payment_checked_at = None
    packing.signoffs_voided_at = now
    packing.signoffs_void_reason = reason
    packing.version += 1
    db.session.flush()
    db.session.expire(packing, ["signatures"])
    return True


# A scan's statements, built once (no expression or cache key to build per call).
_PACKING_OF_ORDER = (select(Packing).where(Packing.order_id == bindparam("order_id"))
                     .execution_options(populate_existing=True))
_LINES_OF_PRODUCT = (select(OrderLine).where(OrderLine.order_id == bindparam("order_id"),
                                             OrderLine.product_id == bindparam("product_id"),
                                             OrderLine.removed_at.is_(None))
                     .order_by(OrderLine.id)
                     .execution_options(populate_existing=True))  # fresh under the order lock
_BOXES = (select(PackingBox).where(PackingBox.packing_id == bindparam("packing_id"),
                                  PackingBox.number > 0)
          .order_by(PackingBox.number).execution_options(populate_existing=True))
_LAST_BOX = (select(PackingBox).where(PackingBox.packing_id == bindparam("packing_id"),
                                      PackingBox.number > 0)
             .order_by(PackingBox.number.desc()).limit(1)
             .execution_options(populate_existing=True))


def open_packing(order_id: int, *, staff_id: int | None = None, station: str | None = None,
                 order: Order | None = None) -> Packing:
    """The order's packing, begun on first touch. Only settled orders are packed: a
    settled order can no longer change, so what is counted is what was paid for."""
    order = order or lock_order(order_id)
    packing = db.session.scalar(_PACKING_OF_ORDER, {"order_id": order.id})
    if packing is not None and packing.status == SEALED:
        raise AlreadySealed(_("order %(number)s is already sealed", number=order.number))
    if order.status != SETTLED:
        raise InvalidTransition(_(
            "order %(number)s is %(status)s: only settled orders are counted and packed",
            number=order.number, status=label(order.status, "order_state")))
    if order.remit_status == "awaiting":  # a remote order waits for its remittance
        raise InvalidTransition(_("order %(number)s waits for the customer's remittance",
                                  number=order.number))
    if packing is None:
        packing = Packing(order_id=order.id, status=PACKING, packer_id=staff_id,
                          station=station or "", version=1, name_confirmed=False)
        db.session.add(packing)
        db.session.flush()
    return packing


def _box(packing: Packing, box_id: int | None, staff_id: int | None) -> PackingBox:
    """The named box of this packing, else the highest-numbered one (box 1 on first use)."""
    if box_id is not None:
        box = db.session.get(PackingBox, box_id, populate_existing=True)
        if box is None or box.packing_id != packing.id or box.number < 1:
            raise ValidationFailed(_("box %(id)s is not one of this order's boxes", id=box_id),
                                   errors={"box_id": _("not a box of this order")})
        return box
    box = db.session.scalar(_LAST_BOX, {"packing_id": packing.id})
    return box if box is not None else _new_box(packing, staff_id)


def _new_box(packing: Packing, staff_id: int | None) -> PackingBox:
    """Box 1, on the packing's first tick."""
    box = PackingBox(packing_id=packing.id, number=1, units=0, created_by_id=staff_id)
    db.session.add(box)
    db.session.flush()
    return box


def _scan_box(packing: Packing, box_id: int | None, staff_id: int | None
              ) -> tuple[PackingBox, list[PackingBox] | None]:
    """As `_box`, reading all of the packing's boxes in the one query (a scan's answer
    shows their tabs)."""
    boxes = list(db.session.scalars(_BOXES, {"packing_id": packing.id}))
    if box_id is None:
        if boxes:
            return boxes[-1], boxes
        box = _new_box(packing, staff_id)
        return box, [box]
    chosen = next((b for b in boxes if b.id == box_id), None)
    if chosen is None:
        return _box(packing, box_id, staff_id), None  # refuses another packing's box
    return chosen, boxes


def _put(packing: Packing, line: OrderLine, box: PackingBox, qty: int, method: str,
         reason: str, staff_id: int | None, order: Order | None = None) -> Tick:
    line.packed_qty += qty
    box.units += qty
    db.session.add(PackingTick(packing_id=packing.id, order_line_id=line.id, box_id=box.id,
                               qty=qty, method=method, reason=reason, staff_id=staff_id))
    db.session.flush()
    return Tick(line, box, qty, packing=packing, order=order)


def _over(line: OrderLine, qty: int) -> None:
    left = line.to_pack - line.packed_qty
    if qty > left:
        raise OverScan(_(
            "%(code)s %(name)s: already packed %(n)s/%(n)s — this one is extra, put it back",
            code=line.product.code, name=line.product.name, n=line.to_pack) if left == 0 else _(
            "%(code)s: only %(left)s left to pack, not %(qty)s", code=line.product.code,
            left=left, qty=qty), errors={"barcode": _("over the ordered quantity")})


def scan(order_id: int, barcode: str, *, box_id: int | None = None,
         staff_id: int | None = None, station: str | None = None) -> Tick:
    """One scan ticks one unit into the box. A product not on the order, or one unit too
    many, is refused and nothing changes."""
    barcode = (barcode or "").strip() if isinstance(barcode, str) else ""
    if not barcode or len(barcode) > 64:
        raise ValidationFailed(_("scan a barcode (1 to 64 characters)"),
                               errors={"barcode": _("1 to 64 characters")})
    order = lock_order(order_id)
    packing = open_packing(order.id, staff_id=staff_id, station=station, order=order)
    product = db.session.scalar(BY_BARCODE, {"barcode": barcode}) or \
        db.session.scalar(BY_CODE, {"code": barcode})
    if product is None:
        raise NotOnOrder(_("%(barcode)s is not a product we know — not on this order",
                           barcode=barcode), errors={"barcode": _("unknown barcode")})
    lines = list(db.session.scalars(_LINES_OF_PRODUCT,
                                    {"order_id": order.id, "product_id": product.id}))
    if not lines or all(ln.to_pack == 0 for ln in lines):
        raise NotOnOrder(_("%(code)s %(name)s is not on order %(number)s — put it aside",
                           code=product.code, name=product.name, number=order.number),
                         errors={"barcode": _("not on this order")})
    line = next((ln for ln in lines if ln.packed_qty < ln.to_pack), lines[0])
    _over(line, 1)
    box, boxes = _scan_box(packing, box_id, staff_id)
    return replace(_put(packing, line, box, 1, "scan", "", staff_id, order), boxes=boxes)


def _line_of(order: Order, line_id: int) -> OrderLine:
    line = db.session.get(OrderLine, line_id, populate_existing=True)
    if line is None or line.order_id != order.id or line.removed_at is not None:
        raise ValidationFailed(_("no line %(id)s on order %(number)s", id=line_id,
                                 number=order.number), errors={"line_id": _("unknown line")})
    return line


def _qty(qty: object) -> int:
    if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= 100_000:
        raise ValidationFailed(_("quantities are whole numbers from 1"), errors={"qty": "≥ 1"})
    return qty


def manual_tick(order_id: int, line_id: int, *, reason: str, qty: int = 1,
                box_id: int | None = None, staff_id: int | None = None,
                station: str | None = None) -> Tick:
    """Tick by hand an item that will not scan (label torn, barcode smudged); the reason
    is kept with the tick."""
    errors: dict[str, str] = {}
    reason = clean_text(reason, "reason", errors, 200, required=True)
    if errors:
        raise ValidationFailed(_("say why the item is ticked by hand"), errors=errors)
    qty = _qty(qty)
    order = lock_order(order_id)
    packing = open_packing(order.id, staff_id=staff_id, station=station, order=order)
    line = _line_of(order, line_id)
    _over(line, qty)
    return _put(packing, line, _box(packing, box_id, staff_id), qty, "manual", reason,
                staff_id, order)


def untick(order_id: int, line_id: int, *, box_id: int, reason: str = "",
           staff_id: int | None = None) -> Tick:
    """Take one unit of a line back out of a box (it went in the wrong box, or it is
    damaged); recorded as a tick of -1."""
    errors: dict[str, str] = {}
    reason = clean_text(reason, "reason", errors, 200)
    if errors:
        raise ValidationFailed(_("please correct the reason"), errors=errors)
    order = lock_order(order_id)
    packing = open_packing(order.id, staff_id=staff_id, order=order)
    line = _line_of(order, line_id)
    box = _box(packing, box_id, staff_id)
    in_box = db.session.scalar(select(func.coalesce(func.sum(PackingTick.qty), 0)).where(
        PackingTick.box_id == box.id, PackingTick.order_line_id == line.id)) or 0
    if in_box < 1:
        raise ValidationFailed(_("box %(n)s has no %(code)s in it", n=box.number,
                                 code=line.product.code), errors={"line_id": _("not in that box")})
    tick = _put(packing, line, box, -1, "untick", reason, staff_id)
    return Tick(tick.line, tick.box, tick.qty, voided=void_signoffs(packing, "untick"),
                packing=packing)


def add_box(order_id: int, *, staff_id: int | None = None, station: str | None = None
            ) -> PackingBox:
    """Start the next box. The box being filled must have something in it first, so boxes
    are numbered 1..N without gaps or empty cartons."""
    order = lock_order(order_id)
    packing = open_packing(order.id, staff_id=staff_id, station=station, order=order)
    last = db.session.scalar(select(PackingBox).where(PackingBox.packing_id == packing.id,
                                                      PackingBox.number > 0)
                             .order_by(PackingBox.number.desc()).limit(1)
                             .execution_options(populate_existing=True))
    if last is not None and last.units == 0:
        raise ValidationFailed(_("box %(n)s is still empty: fill it before starting another",
                                 n=last.number), errors={"box": _("the last box is empty")})
    number = (last.number if last else 0) + 1
    if number > MAX_BOXES:
        raise ValidationFailed(_("at most %(n)s boxes per order", n=MAX_BOXES),
                               errors={"box": _("too many boxes")})
    box = PackingBox(packing_id=packing.id, number=number, units=0, created_by_id=staff_id)
    db.session.add(box)
    packing.version += 1
    db.session.flush()
    void_signoffs(packing, "box-added")
    return box


def remove_empty_box(order_id: int, box_id: int, *, staff_id: int | None = None) -> None:
    """An empty last box started by mistake can go; a box with goods in it cannot."""
    order = lock_order(order_id)
    packing = open_packing(order.id, staff_id=staff_id, order=order)
    box = _box(packing, box_id, staff_id)
    last = db.session.scalar(select(func.max(PackingBox.number))
                             .where(PackingBox.packing_id == packing.id))
    if box.units != 0 or box.number != last:
        raise ValidationFailed(_("only an empty last box can be removed"),
                               errors={"box_id": _("not empty, or not the last box")})
    used = db.session.scalar(select(PackingTick.id).where(PackingTick.box_id == box.id).limit(1))
    if used is None:
        db.session.delete(box)
    else:  # emptied by unticks: its ticks still point at it, so it is retired, not deleted
        box.number = -box.id
    packing.version += 1
    db.session.flush()
    void_signoffs(packing, "box-removed")


def get_order(order_id: int) -> Order:
    order = db.session.get(Order, order_id)
    if order is None:
        raise NotFound(_("no order %(id)s", id=order_id))
    return order
