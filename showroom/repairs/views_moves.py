"""The moves on a repair's page: more photos, the manager's route (in-house with the
workshop staff's PIN, or abroad — alone or as a batch from the list — with its hand-over
list), back with the weight checked again, collected or shipped. A PIN typed for a
receiver is kept for the lockout when it is wrong (`PinTry`)."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from showroom.attachments.services import attachments_of, store_photo
from showroom.auth.access import roles_required
from showroom.errors import ValidationFailed
from showroom.extensions import db
from showroom.repairs.forms import BackForm, CollectForm, PhotoForm, RouteForm
from showroom.repairs.intake import MAX_PHOTOS
from showroom.repairs.models import Repair
from showroom.repairs.moves import back, collect, get_repair, parse_abroad, route_abroad, route_in_house
from showroom.repairs.views import DESK_ROLES, Page, repair_page, uploaded_photos
from showroom.stations import device_station
from showroom.validation import small_int
from showroom.web.screen import OneTime, PinTry, Refusal, mark_fields, perform

WRONG_PIN = _l("Wrong staff number or PIN of the person taking the piece — nothing changed.")
PIN_MESSAGES: dict[str, Any] = {"sign-in-failed": WRONG_PIN, "forbidden": lambda e: e.message,
                                "validation": lambda e: e.message,
                                "invalid-transition": lambda e: e.message}


def _to_page(repair_id: int) -> Response:
    return redirect(url_for("repairs.page", repair_id=repair_id), 303)


def _refused_page(repair_id: int, **forms: Any) -> Any:
    def refused(r: Refusal) -> Page:
        for form in forms.values():
            if form is not None:
                mark_fields(form, {k: str(v) for k, v in r.errors.items()})
        repair: Repair = db.get_or_404(Repair, repair_id)
        return repair_page(repair, status=r.status, **forms)
    return refused


@roles_required(*DESK_ROLES)
def add_photos(repair_id: int) -> Page:
    db.get_or_404(Repair, repair_id)
    form = PhotoForm()
    photos = uploaded_photos()

    def work() -> int:
        repair = get_repair(repair_id, lock=True)
        if not photos or len(attachments_of("repair", repair.id)) + len(photos) > MAX_PHOTOS:
            raise ValidationFailed(_("one to %(n)s photos per repair", n=MAX_PHOTOS))
        for data in photos:
            store_photo("repair", repair.id, data, staff_id=current_user.id)
        return len(photos)

    return perform(work, form=form, once=OneTime(f"repair-photo:{repair_id}", len(photos),
                                                 keep=lambda n: {"n": n}),
                   done=lambda _b: _to_page(repair_id), refused=_refused_page(repair_id),
                   messages={"validation": lambda e: str(next(iter(e.errors.values()), e.message))})


@roles_required("manager")
def route(repair_id: int) -> Page:
    db.get_or_404(Repair, repair_id)
    form = RouteForm()
    where = form.route.data
    pin_no = (form.receiver_staff_no.data if where == "in_house"
              else form.carrier_staff_no.data) or ""

    def work() -> Any:
        if where == "in_house":
            return route_in_house(repair_id, receiver_staff_no=form.receiver_staff_no.data or "",
                                  receiver_pin=form.receiver_pin.data or "",
                                  manager=current_user._get_current_object())
        return route_abroad([repair_id], parse_abroad(form.abroad_raw()),
                            manager=current_user._get_current_object(), station=device_station())

    def done(_body: Any) -> Response:
        flash(_("Routed: the hand-over is recorded."), "success")
        return _to_page(repair_id)

    fingerprint = {"route": where, **{k: v for k, v in form.abroad_raw().items() if k != "carrier_pin"}}
    return perform(work, form=form, once=OneTime(f"repair-route:{repair_id}", fingerprint),
                   pin=PinTry(pin_no.strip(), f"repair:{repair_id}") if pin_no.strip() else None,
                   done=done, refused=_refused_page(repair_id, route_form=form),
                   messages=PIN_MESSAGES)


@roles_required("manager")
def handover() -> Page:
    """Several pieces abroad at once, from the list: one batch, one hand-over list."""
    form = RouteForm()
    ids = [i for i in (small_int(v) for v in request.form.getlist("repair_id")) if i]
    pin_no = (form.carrier_staff_no.data or "").strip()

    def work() -> Any:
        return route_abroad(ids, parse_abroad(form.abroad_raw()),
                            manager=current_user._get_current_object(), station=device_station())

    def done(body: dict[str, Any]) -> Response:
        flash(_("Hand-over list %(batch)s: %(n)s pieces abroad; the list is printing.",
                batch=body["batch"], n=body["n"]), "success")
        return redirect(url_for("repairs.lists", list="abroad"), 303)

    return perform(work, form=form, once=OneTime("repair-handover", sorted(ids),
                                                 keep=lambda rs: {"batch": rs[0].batch,
                                                                  "n": len(rs)}),
                   pin=PinTry(pin_no, "repair-batch") if pin_no else None, done=done,
                   refused=lambda _r: redirect(url_for("repairs.lists", list="open"), 303),
                   messages=PIN_MESSAGES)


@roles_required(*DESK_ROLES)
def piece_back(repair_id: int) -> Page:
    db.get_or_404(Repair, repair_id)
    form = BackForm()

    def done(_body: Any) -> Response:
        r = db.session.get(Repair, repair_id)
        if r is not None and r.weight_flag:
            flash(_("Weight differs from intake: check the piece with the customer before "
                    "handing it over."), "error")
        flash(_("Back at the counter: the customer's callback is due the next working day."),
              "success")
        return _to_page(repair_id)

    return perform(lambda: back(repair_id, weight_g=form.weight_g.data or "",
                                note=form.note.data or "", staff=current_user._get_current_object()),
                   form=form, once=OneTime(f"repair-back:{repair_id}", form.weight_g.data),
                   done=done, refused=_refused_page(repair_id, back_form=form),
                   messages={"validation": lambda e: e.message,
                             "invalid-transition": lambda e: e.message})


@roles_required(*DESK_ROLES)
def piece_collected(repair_id: int) -> Page:
    db.get_or_404(Repair, repair_id)
    form = CollectForm()
    shipment = small_int(request.form.get("shipment_id") or "") or None

    def done(_body: Any) -> Response:
        flash(_("Handed over: the repair is closed."), "success")
        return _to_page(repair_id)

    return perform(lambda: collect(repair_id, shipment_id=shipment,
                                   staff=current_user._get_current_object()),
                   form=form, once=OneTime(f"repair-collect:{repair_id}", shipment),
                   done=done, refused=_refused_page(repair_id),
                   messages={"validation": lambda e: e.message,
                             "invalid-transition": lambda e: e.message})
