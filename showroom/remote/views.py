"""Remote-order screens (SPEC §5): open a video, phone or online order for a customer from
the tablet, the day's online orders with their answers, and the amount to remit shown
large with the breakdown, the bank accounts, a copyable message and print.

Every action goes through the screen edge (`perform`): one commit, refusals worded by code;
printing and a manager's release are exactly once through their one-time form tokens.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.clock import now_utc, showroom_tz
from showroom.customers.models import Customer
from showroom.customers.services import may_see_phone, search_customers
from showroom.extensions import db
from showroom.money_desk.approval import ManagerApproval
from showroom.orders.models import Order
from showroom.remote import remit
from showroom.remote import services as remote
from showroom.remote.documents import queue_remit_notice
from showroom.remote.forms import AnswerForm, FreightForm, NewRemoteOrderForm, PrintForm, ReleaseForm
from showroom.stations import device_station
from showroom.web.screen import OneTime, PinTry, Refusal, mark_fields, new_token, perform

Page = Response | str | tuple[str, int]
REMIT_ROLES = ("clerk", "cashier")  # the manager passes every role check


# --- opening an order without a visit ---------------------------------------------

def _new_page(form: NewRemoteOrderForm | None = None, status: int = 200) -> Page:
    q = request.args.get("q", "").strip()[:60]
    can_phone = may_see_phone(current_user)
    results = search_customers(q, limit=12, by_phone=can_phone) if q else []
    chosen_id = request.args.get("customer_id", type=int)
    form = form or NewRemoteOrderForm(formdata=None)
    if form.customer_id.data:
        chosen_id = int(form.customer_id.data) if str(form.customer_id.data).isdigit() else None
    chosen = db.session.get(Customer, chosen_id) if chosen_id else None
    if chosen is not None:
        form.customer_id.data = str(chosen.id)
    return render_template("remote/new.html", q=q, results=results, chosen=chosen, form=form,
                           can_phone=can_phone), status


@roles_required("clerk")
def new_order() -> Page:
    return _new_page()


@roles_required("clerk")
def open_order() -> Page:
    form = NewRemoteOrderForm()
    raw_id = str(form.customer_id.data or "")
    customer_id = int(raw_id) if raw_id.isdigit() and len(raw_id) < 10 else 0

    def refused(r: Refusal) -> Page:
        mark_fields(form, r.errors)
        return _new_page(form, r.status)

    return perform(lambda: remote.open_remote_order(
        customer_id, form.channel.data or "", staff=current_user,
        external_ref=form.external_ref.data or None), form=form,
        done=lambda o: redirect(url_for("picking.order", order_id=o.id)), refused=refused,
        not_found=False)


# --- the day's online orders ------------------------------------------------------

def _day() -> datetime:
    raw = request.args.get("day", "")
    try:
        day = datetime.strptime(raw, "%Y-%m-%d").replace(hour=12, tzinfo=showroom_tz())
    except ValueError:
        return now_utc()
    return day


def _online_page(forms: dict[int, AnswerForm] | None = None, status: int = 200) -> Page:
    day = _day()
    rows = remote.online_orders(day)
    answer_forms = forms or {}
    for row in rows:
        if row.order.id not in answer_forms and row.order.answered_at is None:
            f = AnswerForm(formdata=None)
            for entry, item in zip(f.rows, row.shortages, strict=False):
                entry.form.product_code.data = item.get("product_code", "")
                entry.form.qty.data = str(item.get("qty") or "")
                entry.form.kind.data = item.get("kind", "shortage")
                entry.form.note.data = item.get("note", "")
            answer_forms[row.order.id] = f
    return render_template("remote/online.html", rows=rows, forms=answer_forms,
                           day=day.astimezone(showroom_tz()).date(), now=now_utc()), status


@roles_required("clerk")
def online() -> Page:
    return _online_page()


@roles_required("clerk")
def answer(order_id: int) -> Page:
    form = AnswerForm()

    def done(o: Order) -> Response:
        flash(_("Answer to %(number)s recorded.", number=o.number), "success")
        return redirect(url_for("remote.online", _anchor=f"order-{o.id}"))

    def refused(r: Refusal) -> Page:
        mark_fields(form, r.errors)
        return _online_page({order_id: form}, r.status)

    return perform(lambda: remote.answer_order(order_id, note=form.note.data or "",
                                               shortages=form.shortages(),
                                               staff_id=current_user.id),
                   form=form, done=done, refused=refused)


# --- the amount to remit ----------------------------------------------------------

def _remit_page(order_id: int, *, freight_form: FreightForm | None = None,
                release_form: ReleaseForm | None = None, status: int = 200) -> Page:
    order = db.session.get(Order, order_id)
    if order is None:
        abort(404)
    rem = remit.remittance(order_id)
    freight_form = freight_form or FreightForm(formdata=None)
    if not freight_form.carrier.data:
        freight_form.carrier.data = order.remit_carrier or "sf_express"
    if not freight_form.weight.data:
        freight_form.weight.data = f"{remit.weight_estimate_g(order.id) / 1000:.3f}"
    release_form = release_form or ReleaseForm(formdata=None)
    new_token(release_form)
    release_form.manager_pin.data = ""
    print_form = new_token(PrintForm(formdata=None))
    message = remit.message_text(rem, current_app.config["SHOWROOM_SHOP_NAME"])
    return render_template("remote/remit.html", order=order, rem=rem, message=message,
                           accounts=remit.bank_accounts(), freight_form=freight_form,
                           release_form=release_form, print_form=print_form), status


@roles_required(*REMIT_ROLES)
def remit_page(order_id: int) -> Page:
    return _remit_page(order_id)


@roles_required(*REMIT_ROLES)
def freight(order_id: int) -> Page:
    form = FreightForm()

    def done(_o: Order) -> Response:
        flash(_("Freight saved."), "success")
        return redirect(url_for("remote.remit_page", order_id=order_id))

    def refused(r: Refusal) -> Page:
        mark_fields(form, {("weight" if k == "weight" else k): v for k, v in r.errors.items()})
        return _remit_page(order_id, freight_form=form, status=r.status)

    return perform(lambda: remit.set_shipping_fee(
        order_id, carrier=form.carrier.data or "", fee=form.fee.data or None,
        weight=form.weight.data or None, boxes=form.boxes.data or 1), form=form, done=done,
        refused=refused)


@roles_required(*REMIT_ROLES)
def print_notice(order_id: int) -> Page:
    form = PrintForm()

    def done(_kept: Any) -> Response:
        flash(_("The remit notice is queued at the printer."), "success")
        return redirect(url_for("remote.remit_page", order_id=order_id))

    def refused(r: Refusal) -> Page:
        return _remit_page(order_id, status=r.status)

    return perform(lambda: queue_remit_notice(order_id, staff_id=current_user.id,
                                              station=device_station()),
                   form=form, once=OneTime("remit-print", order_id), done=done,
                   refused=refused)


@roles_required("cashier")
def release(order_id: int) -> Page:
    form = ReleaseForm()
    approval = ManagerApproval((form.manager_staff_no.data or "").strip(),
                               form.manager_pin.data or "", form.reason.data or "")

    def done(_kept: Any) -> Response:
        flash(_("Released: the order goes to the packing bench."), "success")
        return redirect(url_for("remote.remit_page", order_id=order_id))

    def refused(r: Refusal) -> Page:
        mark_fields(form, r.errors)
        return _remit_page(order_id, release_form=form, status=r.status)

    return perform(lambda: remit.release(order_id, approval, staff_id=current_user.id),
                   form=form, once=OneTime("remit-release", order_id), done=done,
                   refused=refused, pin=PinTry(approval.manager_staff_no,
                                               f"remit-release:{order_id}"))
