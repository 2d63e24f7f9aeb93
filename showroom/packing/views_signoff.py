"""The bench's sign-offs, cross-outs and seal (Std ch.5), and the page after sealing.

Every action goes through the screen edge (showroom/web/screen.py): a wrong PIN (a
counter's or the manager's) rolls the work back and the edge records the failed try, so
the lockout counts it as it counts a sign-in. A cross-out carries a one-time token used
as the idempotency key: a double submit makes one return slip, one ledger credit, and
puts the stock back once. The signed slip PDF blanks the customer's debt figures for
staff who may not see debts (SPEC §12).
"""
from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import BuildError

from showroom.auth.access import roles_required
from showroom.customers.services import may_see_debt
from showroom.errors import DomainError, ValidationFailed
from showroom.extensions import db
from showroom.money import yuan
from showroom.orders.models import Order
from showroom.packing import crossout, signoff
from showroom.packing.documents import signed_slip_payload
from showroom.packing.forms import (
    CrossOutForm,
    NameForm,
    PaymentForm,
    SealForm,
    SignatureForm,
    SignForm,
)
from showroom.packing.models import SEALED
from showroom.packing.queries import active_lines, box_contents, find_packing
from showroom.packing.screen import ROLES, bench_page
from showroom.packing.services import get_order
from showroom.printjobs.services import list_jobs
from showroom.stations import device_station
from showroom.validation import small_int
from showroom.web.screen import OneTime, PinTry, Refusal, end_read, perform

BOX_DOCUMENTS = ("box_label", "packing_list")
_DATA_URL = "data:image/png;base64,"
_PIN_CODES = ("sign-in-failed", "locked")


def _order(order_id: int) -> Order:
    order = db.session.get(Order, order_id)
    if order is None:
        abort(404)
    return order


def _back(order_id: int, message: str, category: str = "success", anchor: str = "") -> Any:
    flash(message, category)
    return redirect(url_for("packing.bench", order_id=order_id) + anchor, 303)


def _refused(order_id: int, panel: str, **forms: Any) -> Callable[[Refusal], Any]:
    """Render a refusal in its panel (the screen edge has rolled back already)."""
    def answer(r: Refusal) -> Any:
        return bench_page(order_id, result={"ok": False, "message": r.message, "panel": panel},
                          status=r.status, panel=panel, **forms)
    return answer


def _locked(staff_no: str) -> Callable[[DomainError], str]:
    return lambda _exc: _("Too many wrong PINs: staff number %(no)s is locked for a while.",
                          no=(staff_no or "").strip()[:20])


_EXPIRED = _l("The form expired; please try again.")


# --- counters sign with their own PIN -----------------------------------------------

@roles_required(*ROLES)
def sign(order_id: int) -> Any:
    order = _order(order_id)
    form = SignForm()
    staff_no = (form.staff_no.data or "").strip()

    def refused(r: Refusal) -> Any:  # a wrong PIN clears the fields; other refusals keep them
        again = SignForm(formdata=None) if r.code in _PIN_CODES else form
        return _refused(order_id, "sign", sign_form=again)(r)

    return perform(
        lambda: signoff.sign(order_id, staff_no, form.pin.data or "", station=device_station(),
                             staff_id=current_user.id),
        form=form, pin=PinTry(staff_no, f"packing:{order.number}"), say=False,
        done=lambda signature: _back(order_id, _("%(name)s signed as counter.",
                                                 name=signature.staff.name)),
        refused=refused, messages={
            "invalid-form": _l("Enter the staff number and PIN of the one who counted."),
            "sign-in-failed": _l("Wrong staff number or PIN — nothing was signed."),
            "locked": _locked(staff_no)})


# --- customer present: the name, the signature pad and the payment check ---------------

@roles_required(*ROLES)
def confirm_name(order_id: int) -> Any:
    order = _order(order_id)
    return perform(
        lambda: signoff.confirm_name(order_id, staff_id=current_user.id),
        form=NameForm(), say=False, refused=_refused(order_id, "name"),
        messages={"form-expired": _EXPIRED, "invalid-form": _EXPIRED},
        done=lambda _p: _back(order_id, _("The customer's name is confirmed: %(name)s.",
                                          name=order.customer.name)))


def _png(data_url: str) -> bytes:
    text = (data_url or "").strip()
    if not text.startswith(_DATA_URL) or len(text) > 300_000:
        raise ValidationFailed(_("the signature must be a PNG image of at most 200 KB"),
                               errors={"signature": _("not a PNG signature")})
    try:
        return base64.b64decode(text[len(_DATA_URL):], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationFailed(_("the signature image cannot be read"),
                               errors={"signature": _("unreadable")}) from exc


@roles_required(*ROLES)
def customer_signature(order_id: int) -> Any:
    _order(order_id)
    form = SignatureForm()
    return perform(
        lambda: signoff.customer_signs(order_id, _png(form.signature.data or ""),
                                       staff_id=current_user.id),
        form=form, say=False, refused=_refused(order_id, "signature"),
        messages={"invalid-form": _l("the signature pad is empty: ask the customer to sign"),
                  "form-expired": _EXPIRED},
        done=lambda _p: _back(order_id, _("The customer's signature is saved.")))


@roles_required(*ROLES)
def payment_checked(order_id: int) -> Any:
    _order(order_id)
    form = PaymentForm()
    return perform(
        lambda: signoff.confirm_payment(order_id, staff_id=current_user.id,
                                        name_confirmed=bool(form.name_confirmed.data)),
        form=form, say=False, refused=_refused(order_id, "payment"),
        messages={"form-expired": _EXPIRED, "invalid-form": _EXPIRED},
        done=lambda _p: _back(order_id, _("Payment checked.")))


# --- cross-out (×): return slip with the manager's PIN, exactly once --------------------

def _crossed_items() -> list[tuple[int, int]]:
    items: list[tuple[int, int]] = []
    for key, value in request.form.items():
        value = value.strip()
        if not key.startswith("x_") or value in ("", "0"):
            continue
        line_id, qty = small_int(key[2:]), small_int(value)
        if line_id is None or qty is None or qty < 1:
            raise ValidationFailed(_("Cross-out quantities are whole numbers from 1."),
                                   errors={"lines": _("whole numbers")})
        items.append((line_id, qty))
    return items


def _crossout_message(exc: DomainError) -> str:
    if "token" in exc.errors:
        return _("The form expired; please reload the order.")
    if exc.errors:
        return "; ".join(str(v) for v in exc.errors.values())
    return exc.message


@roles_required(*ROLES)
def cross_out(order_id: int) -> Any:
    """The form's one-time token makes a double submit one slip (the screen edge replays
    the first answer); a wrong manager PIN is kept for the lockout after the rollback."""
    order = _order(order_id)
    form = CrossOutForm()
    manager_no = (form.manager_staff_no.data or "").strip()
    reason = (form.reason.data or "").strip()
    quantities = sorted((k, v.strip()) for k, v in request.form.items() if k.startswith("x_"))

    def refused(r: Refusal) -> Any:
        if r.code == "idempotency-key-reused":
            form.token.data = ""  # a fresh token for the corrected form
        form.manager_pin.data = ""
        return _refused(order_id, "crossout", crossout_form=form)(r)

    def done(body: dict[str, Any]) -> Any:
        return _back(order_id, _("Return slip %(number)s made: %(amount)s credited to the "
                                 "customer; the goods go back to stock.",
                                 number=body["number"], amount=yuan(int(body["total"]))),
                     anchor="#crossout")

    return perform(
        lambda: crossout.cross_out(
            order_id, _crossed_items(), handler_id=current_user.id, manager_staff_no=manager_no,
            manager_pin=form.manager_pin.data or "",
            customer_agreed=bool(form.customer_agreed.data), reason=reason,
            station=device_station()),
        form=form, once=OneTime(f"cross-out:{order_id}", {"x": quantities, "reason": reason},
                                keep=lambda slip: {"number": slip.number, "total": slip.total}),
        pin=PinTry(manager_no, f"cross-out:{order.number}"), say=False, done=done,
        refused=refused, messages={
            "form-expired": _EXPIRED, "invalid-form": _EXPIRED,
            "idempotency-key-reused": _l("This form was already used; check the quantities "
                                         "and try again."),
            "sign-in-failed": _l("Wrong manager staff number or PIN — nothing was crossed out."),
            "locked": _locked(manager_no), "validation": _crossout_message})


# --- the seal -----------------------------------------------------------------------

@roles_required(*ROLES)
def seal(order_id: int) -> Any:
    _order(order_id)
    form = SealForm()
    return perform(
        lambda: signoff.seal(order_id, form.mode.data or "", staff_id=current_user.id,
                             station=device_station()),
        form=form, say=False, refused=_refused(order_id, "seal"),
        messages={"form-expired": _EXPIRED, "invalid-form": _EXPIRED},
        done=lambda _p: redirect(url_for("packing.sealed", order_id=order_id), 303))


def see_off_url(visit_id: int) -> str:
    """The reception's departure checklist for the visit (another screen's route)."""
    try:
        return url_for("reception.see_off", visit_id=visit_id)
    except BuildError:
        return f"/reception/visits/{visit_id}/see-off"


@roles_required(*ROLES)
def sealed(order_id: int) -> Any:
    order = get_order_or_404(order_id)
    packing = find_packing(order.id)
    if packing is None or packing.status != SEALED:
        return redirect(url_for("packing.bench", order_id=order_id), 303)
    boxes = box_contents(packing.id, active_lines(order.id))
    jobs = [j for j in reversed(list_jobs(order_id=order.id)) if j.document in BOX_DOCUMENTS]
    stations = sorted({j.station for j in jobs if j.station})
    return render_template(
        "packing/sealed.html", order=order, packing=packing, boxes=boxes, jobs=jobs,
        stations=stations, see_off=see_off_url(order.visit_id) if order.visit_id else None,
        has_slip=signed_slip_payload(order, packing) is not None)


def get_order_or_404(order_id: int) -> Order:
    try:
        return get_order(order_id)
    except DomainError:
        abort(404)


@roles_required(*ROLES)
def signed_slip(order_id: int) -> Response:
    """The sales slip with the customer's signature and who counted, as a PDF."""
    from printing.documents import document_from_payload
    from printing.pdf import render_pdf

    order = get_order_or_404(order_id)
    payload = signed_slip_payload(order, find_packing(order.id))
    if payload is None:
        abort(404)
    if not may_see_debt(current_user):
        payload |= {"previous_debt": "—", "cumulative_debt": "—"}
    name = f"{order.number}-signed.pdf"
    end_read()  # read-only: hold no transaction while rendering
    pdf = render_pdf(document_from_payload("sales_slip", payload))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f"inline; filename=\"{name}\"; filename*=UTF-8''{quote(name)}",
        "Cache-Control": "no-store"})
