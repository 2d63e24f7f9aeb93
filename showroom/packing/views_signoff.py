"""The bench's sign-offs, cross-outs and seal (Std ch.5), and the page after sealing.

A wrong PIN (a counter's or the manager's) rolls the work back and then records the
failed try on its own, so the lockout counts it as it counts a sign-in. A cross-out
carries a one-time token used as the idempotency key: a double submit makes one return
slip, one ledger credit, and puts the stock back once. The signed slip PDF blanks the
customer's debt figures for staff who may not see debts (SPEC §12).
"""
from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import BuildError

from showroom.auth.access import roles_required
from showroom.auth.services import AccountLocked, SignInFailed, keep_refused_attempt
from showroom.customers.services import may_see_debt
from showroom.errors import DomainError, IdempotencyMismatch, ValidationFailed
from showroom.extensions import db
from showroom.idempotency import claim, clean_key, complete, fingerprint
from showroom.money import yuan
from showroom.orders.models import Order
from showroom.packing import crossout, signoff
from showroom.packing.documents import signed_slip_payload
from showroom.packing.forms import CrossOutForm, PaymentForm, SealForm, SignatureForm, SignForm
from showroom.packing.models import SEALED
from showroom.packing.queries import active_lines, box_contents, find_packing
from showroom.packing.screen import ROLES, bench_page
from showroom.packing.services import get_order
from showroom.printjobs.services import list_jobs
from showroom.stations import device_station
from showroom.validation import small_int

BOX_DOCUMENTS = ("box_label", "packing_list")
_DATA_URL = "data:image/png;base64,"


def _order(order_id: int) -> Order:
    order = db.session.get(Order, order_id)
    if order is None:
        abort(404)
    return order


def _back(order_id: int, message: str, category: str = "success", anchor: str = "") -> Any:
    flash(message, category)
    return redirect(url_for("packing.bench", order_id=order_id) + anchor, 303)


def _pin_refused(staff_no: str, exc: DomainError, source: str, *, manager: bool = False) -> str:
    """Roll back, keep the failed try for the lockout, and say what happened."""
    keep_refused_attempt(staff_no, source)
    staff_no = (staff_no or "").strip()[:20]
    if isinstance(exc, AccountLocked):
        return _("Too many wrong PINs: staff number %(no)s is locked for a while.", no=staff_no)
    if manager:
        return _("Wrong manager staff number or PIN — nothing was crossed out.")
    return _("Wrong staff number or PIN — nothing was signed.")


def _refused(order_id: int, message: str, status: int, panel: str, **forms: Any) -> Any:
    return bench_page(order_id, result={"ok": False, "message": message, "panel": panel},
                      status=status, panel=panel, **forms)


# --- counters sign with their own PIN -----------------------------------------------

@roles_required(*ROLES)
def sign(order_id: int) -> Any:
    order = _order(order_id)
    form = SignForm()
    if not form.validate():
        return _refused(order_id, _("Enter the staff number and PIN of the one who counted."),
                        422, "sign", sign_form=form)
    staff_no = (form.staff_no.data or "").strip()
    try:
        signature = signoff.sign(order_id, staff_no, form.pin.data or "",
                                 station=device_station(), staff_id=current_user.id)
    except (SignInFailed, AccountLocked) as exc:
        message = _pin_refused(staff_no, exc, f"packing:{order.number}")
        return _refused(order_id, message, exc.status, "sign", sign_form=SignForm(formdata=None))
    except DomainError as exc:
        db.session.rollback()
        return _refused(order_id, exc.message, exc.status, "sign", sign_form=form)
    name = signature.staff.name
    db.session.commit()
    return _back(order_id, _("%(name)s signed as counter.", name=name), anchor="#signoff")


# --- customer present: signature pad and the payment check ----------------------------

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
    try:
        if not form.validate():
            raise ValidationFailed(_("the signature pad is empty: ask the customer to sign"),
                                   errors={"signature": _("empty")})
        signoff.customer_signs(order_id, _png(form.signature.data or ""),
                               staff_id=current_user.id)
    except DomainError as exc:
        db.session.rollback()
        return _refused(order_id, exc.message, exc.status, "signature")
    db.session.commit()
    return _back(order_id, _("The customer's signature is saved."), anchor="#signoff")


@roles_required(*ROLES)
def payment_checked(order_id: int) -> Any:
    _order(order_id)
    form = PaymentForm()
    if not form.validate():
        return _refused(order_id, _("The form expired; please try again."), 400, "payment")
    try:
        signoff.confirm_payment(order_id, staff_id=current_user.id,
                                name_confirmed=bool(form.name_confirmed.data))
    except DomainError as exc:
        db.session.rollback()
        return _refused(order_id, exc.message, exc.status, "payment")
    db.session.commit()
    return _back(order_id, _("Payment checked."), anchor="#signoff")


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


@roles_required(*ROLES)
def cross_out(order_id: int) -> Any:
    order = _order(order_id)
    form = CrossOutForm()
    if not form.validate():
        return _refused(order_id, _("The form expired; please try again."), 400, "crossout",
                        crossout_form=form)
    manager_no = (form.manager_staff_no.data or "").strip()
    reason = (form.reason.data or "").strip()
    try:
        items = _crossed_items()
        key = clean_key(form.token.data or None)
        if key is None:
            raise ValidationFailed(_("The form expired; please reload the order."),
                                   errors={"token": _("missing")})
        scope = f"cross-out:{order_id}"
        replay = claim(key, scope, fingerprint(scope, {"items": items, "reason": reason}))
        if replay is None:
            slip = crossout.cross_out(
                order_id, items, handler_id=current_user.id, manager_staff_no=manager_no,
                manager_pin=form.manager_pin.data or "",
                customer_agreed=bool(form.customer_agreed.data), reason=reason,
                station=device_station())
            body: dict[str, Any] = {"number": slip.number, "total": slip.total}
            complete(key, 200, body)
        else:
            body = replay.body
        db.session.commit()
    except (SignInFailed, AccountLocked) as exc:
        message = _pin_refused(manager_no, exc, f"cross-out:{order.number}", manager=True)
        form.manager_pin.data = ""
        return _refused(order_id, message, exc.status, "crossout", crossout_form=form)
    except DomainError as exc:
        db.session.rollback()
        message = exc.message
        if isinstance(exc, IdempotencyMismatch):
            message = _("This form was already used; check the quantities and try again.")
            form.token.data = ""
        elif exc.errors and isinstance(exc, ValidationFailed):
            message = "; ".join(str(v) for v in exc.errors.values())
        form.manager_pin.data = ""
        return _refused(order_id, message, exc.status, "crossout", crossout_form=form)
    return _back(order_id, _("Return slip %(number)s made: %(amount)s credited to the "
                             "customer; the goods go back to stock.",
                             number=body["number"], amount=yuan(int(body["total"]))),
                 anchor="#crossout")


# --- the seal -----------------------------------------------------------------------

@roles_required(*ROLES)
def seal(order_id: int) -> Any:
    _order(order_id)
    form = SealForm()
    if not form.validate():
        return _refused(order_id, _("The form expired; please try again."), 400, "seal")
    try:
        signoff.seal(order_id, form.mode.data or "", staff_id=current_user.id,
                     station=device_station())
    except DomainError as exc:
        db.session.rollback()
        return _refused(order_id, exc.message, exc.status, "seal")
    db.session.commit()
    return redirect(url_for("packing.sealed", order_id=order_id), 303)


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
    db.session.rollback()  # read-only: hold no transaction while rendering
    pdf = render_pdf(document_from_payload("sales_slip", payload))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f"inline; filename=\"{name}\"; filename*=UTF-8''{quote(name)}",
        "Cache-Control": "no-store"})
