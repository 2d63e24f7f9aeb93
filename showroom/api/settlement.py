"""Settling an order at the cashier and on-the-spot returns, exactly once.

Both accept Idempotency-Key: a retry with the same key replays the first response and
changes nothing; the key on a different request → 409. Documents print at the
token's station.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import Field

from showroom.api.packing import keeping_refused_pins
from showroom.api.registry import Call, api_route
from showroom.api.types import Id, In, Line, Money, MoneyOut, OneOf, Out, Qty
from showroom.money import fen_str
from showroom.money_desk.approval import ManagerApproval
from showroom.settlement.models import PaymentMethod
from showroom.settlement.services import (
    parse_payments,
    return_on_the_spot,
    settle,
    settlement_result,
)

Method = Annotated[str, OneOf(PaymentMethod)]


class PaymentIn(In):
    method: Method
    amount: Money = Field(description="what counts toward the order; on_account is left as debt")
    tendered: Money | None = Field(None, description="cash handed over (cash only)")


class OverrideIn(In):
    """A manager allows on account beyond the customer's credit limit."""

    manager_staff_no: Line = Field(min_length=1, max_length=20)
    manager_pin: Line = Field(min_length=1, max_length=12)
    reason: Line = Field(min_length=1, max_length=200)


class SettleIn(In):
    payments: list[PaymentIn] = Field(min_length=1, max_length=10)
    override: OverrideIn | None = Field(None, description="needed when the on-account part "
                                        "takes the customer beyond their credit limit (else "
                                        "409 rule credit_limit)")


class SettlementOut(Out):
    order_id: int
    number: str
    total: MoneyOut
    paid: MoneyOut = Field(description="everything but on_account")
    on_account: MoneyOut
    change: MoneyOut = Field(description="cash to hand back")
    balance_before: MoneyOut
    balance_after: MoneyOut


class ReturnLineIn(In):
    line_id: Id
    qty: Qty


class ReturnIn(In):
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=200)


class ReturnLineOut(Out):
    line_id: int
    product_code: str
    qty: int
    unit_price: MoneyOut
    amount: MoneyOut


class ReturnSlipOut(Out):
    id: int
    number: str
    order_id: int
    customer_id: int
    total: MoneyOut
    lines: list[ReturnLineOut]


@api_route("POST", "/orders/{order_id}/settle", roles=("cashier",), body=SettleIn,
           response=SettlementOut, idempotent=True, summary="Settle an order",
           tag="settlement", errors=(401, 404, 409),
           description="Payments must add up to the order total. Prints the sales slip (and a "
                       "cash receipt) at the token's station. On account beyond the customer's "
                       "credit limit → 409 `rule: credit_limit` unless `override` holds a "
                       "manager's staff number, PIN and reason.")
def settle_order(call: Call, order_id: int) -> SettlementOut:
    body: SettleIn = call.body
    payments = parse_payments([p.model_dump(exclude_none=True) for p in body.payments])
    o = body.override
    approval = ManagerApproval(o.manager_staff_no, o.manager_pin, o.reason) if o else None
    done = keeping_refused_pins(o.manager_staff_no if o else "", f"credit-limit:{order_id}",
                                lambda: settle(order_id, payments, cashier_id=call.staff.id,
                                               station=call.station, override=approval))
    return SettlementOut.model_validate(settlement_result(done))


@api_route("POST", "/orders/{order_id}/returns", roles=("cashier",), body=ReturnIn,
           response=ReturnSlipOut, status=201, idempotent=True,
           summary="Return lines on the spot (before settling)", tag="settlement",
           errors=(404, 409),
           description="The order must be awaiting settlement; prints a return slip.")
def return_lines(call: Call, order_id: int) -> ReturnSlipOut:
    body: ReturnIn = call.body
    slip = return_on_the_spot(order_id, [(ln.line_id, ln.qty) for ln in body.lines],
                              staff_id=call.staff.id, station=call.station)
    return ReturnSlipOut(
        id=slip.id, number=slip.number, order_id=slip.order_id, customer_id=slip.customer_id,
        total=fen_str(slip.total),
        lines=[ReturnLineOut(line_id=rl.order_line_id, product_code=rl.product.code, qty=rl.qty,
                             unit_price=fen_str(rl.unit_price),
                             amount=fen_str(rl.unit_price * rl.qty)) for rl in slip.lines])
