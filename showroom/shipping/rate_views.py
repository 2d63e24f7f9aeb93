"""The rate table (the manager edits, every signed-in staff reads), the quote calculator
staff read out to a customer, and the shipment search (by waybill, customer, day)."""
from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.customers.services import may_see_phone
from showroom.errors import ValidationFailed
from showroom.labels import label
from showroom.shipping.forms import CARRIER_CHOICES, RateForm
from showroom.shipping.models import CarrierRate
from showroom.shipping.rates import Quote, delete_rate, list_rates, quote, set_rate
from showroom.shipping.services import search_shipments
from showroom.validation import small_int
from showroom.web.screen import perform

Page = Response | str | tuple[str, int]


def _quote_from_args() -> tuple[dict[str, str], Quote | None, dict[str, str]]:
    args = {k: request.args.get(k, "").strip()[:40] for k in
            ("carrier", "destination", "weight", "boxes")}
    if not args["carrier"] and not args["weight"]:
        return args, None, {}
    try:
        boxes: object = small_int(args["boxes"]) if args["boxes"] else 1
        result = quote(args["carrier"], args["destination"] or None, args["weight"],
                       args["boxes"] if boxes is None else boxes)
    except ValidationFailed as exc:
        return args, None, exc.errors
    return args, result, {}


def _rates_page(form: RateForm | None = None, errors: dict[str, str] | None = None,
                status: int = 200) -> Page:
    args, result, quote_errors = _quote_from_args()
    if quote_errors:
        status = 422
    return render_template(
        "shipping/rates.html", rates=list_rates(), form=form or RateForm(formdata=None),
        errors=errors or {}, can_edit=current_user.has_role("manager"), q=args, quote=result,
        quote_errors=quote_errors, carriers=CARRIER_CHOICES,
    ), status


@login_required
def rates() -> Page:
    return _rates_page()


@roles_required("manager")
def save_rate() -> Page:
    form = RateForm()

    def done(rate: CarrierRate) -> Response:
        dest = rate.destination
        flash(_("Rate saved: %(carrier)s to %(destination)s.", carrier=label(rate.carrier, "carrier"),
                destination=dest if dest != "*" else _("anywhere")), "success")
        return redirect(url_for("shipping.rates"), 303)

    return perform(lambda: set_rate(staff_id=current_user.id, **form.values()), form=form,
                   done=done, refused=lambda r: _rates_page(form, r.errors, status=r.status),
                   messages={"invalid-form": _l("Please correct the rate."),
                             "validation": _l("Rate not saved: please correct the marked "
                                              "fields.")})


@roles_required("manager")
def remove_rate(rate_id: int) -> Page:
    def done(_none: None) -> Response:
        flash(_("Rate removed."), "success")
        return redirect(url_for("shipping.rates"), 303)

    return perform(lambda: delete_rate(rate_id), form=RateForm(), done=done,
                   refused=lambda r: _rates_page(status=r.status), not_found=False,
                   messages={"form-expired": _l("The form expired; please try again."),
                             "invalid-form": _l("The form expired; please try again.")})


def _day(text: str, field: str, errors: dict[str, str]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[field] = _("a date like 2026-11-22")
        return None


@login_required
def shipments() -> Page:
    args = {k: request.args.get(k, "").strip()[:60] for k in
            ("waybill", "customer", "date_from", "date_to")}
    errors: dict[str, str] = {}
    day_from = _day(args["date_from"], "date_from", errors)
    day_to = _day(args["date_to"], "date_to", errors)
    found = [] if errors else search_shipments(
        waybill=args["waybill"] or None, customer_q=args["customer"] or None,
        date_from=day_from, date_to=day_to, limit=200, by_phone=may_see_phone(current_user))
    if errors:
        flash(_("Please correct the dates."), "error")
    return render_template("shipping/search.html", q=args, found=found, errors=errors,
                           searched=any(args.values())), 422 if errors else 200
