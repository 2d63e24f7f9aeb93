"""Packing over the API (API.md): read the checklist, scan units into boxes, start boxes,
sign off with PINs, seal; plus hand ticks, unticks, the customer's signature, the
payment check and cross-outs. Every answer is the whole packing as it now stands.

Refusals change nothing: an over-scan or a product not on the order is 409, as is
sealing before every line is ticked, before settlement or without the sign-offs.
A wrong PIN is 401 and still counts toward that staff number's lockout.
"""
from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Literal, TypeVar

from flask import Response, after_this_request, request
from flask_babel import gettext as _
from pydantic import Field
from sqlalchemy import func, select

from showroom.api.registry import Call, api_route
from showroom.api.types import Id, In, Line, MoneyOut, Out, Qty
from showroom.auth.services import AccountLocked, SignInFailed, keep_refused_attempt
from showroom.errors import ValidationFailed
from showroom.extensions import db
from showroom.money import fen_str
from showroom.orders.models import OrderLine
from showroom.packing import crossout, services, signoff
from showroom.packing.models import PackingBox
from showroom.packing.queries import find_packing, packing_view, totals

T = TypeVar("T")


class PackingLineOut(Out):
    line_id: int
    product_code: str
    barcode: str | None
    name: str
    unit_price: MoneyOut
    qty: int = Field(description="units to pack: bought, less returned and crossed out")
    ordered_qty: int
    crossed_qty: int
    packed_qty: int


class BoxItemOut(Out):
    line_id: int
    product_code: str
    qty: int


class BoxOut(Out):
    id: int
    number: int
    of: int
    units: int
    items: list[BoxItemOut]


class PackingOut(Out):
    order_id: int
    number: str
    status: str = Field(description="the order's status: settled while packing, then packed")
    packing_status: str = Field(description="not_started, packing or sealed")
    mode: str | None
    lines: list[PackingLineOut]
    boxes: list[BoxOut]
    signatures: list[str]
    customer_signed: bool
    payment_checked: bool
    packed: int
    to_pack: int


def line_out(ln: OrderLine) -> PackingLineOut:
    return PackingLineOut(line_id=ln.id, product_code=ln.product.code,
                          barcode=ln.product.barcode, name=ln.product.name,
                          unit_price=fen_str(ln.unit_price), qty=ln.to_pack,
                          ordered_qty=ln.qty - ln.returned_qty, crossed_qty=ln.crossed_qty,
                          packed_qty=ln.packed_qty)


def packing_out(order_id: int) -> PackingOut:
    order = services.get_order(order_id)
    view = packing_view(order)
    p = view.packing
    return PackingOut(
        order_id=order.id, number=order.number, status=order.status,
        packing_status=p.status if p else "not_started", mode=p.mode if p else None,
        lines=[line_out(ln) for ln in view.lines],
        boxes=[BoxOut(id=b.id, number=b.number, of=len(view.boxes), units=b.units,
                      items=[BoxItemOut(line_id=ln.id, product_code=ln.product.code, qty=q)
                             for ln, q in b.contents]) for b in view.boxes],
        signatures=view.signers, customer_signed=bool(p and p.customer_signature),
        payment_checked=bool(p and p.payment_checked_at), packed=view.packed,
        to_pack=view.to_pack)


def packing_out_minimal(order_id: int, tick: services.Tick) -> PackingOut:
    """`Prefer: return=minimal`: only the ticked line and its box, so a scanner's answer
    does not grow with the order (totals and signatures still included)."""
    order = services.get_order(order_id)
    packing = find_packing(order.id)
    assert packing is not None
    box = tick.box
    sums = totals(order.id)
    packed, to_pack = sums.packed, sums.to_pack
    boxes = db.session.scalar(select(func.count(PackingBox.id)).where(
        PackingBox.packing_id == packing.id, PackingBox.number > 0)) or 0
    return PackingOut(
        order_id=order.id, number=order.number, status=order.status,
        packing_status=packing.status, mode=packing.mode,
        lines=[line_out(tick.line)],
        boxes=[BoxOut(id=box.id, number=box.number, of=boxes, units=box.units, items=[])],
        signatures=[s.staff.staff_no for s in packing.signatures],
        customer_signed=packing.customer_signature is not None,
        payment_checked=packing.payment_checked_at is not None, packed=packed, to_pack=to_pack)


def _minimal_applied(response: Response) -> Response:
    response.headers["Preference-Applied"] = "return=minimal"
    return response


def keeping_refused_pins(staff_no: str, source: str, work: Callable[[], T]) -> T:
    """Run `work`; a wrong PIN rolls everything back but the attempt is kept (lockout)."""
    try:
        return work()
    except (SignInFailed, AccountLocked):
        keep_refused_attempt(staff_no, source)
        raise


class ScanIn(In):
    barcode: Line = Field(min_length=1, max_length=64)
    box_id: Id | None = None


class SignIn(In):
    staff_no: Line = Field(min_length=1, max_length=20)
    pin: Line = Field(min_length=1, max_length=12)


class SealIn(In):
    mode: Literal["present", "absent"]


class ManualTickIn(In):
    line_id: Id
    qty: Qty = 1
    reason: Line = Field(min_length=1, max_length=200)
    box_id: Id | None = None


class UntickIn(In):
    line_id: Id
    box_id: Id
    reason: Line = Field("", max_length=200)


class CustomerSignatureIn(In):
    png_base64: str = Field(min_length=8, max_length=300_000,
                            description="the signature pad's PNG, base64 (a data: URL prefix is fine)")


class PaymentCheckIn(In):
    name_confirmed: bool = False


class CrossOutLineIn(In):
    line_id: Id
    qty: Qty


class CrossOutIn(In):
    lines: list[CrossOutLineIn] = Field(min_length=1, max_length=200)
    customer_agreed: bool
    manager_staff_no: Line = Field(min_length=1, max_length=20)
    manager_pin: Line = Field(min_length=1, max_length=12)
    reason: Line = Field("", max_length=200)


class CrossOutOut(Out):
    id: int
    number: str
    order_id: int
    total: MoneyOut
    packing: PackingOut


PACKER = ("packer",)
TAG = "packing"


@api_route("GET", "/orders/{order_id}/packing", roles=PACKER, response=PackingOut, tag=TAG,
           summary="The packing checklist of an order", errors=(404,))
def read(call: Call, order_id: int) -> PackingOut:
    return packing_out(order_id)


@api_route("POST", "/orders/{order_id}/packing/scan", roles=PACKER, body=ScanIn,
           response=PackingOut, idempotent=True, tag=TAG, errors=(404, 409),
           summary="Scan one unit into a box (the last box unless box_id)",
           description="A unit past the line's quantity, or a product not on the order, is 409 "
                       "and changes nothing. Send an Idempotency-Key so a retried scan ticks once. "
                       "With `Prefer: return=minimal` only the ticked line and its box come back "
                       "(box items left empty).")
def scan(call: Call, order_id: int) -> PackingOut:
    body: ScanIn = call.body
    tick = services.scan(order_id, body.barcode, box_id=body.box_id, staff_id=call.staff.id,
                         station=call.station)
    if "return=minimal" in request.headers.get("Prefer", ""):
        after_this_request(_minimal_applied)
        return packing_out_minimal(order_id, tick)
    return packing_out(order_id)


@api_route("POST", "/orders/{order_id}/packing/manual", roles=PACKER, body=ManualTickIn,
           response=PackingOut, idempotent=True, tag=TAG, errors=(404, 409),
           summary="Tick by hand an item that will not scan (reason kept)")
def manual(call: Call, order_id: int) -> PackingOut:
    body: ManualTickIn = call.body
    services.manual_tick(order_id, body.line_id, reason=body.reason, qty=body.qty,
                         box_id=body.box_id, staff_id=call.staff.id, station=call.station)
    return packing_out(order_id)


@api_route("POST", "/orders/{order_id}/packing/untick", roles=PACKER, body=UntickIn,
           response=PackingOut, idempotent=True, tag=TAG, errors=(404, 409),
           summary="Take one unit of a line back out of a box")
def untick(call: Call, order_id: int) -> PackingOut:
    body: UntickIn = call.body
    services.untick(order_id, body.line_id, box_id=body.box_id, reason=body.reason,
                    staff_id=call.staff.id)
    return packing_out(order_id)


@api_route("POST", "/orders/{order_id}/packing/boxes", roles=PACKER, response=PackingOut,
           status=201, idempotent=True, tag=TAG, errors=(404, 409),
           summary="Start the next box (the last one must not be empty)")
def add_box(call: Call, order_id: int) -> PackingOut:
    services.add_box(order_id, staff_id=call.staff.id, station=call.station)
    return packing_out(order_id)


@api_route("DELETE", "/orders/{order_id}/packing/boxes/{box_id}", roles=PACKER,
           response=PackingOut, tag=TAG, errors=(404, 409),
           summary="Remove the empty last box")
def remove_box(call: Call, order_id: int, box_id: int) -> PackingOut:
    services.remove_empty_box(order_id, box_id, staff_id=call.staff.id)
    return packing_out(order_id)


@api_route("POST", "/orders/{order_id}/packing/sign", roles=PACKER, body=SignIn,
           response=PackingOut, tag=TAG, errors=(401, 404, 409, 423),
           summary="A counter signs off with their own staff number and PIN")
def sign(call: Call, order_id: int) -> PackingOut:
    body: SignIn = call.body
    keeping_refused_pins(body.staff_no, f"packing:{order_id}", lambda: signoff.sign(
        order_id, body.staff_no, body.pin, station=call.station, staff_id=call.staff.id))
    return packing_out(order_id)


@api_route("POST", "/orders/{order_id}/packing/customer-signature", roles=PACKER,
           body=CustomerSignatureIn, response=PackingOut, tag=TAG, errors=(404, 409),
           summary="The customer's signature from the tablet's pad (customer present)")
def customer_signature(call: Call, order_id: int) -> PackingOut:
    body: CustomerSignatureIn = call.body
    raw = body.png_base64.split(",", 1)[1] if body.png_base64.startswith("data:") \
        else body.png_base64
    try:
        png = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationFailed(_("the signature is not base64 PNG data"),
                               errors={"png_base64": _("not base64")}) from exc
    signoff.customer_signs(order_id, png, staff_id=call.staff.id)
    return packing_out(order_id)


@api_route("POST", "/orders/{order_id}/packing/payment-check", roles=PACKER,
           body=PaymentCheckIn, response=PackingOut, tag=TAG, errors=(404, 409),
           summary="The packer checked the order is paid (customer present)")
def payment_check(call: Call, order_id: int) -> PackingOut:
    body: PaymentCheckIn = call.body
    signoff.confirm_payment(order_id, staff_id=call.staff.id, name_confirmed=body.name_confirmed)
    return packing_out(order_id)


@api_route("POST", "/orders/{order_id}/packing/seal", roles=PACKER, body=SealIn,
           response=PackingOut, tag=TAG, errors=(404, 409),
           summary="Seal: status packed; box labels and packing lists print at the station",
           description="409 unless every line is fully ticked, the order is settled, and "
                       "(absent) two different staff have signed / (present) the counter and "
                       "the customer have signed and payment was checked.")
def seal(call: Call, order_id: int) -> PackingOut:
    body: SealIn = call.body
    signoff.seal(order_id, body.mode, staff_id=call.staff.id, station=call.station)
    return packing_out(order_id)


@api_route("POST", "/orders/{order_id}/packing/cross-outs", roles=PACKER, body=CrossOutIn,
           response=CrossOutOut, status=201, idempotent=True, tag=TAG,
           errors=(401, 403, 404, 409, 423),
           summary="Cross out unpacked units: a return slip, stock back, ledger credited",
           description="Needs the customer's agreement and a manager's staff number and PIN. "
                       "Send an Idempotency-Key: a repeat returns the first slip.")
def cross_out(call: Call, order_id: int) -> CrossOutOut:
    body: CrossOutIn = call.body
    slip = keeping_refused_pins(body.manager_staff_no, f"cross-out:{order_id}",
                                lambda: crossout.cross_out(
                                    order_id, [(ln.line_id, ln.qty) for ln in body.lines],
                                    handler_id=call.staff.id,
                                    manager_staff_no=body.manager_staff_no,
                                    manager_pin=body.manager_pin,
                                    customer_agreed=body.customer_agreed, reason=body.reason,
                                    station=call.station))
    return CrossOutOut(id=slip.id, number=slip.number, order_id=slip.order_id,
                       total=fen_str(slip.total), packing=packing_out(order_id))
