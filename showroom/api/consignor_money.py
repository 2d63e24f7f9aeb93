"""Consignor money over the API (API.md "Consignment"): the statement of a period and the
payout. Managers only. A payout takes an Idempotency-Key (a repeat returns the first
answer and pays nothing more); more than the payable → 409 `rule: "payable"`, an offset
beyond the person's customer debt → 409 `rule: "offset_debt"`."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from showroom.api.registry import Call, api_route
from showroom.api.types import In, Money, MoneyOut, OneOf, Out, Para, QueryIn
from showroom.consignment import statement as st
from showroom.consignment.models import PayoutMethod
from showroom.consignment.payouts import get_consignor, make_payout, parse_payout, payout_result

TAG = "consignment"
MANAGER = ("manager",)


class StatementQuery(QueryIn):
    from_: str | None = Field(None, alias="from", max_length=20,
                              description="YYYY-MM-DD (showroom time); default: this month")
    to: str | None = Field(None, max_length=20, description="YYYY-MM-DD, included")


class ConsignorRef(Out):
    id: int
    code: str = Field(examples=["pf123李"])
    customer_id: int
    name: str


class MovedOut(Out):
    product_code: str
    name: str
    qty: int
    amount: MoneyOut = Field(description="what the consignor earned (a return: negative)")
    order_number: str = Field(description="the order (a return: its slip or document)")
    sold_at: datetime


class FloorOut(Out):
    product_code: str
    name: str
    qty: int = Field(description="on our floor now")
    since: datetime | None = Field(description="when it came in (its first intake list)")


class WithdrawnOut(Out):
    number: str = Field(examples=["DT-20261125-0001"])
    product_code: str
    name: str
    qty: int
    withdrawn_at: datetime


class StatementOut(Out):
    consignor: ConsignorRef
    period_from: str = Field(examples=["2026-11-01"])
    period_to: str = Field(examples=["2026-11-30"])
    sold: list[MovedOut]
    returned: list[MovedOut]
    on_hand: list[FloorOut]
    withdrawn: list[WithdrawnOut]
    opening: MoneyOut = Field(description="payable at the start of the period")
    earned: MoneyOut = Field(description="sales − returns in the period")
    paid: MoneyOut = Field(description="payouts and offsets in the period")
    adjusted: MoneyOut
    payable: MoneyOut = Field(description="payable at the end of the period")


class PayoutIn(In):
    amount: Money = Field(description="more than 0.00, at most the payable")
    method: Annotated[str, OneOf(PayoutMethod)] | None = Field(
        None, description="offset = set off against the person's own customer debt")
    offset_debt: bool | None = Field(None, description="true: an offset (method offset)")
    note: Para | None = Field(None, max_length=200)


class PayoutOut(Out):
    id: int
    number: str = Field(examples=["DF-20261122-0001"])
    consignor_id: int
    amount: MoneyOut
    method: str
    payable_before: MoneyOut
    payable_after: MoneyOut
    created_at: datetime


@api_route("GET", "/consignors/{consignor_id}/statement", roles=MANAGER, query=StatementQuery,
           response=StatementOut, tag=TAG, errors=(401, 403, 404, 422),
           summary="A consignor's statement (代销对账单) of a period",
           description="Sold (with order numbers and times), returned, still on our floor, "
                       "withdrawn; earned, paid and payable.")
def statement(call: Call, consignor_id: int) -> StatementOut:
    q: StatementQuery = call.query
    get_consignor(consignor_id)
    period = (st.this_month() if not q.from_ and not q.to
              else st.parse_period(q.from_, q.to))
    return StatementOut.model_validate(st.api_result(st.build(consignor_id, period)))


@api_route("POST", "/consignors/{consignor_id}/payouts", roles=MANAGER, body=PayoutIn,
           response=PayoutOut, status=201, idempotent=True, tag=TAG,
           errors=(401, 403, 404, 409, 422),
           summary="Pay a consignor (付代销款), or offset their own customer debt",
           description="Never more than payable (409 `rule: payable`); an offset never more "
                       "than the person's customer debt (409 `rule: offset_debt`) and posts "
                       "one entry on each ledger. The slip (DF) prints.")
def payout(call: Call, consignor_id: int) -> PayoutOut:
    body: PayoutIn = call.body
    get_consignor(consignor_id)
    p = make_payout(consignor_id, parse_payout(body.model_dump(exclude_none=True)),
                    staff_id=call.staff.id, station=call.station)
    return PayoutOut.model_validate(payout_result(p))
