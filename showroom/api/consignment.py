"""Consignment over the API (API.md "Consignment", intake side): a customer becomes a
consignor, an intake list (its products, stock, the list and one label per piece printing)
and a withdrawal. Intake and withdrawal move stock, so they take an Idempotency-Key.
Refusals by a rule are 409 with `rule` (`consignor_exists`, `consigned_on_hand`).

A consignor present signs on the tablet: over the API that is `signature_png`, the pad's
PNG in base64 (a data: URL is accepted too); absent, the list is sent for signature.
"""
from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Annotated

from pydantic import Field
from sqlalchemy import select

from showroom.api.registry import Call, api_route
from showroom.api.types import Id, In, Line, Money, MoneyOut, Out, Qty
from showroom.catalog.models import Product
from showroom.consignment.consignors import make_consignor, parse_share
from showroom.consignment.intake import IntakeLine, find_list, take_in, withdraw
from showroom.consignment.list_documents import share_text
from showroom.consignment.models import Consignment
from showroom.errors import DomainError, Problem, ValidationFailed
from showroom.extensions import db
from showroom.money import fen_str, parse_fen

TAG = "consignment"
SIGNATURE_CHARS = 300_000


class ConsignorIn(In):
    customer_id: Id
    consignor_share: str | None = Field(
        None, max_length=8, examples=["0.80"],
        description="the consignor's share of a sale for items without their own price, "
                    "0–1 (\"0.80\" = 80 %); default from SHOWROOM_CONSIGNOR_SHARE_BP")


class ConsignorOut(Out):
    id: int
    code: str = Field(examples=["pf123李"])
    customer_id: int
    consignor_share: str = Field(examples=["0.80"])
    share: str = Field(examples=["80%"])


class IntakeLineIn(In):
    name: Line = Field(min_length=1, max_length=120)
    qty: Qty
    price_wholesale: Money
    price_franchise: Money
    consignor_price: Money | None = Field(
        None, description="what the consignor earns per piece; absent = their share")


Signature = Annotated[str, Field(max_length=SIGNATURE_CHARS, description=(
    "the consignor's signature from the pad: a PNG in base64 (or a data:image/png;base64 URL)"))]


class ConsignmentIn(In):
    consignor_id: Id
    lines: list[IntakeLineIn] = Field(min_length=1, max_length=200)
    consignor_present: bool
    signature_png: Signature | None = Field(
        None, description="required when the consignor is present, refused when absent")


class WithdrawLineIn(In):
    product_code: Line = Field(min_length=1, max_length=40)
    qty: Qty


class WithdrawalIn(In):
    lines: list[WithdrawLineIn] = Field(min_length=1, max_length=200)
    consignor_present: bool = False
    signature_png: Signature | None = None


class ItemOut(Out):
    product_code: str = Field(examples=["pf123-001"])
    barcode: str
    name: str
    qty: int
    on_hand: int
    price_wholesale: MoneyOut
    price_franchise: MoneyOut
    consignor_price: MoneyOut | None


class ConsignmentOut(Out):
    id: int
    number: str = Field(examples=["DX-20261122-0001"])
    kind: str = Field(description="intake or withdrawal")
    consignor_id: int
    consignor_code: str
    intake_id: int | None
    consignor_present: bool
    signature_state: str = Field(description="signed, sent (for signature) or returned")
    sent_at: datetime | None
    signed_at: datetime | None
    created_at: datetime
    items: list[ItemOut]


def share_fraction(share_bp: int) -> str:
    """Basis points as the API's fraction: 8000 → "0.80", 7550 → "0.755", 10000 → "1.00"."""
    whole, rest = divmod(share_bp, 10000)
    decimals = f"{rest:04d}".rstrip("0").ljust(2, "0")
    return f"{whole}.{decimals}"


def _api_keys(exc: DomainError) -> DomainError:
    """The services name a line's field `lines.0.qty`; the API says `lines[0].qty`."""
    fixed = {}
    for key, message in exc.errors.items():
        parts = key.split(".")
        if len(parts) >= 2 and parts[0] == "lines" and parts[1].isdigit():
            key = f"lines[{parts[1]}]" + "".join(f".{p}" for p in parts[2:])
        fixed[key] = message
    exc.errors = fixed
    return exc


def _png(text: str | None) -> bytes | None:
    if not text:
        return None
    raw = text.strip()
    if raw.startswith("data:"):
        raw = raw.partition(",")[2]
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        message = "signature_png is not base64"
        raise ValidationFailed(message, errors={"signature_png": Problem("bad-png", message)}) \
            from None


def consignment_out(k: Consignment) -> ConsignmentOut:
    products = {p.id: p for p in db.session.scalars(select(Product).where(
        Product.id.in_([ln.product_id for ln in k.lines] or [0])))}
    items = []
    for ln in k.lines:
        p = products[ln.product_id]
        items.append(ItemOut(
            product_code=p.code, barcode=p.barcode or p.code, name=p.name, qty=ln.qty,
            on_hand=p.on_hand, price_wholesale=fen_str(ln.price_wholesale),
            price_franchise=fen_str(ln.price_franchise),
            consignor_price=None if ln.consignor_price is None else fen_str(ln.consignor_price)))
    return ConsignmentOut(
        id=k.id, number=k.number, kind=k.kind, consignor_id=k.consignor_id,
        consignor_code=k.consignor.code, intake_id=k.intake_id,
        consignor_present=k.consignor_present, signature_state=k.signature_state,
        sent_at=k.sent_at, signed_at=k.signed_at, created_at=k.created_at, items=items)


@api_route("POST", "/consignors", roles=("manager",), body=ConsignorIn, response=ConsignorOut,
           status=201, tag=TAG, errors=(404, 409),
           summary="Make a customer a consignor (code like pf123李 / jm45薛)",
           description="The code is the kind prefix (pf wholesale, jm franchise), a running "
                       "number that is never reused and the surname. A customer is a consignor "
                       "once: 409 `rule: consignor_exists`.")
def create_consignor(call: Call) -> ConsignorOut:
    body: ConsignorIn = call.body
    c = make_consignor(body.customer_id, share_bp=parse_share(body.consignor_share),
                       staff_id=call.staff.id)
    return ConsignorOut(id=c.id, code=c.code, customer_id=c.customer_id,
                        consignor_share=share_fraction(c.share_bp), share=share_text(c.share_bp))


@api_route("POST", "/consignments", roles=("manager", "reception"), body=ConsignmentIn,
           response=ConsignmentOut, status=201, idempotent=True, tag=TAG, errors=(404,),
           summary="Take a consignor's goods in (委托代销清单)",
           description="Each line becomes a product owned by the consignor (code = barcode, "
                       "e.g. pf123-001) with its stock; the list and one label per piece print "
                       "at the caller's station. Present: `signature_png` is required (state "
                       "signed); absent: the list is sent for signature (state sent).")
def create_consignment(call: Call) -> ConsignmentOut:
    body: ConsignmentIn = call.body
    lines = [IntakeLine(ln.name, ln.qty, parse_fen(ln.price_wholesale),
                        parse_fen(ln.price_franchise),
                        None if ln.consignor_price is None else parse_fen(ln.consignor_price))
             for ln in body.lines]
    try:
        k = take_in(body.consignor_id, lines, present=body.consignor_present,
                    signature_png=_png(body.signature_png), staff_id=call.staff.id,
                    station=call.station)
    except DomainError as exc:
        raise _api_keys(exc) from None
    return consignment_out(k)


@api_route("POST", "/consignments/{consignment_id}/withdrawals", roles=("manager",),
           body=WithdrawalIn, response=ConsignmentOut, status=201, idempotent=True, tag=TAG,
           errors=(404, 409),
           summary="Give consigned goods back to the consignor (代销退还清单)",
           description="Goods of this intake list go back: a stock move out each, never more "
                       "than on our floor (409 `rule: consigned_on_hand`, nothing written). "
                       "The withdrawal list prints.")
def create_withdrawal(call: Call, consignment_id: int) -> ConsignmentOut:
    body: WithdrawalIn = call.body
    find_list(consignment_id)
    try:
        k = withdraw(consignment_id, [(ln.product_code, ln.qty) for ln in body.lines],
                     present=body.consignor_present, signature_png=_png(body.signature_png),
                     staff_id=call.staff.id, station=call.station)
    except DomainError as exc:
        raise _api_keys(exc) from None
    return consignment_out(k)
