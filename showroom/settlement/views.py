"""Cashier screens (结算, Std ch.4): the queue, the settle screen, the result page.

Order of work on the settle screen: complete the customer file if it lacks name, phone
or address; take on-the-spot returns; then split payments. The browser shows the change
live, but the server parses and recomputes every figure. Each rendered form carries a
one-time token used as the idempotency key, so a double-click settles once and both
clicks land on the same result page.
"""
from __future__ import annotations

import re
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.clock import now_utc
from showroom.customers.forms import field_errors
from showroom.customers.services import update_customer
from showroom.errors import DomainError, ValidationFailed, problem_code, required
from showroom.extensions import db
from showroom.money import yuan
from showroom.money_desk.approval import ManagerApproval
from showroom.money_desk.credit import credit_view
from showroom.orders.models import AWAITING, SETTLED, Order
from showroom.orders.services import order_lines
from showroom.printjobs.services import list_jobs
from showroom.settlement.forms import METHOD_LABELS, CustomerFileForm, ReturnForm, SettleForm
from showroom.settlement.models import ReturnSlip, Settlement
from showroom.settlement.services import cashier_queue, parse_payments, return_on_the_spot, settle
from showroom.stations import device_station
from showroom.validation import small_int
from showroom.web.screen import OneTime, PinTry, Refusal, new_token, perform

Page = Response | str | tuple[str, int]
_PAY_KEY = re.compile(r"^payments\[(\d+)\]\.(\w+)$")


@roles_required("cashier")
def queue() -> str:
    return render_template("settlement/queue.html", rows=_queue_rows())


@roles_required("cashier")
def queue_rows() -> str:
    """The table body alone, polled by htmx so new orders appear without a reload."""
    return render_template("settlement/_queue_rows.html", rows=_queue_rows())


def _queue_rows() -> list[tuple[Order, int]]:
    now = now_utc()
    return [(o, int((now - o.submitted_at).total_seconds() // 60) if o.submitted_at else 0)
            for o in cashier_queue()]


def _get_order(order_id: int) -> Order:
    order = db.get_or_404(Order, order_id)
    return order


@roles_required("cashier")
def order(order_id: int) -> Page:
    o = _get_order(order_id)
    if o.status == SETTLED:
        return _result(o)
    return _screen(o)


def _screen(o: Order, *, settle_form: SettleForm | None = None,
            file_form: CustomerFileForm | None = None, errors: dict[str, str] | None = None,
            status: int = 200, open_override: bool = False) -> Page:
    customer = o.customer
    if settle_form is None:
        settle_form = SettleForm(formdata=None)
    new_token(settle_form)  # a fresh one-time key per rendered form
    if file_form is None:
        file_form = CustomerFileForm(formdata=None, obj=customer)
    returns = db.session.scalars(
        select(ReturnSlip).where(ReturnSlip.order_id == o.id).order_by(ReturnSlip.id)).all()
    return render_template(
        "settlement/settle.html", order=o, customer=customer, lines=list(reversed(order_lines(o.id))),
        credit=credit_view(customer, o.total), open_override=open_override,
        returns=returns, form=settle_form, file_form=file_form,
        return_form=ReturnForm(formdata=None, version=o.version),
        errors=errors or {}, methods=METHOD_LABELS, awaiting=o.status == AWAITING,
        due=customer.balance + o.total,
    ), status


def _result(o: Order, status: int = 200) -> Page:
    s = db.session.execute(select(Settlement).where(Settlement.order_id == o.id)).scalar_one()
    cash = [p for p in s.payments if p.method == "cash"]
    received = sum(p.tendered or p.amount for p in cash)
    returns = db.session.scalars(
        select(ReturnSlip).where(ReturnSlip.order_id == o.id).order_by(ReturnSlip.id)).all()
    return render_template(
        "settlement/result.html", order=o, customer=o.customer, s=s, has_cash=bool(cash),
        received=received, jobs=list(reversed(list_jobs(order_id=o.id))), returns=returns,
        methods=METHOD_LABELS,
    ), status


@roles_required("cashier")
def complete_file(order_id: int) -> Page:
    """Fill in what the customer file lacks; settling stays closed until it is complete."""
    o = _get_order(order_id)
    form = CustomerFileForm()

    def complete() -> None:
        customer = update_customer(o.customer, **form.values())
        if not customer.file_complete:
            raise ValidationFailed(_("incomplete"), errors={f: required() for f in customer.missing_fields})

    def done(_none: None) -> Response:
        flash(_("Customer file completed."), "success")
        return redirect(url_for("settlement.order", order_id=order_id), 303)

    return perform(complete, form=form, done=done, messages={
        "invalid-form": _l("Please correct the customer's details."),
        "validation": _l("Name, phone and address are all needed before settling.")},
        refused=lambda r: _screen(_get_order(order_id), file_form=form,
                                  errors=field_errors(r.errors), status=r.status))


def _return_items() -> list[tuple[int, int]]:
    items: list[tuple[int, int]] = []
    for key, value in request.form.items():
        if not key.startswith("ret_") or not value.strip() or value.strip() == "0":
            continue
        line_id, qty = small_int(key[4:]), small_int(value.strip())
        if line_id is None or qty is None:
            raise ValidationFailed(_("Return quantities are whole numbers."),
                                   errors={"lines": _("whole numbers")})
        items.append((line_id, qty))
    if not items:
        raise ValidationFailed(_("Enter a quantity to return on at least one line."),
                               errors={"lines": _("empty")})
    return items


@roles_required("cashier")
def return_lines(order_id: int) -> Page:
    """On-the-spot return (现场退货): a return slip before the order is final."""
    _get_order(order_id)
    form = ReturnForm()

    def done(slip: ReturnSlip) -> Response:
        flash(_("Return slip %(number)s made: %(amount)s taken off the order.",
                number=slip.number, amount=yuan(slip.total)), "success")
        return redirect(url_for("settlement.order", order_id=order_id), 303)

    return perform(
        lambda: return_on_the_spot(order_id, _return_items(), staff_id=current_user.id,
                                   station=device_station(),
                                   version=small_int(form.version.data or "")),
        form=form, done=done,
        messages={"validation": lambda exc: exc.message if not exc.errors.get("qty")
                  else _("No return slip made: %(reason)s", reason=exc.message),
                  "invalid-transition": lambda exc: _("No return slip made: %(reason)s",
                                                      reason=exc.message)},
        refused=lambda r: _screen(_get_order(order_id), status=r.status))


@roles_required("cashier")
def settle_order(order_id: int) -> Page:
    """Settle once: the form's one-time token is the idempotency key, so a double click
    settles once and both clicks land on the result page."""
    _get_order(order_id)
    form = SettleForm()
    raw = form.raw_payments()

    def refused(r: Refusal) -> Page:
        o = _get_order(order_id)
        if o.status == SETTLED:  # the other click (or desk) settled it: show the result
            flash(_("This order is already settled; nothing was changed."), "warning")
            return _result(o, status=r.status)
        flash(r.message, "error")
        form.manager_pin.data = ""
        if r.code == "idempotency-key-reused":
            form.token.data = ""
        return _screen(o, settle_form=form, errors=_payment_errors(r.errors, raw),
                       status=r.status, open_override=r.code in _OVERRIDE_CODES or bool(manager_no))

    manager_no = (form.manager_staff_no.data or "").strip()
    approval = ManagerApproval(manager_no, form.manager_pin.data or "",
                               form.override_reason.data or "") if manager_no else None
    once_payload = {"payments": raw, "override": [manager_no, approval.reason] if approval else None}
    return perform(
        lambda: settle(order_id, parse_payments(raw), cashier_id=current_user.id,
                       station=device_station(), override=approval),
        form=form, once=OneTime(f"settle:{order_id}", once_payload, keep=lambda s: {"id": s.id}),
        pin=PinTry(manager_no, f"credit-limit:{order_id}") if manager_no else None,
        done=lambda _body: redirect(url_for("settlement.order", order_id=order_id), 303),
        refused=refused, say=False, messages={
            "idempotency-key-reused": _l("This form was already used; please check the "
                                         "figures and try again."),
            "incomplete-customer": _l("Complete the customer's file first: name, phone and "
                                      "address."),
            "validation": lambda exc: _payment_message(exc, raw, _get_order(order_id).total),
            "form-expired": _l("The form expired; please try again."),
            "rule": lambda exc: _("Not settled: %(reasons)s", reasons=" ".join(
                getattr(exc, "reasons", [exc.message]))),
            "sign-in-failed": _l("Wrong manager staff number or PIN — nothing was settled."),
            "forbidden": lambda exc: exc.message,
        }, not_found=False)


_OVERRIDE_CODES = ("rule", "sign-in-failed", "locked", "forbidden")


def _payment_message(exc: DomainError, raw: list[dict[str, Any]], total: int) -> str:
    if "token" in exc.errors:
        return _("The form expired; please reload the order.")
    if {"reason", "manager_staff_no", "manager_pin"} & set(exc.errors):
        return _("Beyond the credit limit a manager's staff number, PIN and a reason are all "
                 "needed.")
    if "payments" in exc.errors:
        paid = sum(p.amount for p in parse_payments(raw))
        return _("The payments add up to %(paid)s but the order is %(total)s.",
                 paid=yuan(paid), total=yuan(total))
    return _("Please correct the payments: amounts like 1234.50, at most two decimals; "
             "cash tendered at least the cash amount.")


def _payment_errors(errors: dict[str, str], raw: list[dict[str, Any]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, msg in errors.items():
        m = _PAY_KEY.match(key)
        if not m or int(m.group(1)) >= len(raw):
            continue
        method, part = raw[int(m.group(1))]["method"], m.group(2)
        if part == "tendered":
            out["cash_tendered"] = (_("Less than the cash amount.")
                                    if problem_code(msg) == "tendered-short"
                                    else _("An amount like 600.00 (at most two decimals)."))
        else:
            out[f"{method}_amount"] = _("An amount like 1234.50, more than 0, "
                                        "at most two decimals.")
    return out
