"""The money desk over the API (API.md "Money desk"): payments on account, refunds of
credit, credit limits, ledger reversals and debt ageing.

Payments and refunds take an Idempotency-Key: a repeat returns the first answer and
changes nothing. Refusals by a rule are 409 with `rule` and `reasons`
(`credit_held`, `not_reversible`); a wrong manager PIN is 401 and counts toward that
manager's lockout.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from flask_babel import gettext as _
from pydantic import Field

from showroom.api.packing import keeping_refused_pins
from showroom.api.registry import Call, api_route
from showroom.api.schemas import CustomerOut
from showroom.api.types import In, Line, Money, MoneyOut, OneOf, Out, Para
from showroom.customers.models import LedgerEntry
from showroom.customers.services import get_customer, reverse_entry
from showroom.errors import NotFound
from showroom.extensions import db
from showroom.money import fen_str
from showroom.money_desk.ageing import debt_ageing
from showroom.money_desk.credit import parse_limit, set_credit_limit
from showroom.money_desk.models import DeskMethod
from showroom.money_desk.services import parse_payment, parse_refund, refund_credit, take_payment

TAG = "money desk"
CASHIER = ("cashier",)
Method = Annotated[str, OneOf(DeskMethod)]


class DeskPaymentIn(In):
    method: Method
    amount: Money = Field(description="more than 0.00; more than the debt leaves a credit")
    tendered: Money | None = Field(None, description="cash handed over (cash only)")
    reference: Line | None = Field(None, max_length=60,
                                   description="transfer / WeChat / Alipay reference")
    note: Para | None = Field(None, max_length=200)


class DeskPaymentOut(Out):
    id: int
    number: str = Field(examples=["SK-20261122-0001"])
    customer_id: int
    method: str
    amount: MoneyOut
    tendered: MoneyOut | None
    change: MoneyOut
    balance_before: MoneyOut
    balance_after: MoneyOut = Field(description="> 0 still owed, < 0 credit held")


class RefundIn(In):
    method: Method
    amount: Money = Field(description="at most the credit held")
    reason: Line = Field(min_length=1, max_length=200)
    manager_staff_no: Line = Field(min_length=1, max_length=20)
    manager_pin: Line = Field(min_length=1, max_length=12)


class RefundOut(Out):
    id: int
    number: str = Field(examples=["TK-20261122-0001"])
    customer_id: int
    method: str
    amount: MoneyOut
    balance_before: MoneyOut
    balance_after: MoneyOut


class CreditLimitIn(In):
    limit: Money | None = Field(description="most debt allowed; null = no limit")


class ReverseIn(In):
    reason: Line = Field(min_length=1, max_length=200)


class ReversalOut(Out):
    id: int
    reverses_id: int
    kind: str
    amount: MoneyOut
    balance_after: MoneyOut
    ref: str
    note: str
    created_at: datetime


class AgedDebtOut(Out):
    customer_id: int
    code: str
    name: str
    balance: MoneyOut
    since: datetime | None
    days_0_30: MoneyOut
    days_31_90: MoneyOut
    days_over_90: MoneyOut


class AgeingOut(Out):
    items: list[AgedDebtOut]
    total: MoneyOut
    days_0_30: MoneyOut
    days_31_90: MoneyOut
    days_over_90: MoneyOut


@api_route("POST", "/customers/{customer_id}/payments", roles=CASHIER, body=DeskPaymentIn,
           response=DeskPaymentOut, status=201, idempotent=True, tag=TAG, errors=(404, 409),
           summary="A payment on account (还款) or a remittance (汇款到账)",
           description="Posts one payment entry (ref = the receipt number) and prints a "
                       "numbered receipt at the token's station. Send an Idempotency-Key.")
def pay(call: Call, customer_id: int) -> DeskPaymentOut:
    body: DeskPaymentIn = call.body
    p = take_payment(customer_id, parse_payment(body.model_dump()), staff_id=call.staff.id,
                     station=call.station)
    return DeskPaymentOut(id=p.id, number=p.number, customer_id=p.customer_id, method=p.method,
                          amount=fen_str(p.amount),
                          tendered=fen_str(p.tendered) if p.tendered is not None else None,
                          change=fen_str(p.change), balance_before=fen_str(p.balance_before),
                          balance_after=fen_str(p.balance_after))


@api_route("POST", "/customers/{customer_id}/refunds", roles=CASHIER, body=RefundIn,
           response=RefundOut, status=201, idempotent=True, tag=TAG,
           errors=(401, 403, 404, 409, 423),
           summary="Refund credit held (退款), with a manager's staff number and PIN",
           description="Only credit held can be refunded: more → 409 `rule: credit_held`. "
                       "A wrong PIN → 401 and counts toward the manager's lockout.")
def refund(call: Call, customer_id: int) -> RefundOut:
    body: RefundIn = call.body
    r = keeping_refused_pins(body.manager_staff_no, f"refund:{customer_id}", lambda: refund_credit(
        customer_id, parse_refund(body.model_dump()), staff_id=call.staff.id,
        station=call.station))
    return RefundOut(id=r.id, number=r.number, customer_id=r.customer_id, method=r.method,
                     amount=fen_str(r.amount), balance_before=fen_str(r.balance_before),
                     balance_after=fen_str(r.balance_after))


@api_route("PUT", "/customers/{customer_id}/credit-limit", roles=("manager",),
           body=CreditLimitIn, response=CustomerOut, tag=TAG, errors=(404,),
           summary="Set or remove a customer's credit limit")
def put_credit_limit(call: Call, customer_id: int) -> CustomerOut:
    body: CreditLimitIn = call.body
    get_customer(customer_id)
    return CustomerOut.of(set_credit_limit(customer_id, parse_limit(body.limit)), call.staff)


@api_route("POST", "/customers/{customer_id}/ledger/{entry_id}/reverse", roles=("manager",),
           body=ReverseIn, response=ReversalOut, status=201, tag=TAG, errors=(404, 409),
           summary="Reverse a payment, refund, fee or adjustment (with a reason)",
           description="Sales and return credits cannot be reversed (409 `rule: "
                       "not_reversible`): undo a sale by a return.")
def reverse(call: Call, customer_id: int, entry_id: int) -> ReversalOut:
    body: ReverseIn = call.body
    entry = db.session.get(LedgerEntry, entry_id)
    if entry is None or entry.customer_id != customer_id:
        raise NotFound(_("no ledger entry %(id)s for this customer", id=entry_id))
    rev = reverse_entry(entry_id, staff_id=call.staff.id, note=body.reason)
    assert rev.reverses_id is not None
    return ReversalOut(id=rev.id, reverses_id=rev.reverses_id, kind=rev.kind,
                       amount=fen_str(rev.amount), balance_after=fen_str(rev.balance_after),
                       ref=rev.ref, note=rev.note, created_at=rev.created_at)


@api_route("GET", "/reports/debt-ageing", roles=("manager",), response=AgeingOut, tag=TAG,
           summary="Who owes what since when: 0–30 / 31–90 / 90+ days (oldest paid first)")
def ageing(call: Call) -> AgeingOut:
    rows, totals = debt_ageing()
    return AgeingOut(
        items=[AgedDebtOut(customer_id=r.customer_id, code=r.code, name=r.name,
                           balance=fen_str(r.balance), since=r.since,
                           days_0_30=fen_str(r.buckets["0_30"]),
                           days_31_90=fen_str(r.buckets["31_90"]),
                           days_over_90=fen_str(r.buckets["90_plus"])) for r in rows],
        total=fen_str(totals["total"]), days_0_30=fen_str(totals["0_30"]),
        days_31_90=fen_str(totals["31_90"]), days_over_90=fen_str(totals["90_plus"]))
