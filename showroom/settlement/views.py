"""Cashier screens (结算, Std ch.4): the queue, the settle screen, the result page.

Order of work on the settle screen: complete the customer file if it lacks name, phone
or address; take on-the-spot returns; then split payments. The browser shows the change
live, but the server parses and recomputes every figure. Each rendered form carries a
one-time token used as the idempotency key, so a double-click settles once and both
clicks land on the same result page.
"""
from __future__ import annotations

import re
import uuid
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.clock import now_utc
from showroom.customers.forms import field_errors
from showroom.customers.services import update_customer
from showroom.errors import (
    DomainError,
    IdempotencyMismatch,
    IncompleteCustomerFile,
    ValidationFailed,
)
from showroom.extensions import db
from showroom.idempotency import claim, clean_key, complete, fingerprint
from showroom.money import yuan
from showroom.orders.models import AWAITING, SETTLED, Order
from showroom.orders.services import order_lines
from showroom.printjobs.services import list_jobs
from showroom.settlement import bp
from showroom.settlement.forms import METHOD_LABELS, CustomerFileForm, ReturnForm, SettleForm
from showroom.settlement.models import ReturnSlip, Settlement
from showroom.settlement.services import cashier_queue, parse_payments, return_on_the_spot, settle
from showroom.stations import device_station
from showroom.validation import small_int

Page = Response | str | tuple[str, int]
_PAY_KEY = re.compile(r"^payments\[(\d+)\]\.(\w+)$")


@bp.route("/")
@roles_required("cashier")
def queue() -> str:
    return render_template("settlement/queue.html", rows=_queue_rows())


@bp.route("/queue-rows")
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


@bp.route("/orders/<int:order_id>")
@roles_required("cashier")
def order(order_id: int) -> Page:
    o = _get_order(order_id)
    if o.status == SETTLED:
        return _result(o)
    return _screen(o)


def _screen(o: Order, *, settle_form: SettleForm | None = None,
            file_form: CustomerFileForm | None = None, errors: dict[str, str] | None = None,
            status: int = 200) -> Page:
    customer = o.customer
    if settle_form is None:
        settle_form = SettleForm(formdata=None)
    settle_form.token.data = str(uuid.uuid4())  # a fresh one-time key per rendered form
    if file_form is None:
        file_form = CustomerFileForm(formdata=None, obj=customer)
    returns = db.session.scalars(
        select(ReturnSlip).where(ReturnSlip.order_id == o.id).order_by(ReturnSlip.id)).all()
    return render_template(
        "settlement/settle.html", order=o, customer=customer, lines=list(reversed(order_lines(o.id))),
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


@bp.route("/orders/<int:order_id>/customer", methods=["POST"])
@roles_required("cashier")
def complete_file(order_id: int) -> Page:
    """Fill in what the customer file lacks; settling stays closed until it is complete."""
    o = _get_order(order_id)
    form = CustomerFileForm()
    if not form.validate_on_submit():
        flash(_("Please correct the customer's details."), "error")
        return _screen(o, file_form=form, status=422)
    try:
        customer = update_customer(o.customer, **form.values())
        if not customer.file_complete:
            raise ValidationFailed(_("incomplete"), errors={f: _("required")
                                                            for f in customer.missing_fields})
    except ValidationFailed as exc:
        db.session.rollback()
        flash(_("Name, phone and address are all needed before settling."), "error")
        return _screen(_get_order(order_id), file_form=form,
                       errors=field_errors(exc.errors), status=422)
    db.session.commit()
    flash(_("Customer file completed."), "success")
    return redirect(url_for("settlement.order", order_id=order_id), 303)


@bp.route("/orders/<int:order_id>/return", methods=["POST"])
@roles_required("cashier")
def return_lines(order_id: int) -> Page:
    """On-the-spot return (现场退货): a return slip before the order is final."""
    o = _get_order(order_id)
    if not ReturnForm().validate_on_submit():
        flash(_("The form expired; please try again."), "error")
        return _screen(o, status=400)
    items: list[tuple[int, int]] = []
    for key, value in request.form.items():
        if not key.startswith("ret_") or not value.strip() or value.strip() == "0":
            continue
        line_id, qty = small_int(key[4:]), small_int(value.strip())
        if line_id is None or qty is None:
            flash(_("Return quantities are whole numbers."), "error")
            return _screen(o, status=422)
        items.append((line_id, qty))
    version = small_int(request.form.get("version", ""))
    if not items:
        flash(_("Enter a quantity to return on at least one line."), "error")
        return _screen(o, status=422)
    try:
        slip = return_on_the_spot(order_id, items, staff_id=current_user.id,
                                  station=device_station(), version=version)
    except DomainError as exc:
        db.session.rollback()
        flash(_("No return slip made: %(reason)s", reason=exc.message), "error")
        return _screen(_get_order(order_id), status=exc.status)
    number, total = slip.number, slip.total
    db.session.commit()
    flash(_("Return slip %(number)s made: %(amount)s taken off the order.",
            number=number, amount=yuan(total)), "success")
    return redirect(url_for("settlement.order", order_id=order_id), 303)


@bp.route("/orders/<int:order_id>/settle", methods=["POST"])
@roles_required("cashier")
def settle_order(order_id: int) -> Page:
    o = _get_order(order_id)
    form = SettleForm()
    if not form.validate_on_submit():
        flash(_("The form expired; please try again."), "error")
        return _screen(o, settle_form=form, status=400)
    raw = form.raw_payments()
    try:
        key = clean_key(form.token.data or None)
        if key is None:
            raise ValidationFailed(_("no token"), errors={"token": _("missing")})
        payments = parse_payments(raw)
        scope = f"settle:{order_id}"
        if claim(key, scope, fingerprint(scope, raw)) is None:
            complete(key, 200, settle(order_id, payments, cashier_id=current_user.id,
                                      station=device_station()))
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        o = _get_order(order_id)
        if o.status == SETTLED:
            flash(_("This order is already settled; nothing was changed."), "warning")
            return _result(o, status=exc.status)
        if isinstance(exc, IdempotencyMismatch):
            flash(_("This form was already used; please check the figures and try again."),
                  "error")
        elif isinstance(exc, IncompleteCustomerFile):
            flash(_("Complete the customer's file first: name, phone and address."), "error")
        elif isinstance(exc, ValidationFailed):
            _flash_payment_error(exc, raw, o.total)
        else:
            flash(_("Cannot settle: %(reason)s", reason=exc.message), "error")
        return _screen(o, settle_form=form, errors=_payment_errors(exc, raw), status=exc.status)
    return redirect(url_for("settlement.order", order_id=order_id), 303)


def _flash_payment_error(exc: ValidationFailed, raw: list[dict[str, Any]], total: int) -> None:
    if "token" in exc.errors:
        flash(_("The form expired; please reload the order."), "error")
    elif "payments" in exc.errors:
        paid = sum(p.amount for p in parse_payments(raw))
        flash(_("The payments add up to %(paid)s but the order is %(total)s.",
                paid=yuan(paid), total=yuan(total)), "error")
    else:
        flash(_("Please correct the payments: amounts like 1234.50, at most two decimals; "
                "cash tendered at least the cash amount."), "error")


def _payment_errors(exc: DomainError, raw: list[dict[str, Any]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, msg in exc.errors.items():
        m = _PAY_KEY.match(key)
        if not m or int(m.group(1)) >= len(raw):
            continue
        method, part = raw[int(m.group(1))]["method"], m.group(2)
        if part == "tendered":
            out["cash_tendered"] = (_("Less than the cash amount.")
                                    if msg == _("less than the cash amount")
                                    else _("An amount like 600.00 (at most two decimals)."))
        else:
            out[f"{method}_amount"] = _("An amount like 1234.50, more than 0, "
                                        "at most two decimals.")
    return out
