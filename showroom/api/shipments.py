"""Shipments over the API (API.md): record a packed order's hand-over to the carrier
(exactly once, Idempotency-Key), and search shipments by waybill, customer or day.

The waybill is checked against the carrier's known format (SF: "SF" + 13 digits or 12
digits; STO: 12–13 digits; others 4–40 letters, digits or dashes; self pickup: none).
A fee the customer pays is posted to their ledger; the notice text comes back ready to
send, in the customer's notice language.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from showroom.api.registry import Call, api_route
from showroom.api.types import Id, In, Line, Money, MoneyOut, OneOf, Out, QueryIn
from showroom.customers.models import NoticeLang
from showroom.money import fen_str, parse_fen
from showroom.shipping.carriers import Carrier as CarrierCode
from showroom.shipping.models import FeePayer, Shipment
from showroom.shipping.rates import kg_text
from showroom.shipping.services import order_of, search_shipments, ship_order

Carrier = Annotated[str, OneOf(CarrierCode)]


class ShipmentIn(In):
    order_id: Id
    carrier: Carrier
    waybill: Line = Field("", max_length=60, examples=["SF1234567890123"],
                          description="spaces and case do not matter; empty only for self pickup")
    fee: Money = Field(description="what the carrier charges for this shipment")
    eta_days: int | None = Field(None, ge=0, le=60,
                                 description="default: the rate table's days for the region")
    boxes: int | None = Field(None, ge=0, le=999, description="default: the boxes packed")
    fee_payer: Annotated[str, OneOf(FeePayer)] = Field(
        "customer", description="customer: the fee goes onto their ledger")
    weight_kg: Line | None = Field(None, max_length=12, pattern=r"^\d{1,5}(\.\d{1,3})?$",
                                   examples=["3.5"], description="kilograms, as text")
    notice_lang: Annotated[str, OneOf(NoticeLang)] | None = Field(
        None, description="default: the customer's notice language")


class ShipmentQuery(QueryIn):
    waybill: Line = Field("", max_length=40, description="exact or the start of it")
    customer_id: Id | None = None
    date_from: date | None = Field(None, description="shipped on or after (showroom day)")
    date_to: date | None = Field(None, description="shipped on or before (showroom day)")
    limit: int = Field(100, ge=1, le=500)


class ShipmentOut(Out):
    id: int
    number: str = Field(examples=["FH-20261122-0001"])
    order_id: int
    order_number: str
    customer_id: int
    carrier: str
    waybill: str
    boxes: int
    weight_kg: str | None
    fee: MoneyOut
    fee_payer: str
    ledger_entry_id: int | None = Field(description="the shipping_fee entry, if the customer pays")
    shipped_at: datetime
    eta: date | None
    notice_lang: str
    notice_text: str

    @classmethod
    def of(cls, s: Shipment) -> ShipmentOut:
        return cls(id=s.id, number=s.number, order_id=s.order_id,
                   order_number=order_of(s).number, customer_id=s.customer_id,
                   carrier=s.carrier, waybill=s.waybill, boxes=s.boxes,
                   weight_kg=kg_text(s.weight_g) if s.weight_g else None, fee=fen_str(s.fee),
                   fee_payer=s.fee_payer, ledger_entry_id=s.ledger_entry_id,
                   shipped_at=s.shipped_at, eta=s.eta, notice_lang=s.notice_lang,
                   notice_text=s.notice_text)


class ShipmentList(Out):
    items: list[ShipmentOut]


@api_route("POST", "/shipments", roles=("shipper",), body=ShipmentIn, response=ShipmentOut,
           status=201, idempotent=True, summary="Ship a packed order", tag="shipping",
           errors=(404, 409),
           description="The order must be packed (409 otherwise, also when already shipped). "
                       "The order becomes shipped; a fee the customer pays is posted to "
                       "their ledger once.")
def create(call: Call) -> ShipmentOut:
    body: ShipmentIn = call.body
    shipment = ship_order(body.order_id, carrier=body.carrier, waybill=body.waybill,
                          fee=parse_fen(body.fee), boxes=body.boxes, eta_days=body.eta_days,
                          fee_payer=body.fee_payer, weight_kg=body.weight_kg,
                          notice_lang=body.notice_lang, staff_id=call.staff.id,
                          station=call.station)
    return ShipmentOut.of(shipment)


@api_route("GET", "/shipments", query=ShipmentQuery, response=ShipmentList,
           summary="Find shipments by waybill, customer or day", tag="shipping")
def listing(call: Call) -> ShipmentList:
    query: ShipmentQuery = call.query
    found = search_shipments(waybill=query.waybill or None, customer_id=query.customer_id,
                             date_from=query.date_from, date_to=query.date_to,
                             limit=query.limit)
    return ShipmentList(items=[ShipmentOut.of(s) for s in found])
