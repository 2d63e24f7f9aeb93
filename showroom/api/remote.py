"""Remote orders over the API (SPEC §5, API.md "Remote orders"): the answer to an online
order, the amount to remit with the bank accounts, the freight told to the customer, and
a manager's release of an order still waiting for its remittance."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field

from showroom.api.registry import Call, api_route
from showroom.api.schemas import OrderOut
from showroom.api.types import In, Line, MoneyOut, OneOf, Out, Para, Qty
from showroom.money_desk.approval import ManagerApproval
from showroom.remote import remit
from showroom.remote import services as remote
from showroom.remote.codes import AnswerKind
from showroom.shipping.carriers import Carrier


class ShortageIn(In):
    product_code: Line = Field(min_length=1, max_length=40)
    qty: Qty | None = Field(None, description="pieces short (required for a shortage)")
    kind: Annotated[str, OneOf(AnswerKind)] = "shortage"
    note: Line | None = Field(None, max_length=200)


class AnswerIn(In):
    note: Para = Field(min_length=1, max_length=1000, description="what the customer was told")
    shortages: list[ShortageIn] | None = Field(None, max_length=200)


class BankAccountOut(Out):
    bank: str
    name: str
    number: str


class RemittanceOut(Out):
    order_id: int
    number: str
    order_total: MoneyOut
    previous_balance: MoneyOut = Field(description="the balance before this order: debt "
                                                   "positive, credit negative")
    shipping_fee: MoneyOut
    amount_to_remit: MoneyOut = Field(description="order_total + previous_balance + "
                                                  "shipping_fee")
    bank_accounts: list[BankAccountOut]
    remit_status: str = Field(description="\"\" | awaiting | received | released")
    still_short: MoneyOut = Field(description="what the customer still owes plus the freight")
    carrier: str


class FreightIn(In):
    carrier: Annotated[str, OneOf(Carrier)]
    fee: Line | None = Field(None, max_length=12, description="typed freight, e.g. \"25.00\"; "
                             "without it the rate table quotes for the customer's region")
    weight_kg: Line | None = Field(None, max_length=12,
                                   description="weight estimate; default 20 g a piece")
    boxes: Qty = 1


class ReleaseIn(In):
    manager_staff_no: Line = Field(min_length=1, max_length=20)
    manager_pin: Line = Field(min_length=1, max_length=20)
    reason: Line = Field(min_length=1, max_length=200)


def _remittance(order_id: int) -> RemittanceOut:
    return RemittanceOut.model_validate(remit.remittance(order_id).as_api())


@api_route("POST", "/orders/{order_id}/answer", body=AnswerIn, response=OrderOut,
           summary="Record the answer to an online order", tag="remote orders",
           errors=(404, 409, 422),
           description="Note and shortages (also colour differences and price changes, by "
                       "`kind`) told to the customer; sets answered_at. A second answer → 409.")
def answer(call: Call, order_id: int) -> OrderOut:
    body: AnswerIn = call.body
    shortages = [s.model_dump(exclude_none=True) for s in body.shortages or []]
    order = remote.answer_order(order_id, note=body.note, shortages=shortages,
                                staff_id=call.staff.id)
    return OrderOut.of(order)


@api_route("GET", "/orders/{order_id}/remittance", roles=("clerk", "cashier", "manager"),
           response=RemittanceOut, summary="The amount to remit (应汇款金额)",
           tag="remote orders", errors=(404,))
def remittance(call: Call, order_id: int) -> RemittanceOut:
    return _remittance(order_id)


@api_route("PUT", "/orders/{order_id}/freight", roles=("clerk", "cashier", "manager"),
           body=FreightIn, response=RemittanceOut, summary="Set the freight told to the customer",
           tag="remote orders", errors=(404, 422))
def freight(call: Call, order_id: int) -> RemittanceOut:
    body: FreightIn = call.body
    remote.get_order(order_id)
    remit.set_shipping_fee(order_id, carrier=body.carrier, fee=body.fee, weight=body.weight_kg,
                           boxes=body.boxes)
    return _remittance(order_id)


@api_route("POST", "/orders/{order_id}/remittance/release", roles=("cashier", "manager"),
           body=ReleaseIn, response=RemittanceOut, idempotent=True,
           summary="Let a waiting order go to packing before the money is in",
           tag="remote orders", errors=(403, 404, 409, 422),
           description="A manager's staff number, PIN and a reason; recorded on the order.")
def release(call: Call, order_id: int) -> RemittanceOut:
    body: ReleaseIn = call.body
    remote.get_order(order_id)
    remit.release(order_id, ManagerApproval(body.manager_staff_no, body.manager_pin, body.reason),
                  staff_id=call.staff.id)
    return _remittance(order_id)
