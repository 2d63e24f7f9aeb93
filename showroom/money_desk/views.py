"""The money desk screens (SPEC §9.1) for the cashier: find a customer, see debt or credit
and the limit, take a payment on account (唱收唱付 for cash), refund credit with a
manager's PIN, reprint the desk documents. Managers also set credit limits here.

Every action goes through the screen edge (`perform`): one-time form tokens make a double
tap take the money once; a wrong manager PIN is kept for the lockout after the rollback.
"""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.customers.models import Customer, LedgerEntry
from showroom.customers.services import may_see_phone, search_customers
from showroom.errors import DomainError, RuleRefused
from showroom.extensions import db
from showroom.money import yuan
from showroom.money_desk.ageing import debt_ageing
from showroom.money_desk.credit import parse_limit, set_credit_limit
from showroom.money_desk.forms import CreditLimitForm, DeskPaymentForm, RefundForm
from showroom.money_desk.models import DeskPayment
from showroom.money_desk.services import (
    desk_documents,
    parse_payment,
    parse_refund,
    refund_credit,
    take_payment,
)
from showroom.printjobs.models import PrintJob
from showroom.stations import device_station
from showroom.web import safe_next
from showroom.web.screen import OneTime, PinTry, Refusal, mark_fields, new_token, perform

Page = Response | str | tuple[str, int]
FIX_PAYMENT = _l("Please correct the payment: an amount like 1234.50 (more than 0, at most two "
                 "decimals); cash tendered at least the amount.")
WRONG_PIN = _l("Wrong manager staff number or PIN — nothing was refunded.")


def _reasons(exc: DomainError) -> str:
    return " ".join(exc.reasons) if isinstance(exc, RuleRefused) else exc.message


@roles_required("cashier")
def desk() -> Page:
    q = request.args.get("q", "").strip()[:60]
    results = search_customers(q, by_phone=may_see_phone(current_user)) if q else []
    return render_template("money_desk/desk.html", q=q, results=results,
                           can_phone=may_see_phone(current_user))


def _customer(customer_id: int) -> Customer:
    customer: Customer = db.get_or_404(Customer, customer_id)
    return customer


def _page(customer: Customer, *, pay_form: DeskPaymentForm | None = None,
          refund_form: RefundForm | None = None, open_refund: bool = False,
          status: int = 200) -> Page:
    pay_form = pay_form or DeskPaymentForm(formdata=None)
    refund_form = refund_form or RefundForm(formdata=None)
    new_token(pay_form)
    new_token(refund_form)
    refund_form.manager_pin.data = ""
    docs = desk_documents(customer.id)
    entry_ids = [d.ledger_entry_id for _k, d in docs]
    reversed_ids = set(db.session.scalars(select(LedgerEntry.reverses_id)
                                          .where(LedgerEntry.reverses_id.in_(entry_ids))))
    jobs = _jobs_by_ref([d.number for _k, d in docs])
    return render_template(
        "money_desk/customer.html", customer=customer, pay_form=pay_form,
        refund_form=refund_form, open_refund=open_refund, docs=docs, reversed_ids=reversed_ids,
        jobs=jobs, can_phone=may_see_phone(current_user),
        limit_form=CreditLimitForm(formdata=None), is_manager=current_user.has_role("manager"),
    ), status


def _jobs_by_ref(refs: list[str]) -> dict[str, PrintJob]:
    """The latest print job of each desk document (for its status and the reprint button)."""
    if not refs:
        return {}
    jobs = db.session.scalars(select(PrintJob).where(PrintJob.ref.in_(refs))
                              .order_by(PrintJob.id)).all()
    return {job.ref: job for job in jobs}


@roles_required("cashier")
def customer_page(customer_id: int) -> Page:
    return _page(_customer(customer_id))


@roles_required("cashier")
def pay(customer_id: int) -> Page:
    """还款: the form's one-time token is the idempotency key (a double tap pays once)."""
    _customer(customer_id)
    form = DeskPaymentForm()
    raw = form.raw()

    def refused(r: Refusal) -> Page:
        if r.code == "idempotency-key-reused":
            form.token.data = ""
        mark_fields(form, _payment_field_errors(r.errors))
        return _page(_customer(customer_id), pay_form=form, status=r.status)

    return perform(
        lambda: take_payment(customer_id, parse_payment(raw), staff_id=current_user.id,
                             station=device_station()),
        form=form, once=OneTime(f"desk-pay:{customer_id}", raw, keep=lambda p: {"id": p.id}),
        done=lambda body: redirect(url_for("money_desk.payment", payment_id=body["id"]), 303),
        refused=refused, messages={"validation": FIX_PAYMENT, "invalid-form": FIX_PAYMENT})


def _payment_field_errors(errors: dict[str, str]) -> dict[str, str]:
    words = {"tendered-short": _("Less than the amount paid."),
             "not-cash": _("Only for cash."),
             "bad-amount": _("An amount like 1234.50, more than 0, at most two decimals."),
             "required": _("Required.")}
    out: dict[str, str] = {}
    for name, msg in errors.items():
        code = getattr(msg, "code", "")
        out[name] = words.get(code, str(msg))
    if errors.get("reference") and getattr(errors["reference"], "code", "") == "not-cash":
        out["reference"] = _("Cash takes no reference.")
    return out


@roles_required("cashier")
def payment(payment_id: int) -> Page:
    """The answer after a payment: 唱收唱付 large for cash, the new balance, the receipt."""
    p: DeskPayment = db.get_or_404(DeskPayment, payment_id)
    job = _jobs_by_ref([p.number]).get(p.number)
    return render_template("money_desk/payment.html", p=p, customer=p.customer, job=job)


@roles_required("cashier")
def refund(customer_id: int) -> Page:
    """退款: only credit held, with a manager's staff number + PIN and a reason."""
    customer = _customer(customer_id)
    form = RefundForm()
    raw = form.raw()
    manager_no = str(raw["manager_staff_no"]).strip()

    def refused(r: Refusal) -> Page:
        if r.code == "idempotency-key-reused":
            form.token.data = ""
        mark_fields(form, {k: str(v) for k, v in r.errors.items()})
        return _page(_customer(customer_id), refund_form=form, open_refund=True,
                     status=r.status)

    def done(body: dict[str, Any]) -> Response:
        flash(_("Refund slip %(number)s made: %(amount)s paid back to the customer.",
                number=body["number"], amount=yuan(body["amount"])), "success")
        return redirect(url_for("money_desk.customer_page", customer_id=customer_id) + "#docs",
                        303)

    fingerprint = {k: v for k, v in raw.items() if k != "manager_pin"}
    return perform(
        lambda: refund_credit(customer_id, parse_refund(raw), staff_id=current_user.id,
                              station=device_station()),
        form=form, once=OneTime(f"desk-refund:{customer_id}", fingerprint,
                                keep=lambda r: {"number": r.number, "amount": r.amount}),
        pin=PinTry(manager_no, f"refund:{customer.code}"), done=done, refused=refused,
        messages={
            "validation": _l("A refund needs the method, an amount like 100.00, a reason and "
                             "the manager's staff number and PIN."),
            "sign-in-failed": WRONG_PIN,
            "forbidden": lambda exc: exc.message,
            "rule": lambda exc: _("Not refunded: %(reasons)s", reasons=_reasons(exc)),
        })


@roles_required("manager")
def credit_limit(customer_id: int) -> Page:
    """The manager sets a customer's credit limit (empty: no limit)."""
    _customer(customer_id)
    form = CreditLimitForm()
    back = safe_next(request.form.get("next")) or url_for("money_desk.customer_page",
                                                           customer_id=customer_id)

    def done(c: Customer) -> Response:
        if c.credit_limit is None:
            flash(_("No credit limit for %(name)s.", name=c.name), "success")
        else:
            flash(_("Credit limit of %(name)s: %(limit)s.", name=c.name,
                    limit=yuan(c.credit_limit)), "success")
        return redirect(back, 303)

    return perform(lambda: set_credit_limit(customer_id, parse_limit(form.limit.data)),
                   form=form, done=done, refused=lambda _r: redirect(back, 303), messages={
                       "validation": _l("A credit limit is an amount like 1000.00 (at most two "
                                        "decimals), or empty for none.")})


@roles_required("manager")
def ageing() -> Page:
    """账龄: who owes what since when, 0–30 / 31–90 / 90+ days, largest debt first."""
    rows, totals = debt_ageing()
    return render_template("money_desk/ageing.html", rows=rows, totals=totals)
