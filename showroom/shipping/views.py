"""Shipper screens (发货, Std ch.6): packed orders waiting, the ship form, and the
shipment page where the customer is told (copy, print, e-mail, phone).

The ship form carries a one-time token used as the idempotency key, so a double tap
ships once and both taps land on the same shipment page. Everything a form sends is
checked by shipping.services; the screen only shows what it said.
"""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.customers.services import may_see_phone
from showroom.extensions import db
from showroom.labels import label
from showroom.orders.models import PACKED, SHIPPED, Order
from showroom.shipping.carriers import CARRIER_NAMES, waybill_format
from showroom.shipping.forms import NoticeForm, ShipForm, form_errors
from showroom.shipping.models import Shipment
from showroom.shipping.notices import email_notice, email_refusal, get_shipment, record_notice
from showroom.shipping.rates import find_rate, kg_text
from showroom.shipping.services import packed_boxes, ship_order, shipping_queue
from showroom.stations import device_station
from showroom.web.screen import OneTime, Refusal, new_token, perform

Page = Response | str | tuple[str, int]


@roles_required("shipper")
def queue() -> str:
    return render_template("shipping/queue.html", rows=shipping_queue())


@roles_required("shipper")
def queue_rows() -> str:
    """The table body alone, polled by htmx so newly sealed orders appear by themselves."""
    return render_template("shipping/_queue_rows.html", rows=shipping_queue())


def _shipment_of(order_id: int) -> Shipment | None:
    return db.session.scalar(select(Shipment).where(Shipment.order_id == order_id))


def _rate_hints(region: str) -> dict[str, dict[str, Any]]:
    """Per carrier: the waybill format and the rate for the customer's region, for the
    form's hints (fee suggestion and days to arrive)."""
    out: dict[str, dict[str, Any]] = {}
    for code in CARRIER_NAMES:
        rate = find_rate(code, region)
        out[code] = {"format": waybill_format(code)}
        if rate is not None and code != "self_pickup":
            out[code] |= {"first": rate.first_kg, "per_kg": rate.per_kg, "per_box": rate.per_box,
                          "days": rate.max_days, "min_days": rate.min_days,
                          "dest": rate.destination}
    return out


def _form(order: Order, form: ShipForm | None = None, errors: dict[str, str] | None = None,
          status: int = 200) -> Page:
    customer = order.customer
    boxes = packed_boxes(order.id)
    if form is None:
        form = ShipForm(formdata=None)
        preferred = customer.preferred_carrier if customer.preferred_carrier in CARRIER_NAMES else ""
        form.carrier.data = preferred or None
        form.boxes.data = str(boxes) if boxes else ""
        hints = _rate_hints(customer.region)
        if preferred and "days" in hints.get(preferred, {}):
            form.eta_days.data = str(hints[preferred]["days"])
    new_token(form)  # a fresh one-time key per rendered form
    hints = _rate_hints(customer.region)
    return render_template(
        "shipping/ship.html", order=order, customer=customer, form=form, errors=errors or {},
        packed_boxes=boxes, hints=hints,
        can_phone=may_see_phone(current_user), can_ship=order.status == PACKED,
    ), status


@roles_required("shipper")
def ship_form(order_id: int) -> Page:
    order = db.get_or_404(Order, order_id)
    shipment = _shipment_of(order.id)
    if shipment is not None:
        return redirect(url_for("shipping.shipment", shipment_id=shipment.id))
    if order.status != PACKED:
        flash(_("Order %(number)s is %(status)s: only packed orders can be shipped.",
                number=order.number, status=label(order.status, "order_state")), "error")
        return _form(order, status=409)
    return _form(order)


@roles_required("shipper")
def ship(order_id: int) -> Page:
    """Ship once: the form's one-time token is the idempotency key, so a double tap ships
    once and both taps land on the shipment page."""
    db.get_or_404(Order, order_id)
    form = ShipForm()

    def done(body: dict[str, Any]) -> Response:
        flash(_("Shipped. Now tell the customer: copy, print or e-mail the notice."), "success")
        return redirect(url_for("shipping.shipment", shipment_id=body["shipment_id"]), 303)

    def refused(r: Refusal) -> Page:
        order = db.get_or_404(Order, order_id)
        shipped = _shipment_of(order.id)
        if shipped is not None:
            flash(_("This order was already shipped; nothing was changed."), "warning")
            return redirect(url_for("shipping.shipment", shipment_id=shipped.id), 303)
        flash(r.message, "error")
        return _form(order, form, form_errors(r.errors), status=r.status)

    return perform(
        lambda: ship_order(order_id, staff_id=current_user.id, station=device_station(),
                           **form.values()),
        form=form, once=OneTime(f"ship:{order_id}", form.raw(),
                                keep=lambda shipment: {"shipment_id": shipment.id}),
        done=done, refused=refused, say=False, not_found=False, messages={
            "form-expired": _l("The form expired; please try again."),
            "validation": _l("Not shipped: please correct the marked fields."),
            "*": lambda exc: _("Not shipped: %(reason)s", reason=exc.message),
        })


def _shipment_page(shipment: Shipment, status: int = 200) -> Page:
    order = db.session.get(Order, shipment.order_id)
    return render_template(
        "shipping/shipment.html", s=shipment, order=order, customer=shipment.customer,
        notices=list(reversed(shipment.notices)), email_refusal=email_refusal(shipment.customer),
        can_phone=may_see_phone(current_user), can_send=current_user.has_role("shipper"),
        notice_form=NoticeForm(formdata=None), shipped=order is not None and order.status == SHIPPED,
        weight_kg=kg_text(shipment.weight_g) if shipment.weight_g else "",
    ), status


@login_required
def shipment(shipment_id: int) -> Page:
    return _shipment_page(db.get_or_404(Shipment, shipment_id))


NOTICE_DONE = {
    "copied": _l("Recorded: the notice was copied. Paste it into the customer's message."),
    "printed": _l("The notice is queued for printing."),
    "phoned": _l("Recorded: the customer was phoned."),
}


@roles_required("shipper")
def notice(shipment_id: int) -> Page:
    """The customer was told by copy, print or phone (who and when are recorded)."""
    db.get_or_404(Shipment, shipment_id)
    form = NoticeForm()
    channel = form.channel.data or ""
    return perform(
        lambda: record_notice(shipment_id, channel, current_user.id, station=device_station()),
        form=form, done=lambda _n: _sent(shipment_id, str(NOTICE_DONE.get(channel, ""))),
        refused=lambda r: _shipment_page(get_shipment(shipment_id), status=r.status),
        messages={"form-expired": _l("The form expired; please try again."),
                  **_NOT_RECORDED})


@roles_required("shipper")
def email(shipment_id: int) -> Page:
    db.get_or_404(Shipment, shipment_id)
    return perform(
        lambda: email_notice(shipment_id, current_user.id), form=NoticeForm(),
        done=lambda sent: _sent(shipment_id, _(
            "The e-mail to %(to)s is queued; it is sent within a minute.", to=sent.to_address)),
        refused=lambda r: _shipment_page(get_shipment(shipment_id), status=r.status),
        messages={"form-expired": _l("The form expired; please try again.")})


_NOT_RECORDED = {"validation": lambda exc: _("Not recorded: %(reason)s", reason=exc.message),
                 "*": lambda exc: _("Not recorded: %(reason)s", reason=exc.message)}


def _sent(shipment_id: int, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("shipping.shipment", shipment_id=shipment_id) + "#sends", 303)
