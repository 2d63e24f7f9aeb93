"""The money desk (SPEC §9.1): payments on account (还款 / 汇款到账) and refunds of credit.

Each locks the customer, posts exactly one ledger entry whose ref is the document's number,
writes the document with the balance before and after, and queues its slip at the station —
all in the caller's transaction (services flush, the edge commits). Input arrives as text
(a form or the API) and is parsed here, so both edges accept and refuse the same things.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from showroom.auth.models import Staff
from showroom.customers.services import lock_customer, post_entry
from showroom.errors import Problem, RuleRefused, ValidationFailed
from showroom.extensions import db
from showroom.money import MoneyError, parse_fen, yuan
from showroom.money_desk.approval import ManagerApproval, approving_manager, check_approval_fields
from showroom.money_desk.documents import receipt_payload, refund_payload
from showroom.money_desk.models import DESK_METHODS, CreditRefund, DeskPayment
from showroom.numbering import next_number
from showroom.printjobs.services import queue_job
from showroom.remote.remit import on_payment
from showroom.validation import clean_text


@dataclass(frozen=True)
class DeskPaymentIn:
    """A payment on account as the desk took it, in fen."""

    method: str
    amount: int
    tendered: int | None = None
    reference: str = ""
    note: str = ""


@dataclass(frozen=True)
class RefundIn:
    method: str
    amount: int
    approval: ManagerApproval


def _method(raw: object, errors: dict[str, str]) -> str:
    method = raw if isinstance(raw, str) else ""
    if method not in DESK_METHODS:
        errors["method"] = Problem("bad-method", _("one of %(choices)s",
                                                   choices=", ".join(DESK_METHODS)))
    return method


def _amount(raw: object, field: str, errors: dict[str, str]) -> int:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        errors[field] = Problem("required", _("required"))
        return 0
    try:
        fen = parse_fen(raw)
    except MoneyError as exc:
        errors[field] = Problem("bad-amount", str(exc))
        return 0
    if fen <= 0:
        errors[field] = Problem("bad-amount", _("must be more than 0.00"))
    return fen


def parse_payment(raw: Mapping[str, object]) -> DeskPaymentIn:
    """`{method, amount, tendered?, reference?, note?}` as typed; every problem by field."""
    errors: dict[str, str] = {}
    method = _method(raw.get("method"), errors)
    amount = _amount(raw.get("amount"), "amount", errors)
    tendered: int | None = None
    if raw.get("tendered") not in (None, ""):
        if method and method != "cash":
            errors["tendered"] = Problem("not-cash", _("only cash is tendered"))
        else:
            tendered = _amount(raw.get("tendered"), "tendered", errors)
            if "amount" not in errors and "tendered" not in errors and tendered < amount:
                errors["tendered"] = Problem("tendered-short", _("less than the amount paid"))
    reference = clean_text(raw.get("reference"), "reference", errors, 60)
    if reference and method == "cash":
        errors["reference"] = Problem("not-cash", _("cash takes no reference"))
    note = clean_text(raw.get("note"), "note", errors, 200)
    if errors:
        raise ValidationFailed(_("please correct the payment"), errors=errors)
    return DeskPaymentIn(method, amount, tendered, reference, note)


def parse_refund(raw: Mapping[str, object]) -> RefundIn:
    """`{method, amount, reason, manager_staff_no, manager_pin}` as typed."""
    errors: dict[str, str] = {}
    method = _method(raw.get("method"), errors)
    amount = _amount(raw.get("amount"), "amount", errors)
    approval = ManagerApproval(str(raw.get("manager_staff_no") or "").strip(),
                               str(raw.get("manager_pin") or ""), str(raw.get("reason") or ""))
    reason = check_approval_fields(approval, errors)
    if errors:
        raise ValidationFailed(_("a refund needs the method, the amount, a reason and a "
                                 "manager's staff number and PIN"), errors=errors)
    return RefundIn(method, amount, ManagerApproval(approval.manager_staff_no,
                                                     approval.manager_pin, reason))


def take_payment(customer_id: int, p: DeskPaymentIn, *, staff_id: int | None,
                 station: str | None = None) -> DeskPayment:
    """还款 / 汇款到账: the customer pays down debt; more than the debt leaves a credit."""
    customer = lock_customer(customer_id)
    number = next_number("desk_payment")
    before = customer.balance
    entry = post_entry(customer.id, "payment", -p.amount, ref=number, staff_id=staff_id,
                       note=p.method)
    change = (p.tendered - p.amount) if p.tendered is not None else 0
    payment = DeskPayment(number=number, customer_id=customer.id, method=p.method,
                          amount=p.amount, tendered=p.tendered, change=change,
                          reference=p.reference, note=p.note, balance_before=before,
                          balance_after=entry.balance_after, ledger_entry_id=entry.id,
                          staff_id=staff_id, station=station or "")
    db.session.add(payment)
    db.session.flush()
    on_payment(customer.id, payment.id, payment.balance_after)  # waiting orders go to packing
    cashier = db.session.get(Staff, staff_id) if staff_id else None
    queue_job("desk_receipt", receipt_payload(payment, customer, cashier), station=station,
              ref=number, staff_id=staff_id)
    return payment


def refund_credit(customer_id: int, r: RefundIn, *, staff_id: int | None,
                  station: str | None = None) -> CreditRefund:
    """退款: credit held paid back, never more than is held, with a manager's PIN."""
    customer = lock_customer(customer_id)  # two refunds at once: the second sees the first
    held = max(0, -customer.balance)
    if r.amount > held:
        reasons = [_("%(name)s holds no credit: the balance is %(balance)s owed.",
                     name=customer.name, balance=yuan(customer.balance))] if held == 0 else [
            _("%(name)s holds %(held)s of credit.", name=customer.name, held=yuan(held))]
        reasons.append(_("A refund of %(amount)s is more than the credit held; at most "
                         "%(held)s can be refunded.", amount=yuan(r.amount), held=yuan(held)))
        raise RuleRefused("credit_held", reasons, errors={"amount": _("more than the credit held")})
    manager = approving_manager(r.approval, f"refund:{customer.code}")
    number = next_number("credit_refund")
    before = customer.balance
    entry = post_entry(customer.id, "refund", r.amount, ref=number, staff_id=staff_id,
                       note=r.approval.reason)
    refund = CreditRefund(number=number, customer_id=customer.id, method=r.method,
                          amount=r.amount, reason=r.approval.reason, manager_id=manager.id,
                          balance_before=before, balance_after=entry.balance_after,
                          ledger_entry_id=entry.id, staff_id=staff_id, station=station or "")
    db.session.add(refund)
    db.session.flush()
    cashier = db.session.get(Staff, staff_id) if staff_id else None
    queue_job("refund_slip", refund_payload(refund, customer, manager, cashier), station=station,
              ref=number, staff_id=staff_id)
    return refund


def desk_documents(customer_id: int, limit: int = 20
                   ) -> list[tuple[str, DeskPayment | CreditRefund]]:
    """The customer's latest payments and refunds, newest first, as ("payment"|"refund", doc)."""
    pays = db.session.scalars(select(DeskPayment).where(DeskPayment.customer_id == customer_id)
                              .order_by(DeskPayment.id.desc()).limit(limit)).all()
    refunds = db.session.scalars(select(CreditRefund)
                                 .where(CreditRefund.customer_id == customer_id)
                                 .order_by(CreditRefund.id.desc()).limit(limit)).all()
    both: list[tuple[str, DeskPayment | CreditRefund]] = [
        *(("payment", p) for p in pays), *(("refund", r) for r in refunds)]
    both.sort(key=lambda pair: (pair[1].created_at, pair[1].id), reverse=True)
    return both[:limit]
