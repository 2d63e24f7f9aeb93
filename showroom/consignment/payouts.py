"""付代销款: money paid to a consignor, or set off against their own customer debt (SPEC §7).

A payout never exceeds the payable (409 rule `payable`); an offset never exceeds the
person's customer debt either (409 rule `offset_debt`) and posts one entry on each ledger
in the same transaction: `offset` (−amount) on the consignor ledger, `consignment_offset`
(−amount) on the customer ledger. The customer row is locked before the consignor row,
everywhere, so a payout never deadlocks with a settlement. Exactly once comes from the
edge (the screen's one-time form token, the API's Idempotency-Key); under the locks a
second payout racing for the same payable sees the first and is refused. A numbered slip
(DF) is queued in the same transaction. A cash payout leaves the drawer: the shift close
counts it (showroom/money_desk/shifts.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from showroom.auth.models import Staff
from showroom.consignment.ledger import lock_consignor, post_consignor_entry
from showroom.consignment.models import Consignor, ConsignorPayout, PayoutMethod
from showroom.customers.services import lock_customer, post_entry
from showroom.errors import NotFound, RuleRefused, ValidationFailed
from showroom.extensions import db
from showroom.money import MoneyError, fen_str, parse_fen, yuan
from showroom.numbering import next_number
from showroom.printjobs.services import queue_job
from showroom.settlement.documents import customer_party, now_local
from showroom.validation import clean_text

METHODS = PayoutMethod.codes()
NOTE_MAX = 200


@dataclass(frozen=True)
class PayoutIn:
    amount: int
    method: str
    note: str = ""


def parse_payout(raw: dict[str, Any]) -> PayoutIn:
    """From API/form shapes: amount a money string > 0 (full-width digits accepted, never a
    float), method one of the codes; `offset_debt: true` means the method `offset`."""
    errors: dict[str, str] = {}
    amount = 0
    try:
        amount = parse_fen(raw.get("amount"))
        if amount <= 0:
            errors["amount"] = _("must be more than 0.00")
    except MoneyError as exc:
        errors["amount"] = str(exc)
    offset = raw.get("offset_debt")
    if offset not in (None, True, False):
        errors["offset_debt"] = _("true or false")
    method = raw.get("method")
    if method in (None, "") and offset is True:
        method = PayoutMethod.OFFSET.value
    if method not in METHODS:
        errors["method"] = _("one of %(choices)s", choices=", ".join(METHODS))
    elif offset is True and method != PayoutMethod.OFFSET:
        errors["method"] = _("an offset against debt has the method offset")
    note = clean_text(raw.get("note"), "note", errors, NOTE_MAX)
    if errors:
        raise ValidationFailed(_("please correct the payout"), errors=errors)
    return PayoutIn(amount=amount, method=str(method), note=note)


def get_consignor(consignor_id: int) -> Consignor:
    consignor = db.session.get(Consignor, consignor_id)
    if consignor is None:
        raise NotFound(_("no consignor %(id)s", id=consignor_id))
    return consignor


def make_payout(consignor_id: int, p: PayoutIn, *, staff_id: int | None,
                station: str | None = None) -> ConsignorPayout:
    consignor = get_consignor(consignor_id)
    customer = lock_customer(consignor.customer_id)  # customer before consignor, always
    consignor = lock_consignor(consignor_id)
    payable = consignor.balance
    if p.amount > payable:
        raise RuleRefused("payable", [
            _("%(code)s is owed %(payable)s.", code=consignor.code, payable=yuan(payable)),
            _("A payout of %(amount)s is more than the payable; at most %(payable)s can be "
              "paid.", amount=yuan(p.amount), payable=yuan(max(0, payable)))],
            errors={"amount": _("more than the payable")})
    offset = p.method == PayoutMethod.OFFSET
    debt_before = customer.balance
    if offset and p.amount > max(0, debt_before):
        raise RuleRefused("offset_debt", [
            _("%(name)s owes us %(debt)s as a customer.", name=customer.name,
              debt=yuan(max(0, debt_before))),
            _("An offset of %(amount)s is more than that debt; offset at most %(debt)s and pay "
              "the rest another way.", amount=yuan(p.amount), debt=yuan(max(0, debt_before)))],
            errors={"amount": _("more than the customer's debt")})
    number = next_number("consignor_payout")
    payout = ConsignorPayout(number=number, consignor_id=consignor.id, amount=p.amount,
                             method=p.method, payable_before=payable,
                             payable_after=payable - p.amount, note=p.note, staff_id=staff_id)
    db.session.add(payout)
    db.session.flush()
    post_consignor_entry(consignor.id, "offset" if offset else "payout", -p.amount,
                         source_key=f"payout:{payout.id}", payout_id=payout.id, ref=number,
                         note=p.note, staff_id=staff_id)
    if offset:
        entry = post_entry(customer.id, "consignment_offset", -p.amount, ref=number,
                           note=consignor.code, staff_id=staff_id)
        payout.ledger_entry_id = entry.id
    db.session.flush()
    staff = db.session.get(Staff, staff_id) if staff_id else None
    queue_job("consignor_payout", payout_payload(payout, consignor, debt_before,
                                                 customer.balance, staff),
              station=station, ref=number, staff_id=staff_id)
    return payout


def payout_payload(payout: ConsignorPayout, consignor: Consignor, debt_before: int,
                   debt_after: int, staff: Staff | None) -> dict[str, Any]:
    """The slip's snapshot (printing.documents.ConsignorPayoutSlip)."""
    offset = payout.method == PayoutMethod.OFFSET
    return {"number": payout.number, "printed_at": now_local(),
            "consignor_code": consignor.code, "customer": customer_party(consignor.customer),
            "method": payout.method, "amount": fen_str(payout.amount),
            "payable_before": fen_str(payout.payable_before),
            "payable_after": fen_str(payout.payable_after),
            "debt_before": fen_str(debt_before) if offset else "",
            "debt_after": fen_str(debt_after) if offset else "",
            "note": payout.note,
            "staff": f"{staff.staff_no} {staff.name}" if staff is not None else ""}


def payout_result(payout: ConsignorPayout) -> dict[str, Any]:
    return {"id": payout.id, "number": payout.number, "consignor_id": payout.consignor_id,
            "amount": fen_str(payout.amount), "method": payout.method,
            "payable_before": fen_str(payout.payable_before),
            "payable_after": fen_str(payout.payable_after), "created_at": payout.created_at}


def payouts_of(consignor_id: int, limit: int = 50) -> list[ConsignorPayout]:
    return list(db.session.scalars(select(ConsignorPayout)
                                   .where(ConsignorPayout.consignor_id == consignor_id)
                                   .order_by(ConsignorPayout.id.desc()).limit(limit)))
