"""Repair screens for the tablet: intake (with photos from the camera), the lists (open,
abroad, overdue, back awaiting collection), a repair's page, and the printable Thai silver
refusal. Actions go through the screen edge (`perform`): one-time tokens make a double tap
take a piece in once; Thai silver is refused with its reasons and nothing written."""
from __future__ import annotations

import hashlib
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from showroom.attachments.services import attachments_of
from showroom.auth.access import roles_required
from showroom.clock import now_utc
from showroom.customers.models import Customer
from showroom.customers.services import may_see_phone, search_customers
from showroom.errors import DomainError, RuleRefused
from showroom.extensions import db
from showroom.followups.services import followups_of
from showroom.printjobs.models import PrintJob
from showroom.repairs.forms import BackForm, CollectForm, IntakeForm, PhotoForm, RouteForm
from showroom.repairs.intake import parse_intake, take_in, thai_silver_reasons
from showroom.repairs.models import Repair, RepairStatus
from showroom.repairs.moves import WEIGHT_TOLERANCE_CG
from showroom.repairs.queries import LISTS, is_overdue, repair_list
from showroom.shipping.models import Shipment
from showroom.stations import device_station
from showroom.validation import small_int
from showroom.web.screen import OneTime, Refusal, mark_fields, new_token, perform

Page = Response | str | tuple[str, int]
DESK_ROLES = ("reception", "clerk", "cashier")
FIX_INTAKE = _l("Please correct the marked fields: the customer, the part, the material and "
                "what is wrong are needed; a weight like 12.35 g.")


def uploaded_photos() -> list[bytes]:
    """The photo files of this request; an empty file input (nothing chosen) is skipped,
    a chosen file of 0 bytes is kept (and refused by the store)."""
    photos = []
    for f in request.files.getlist("photos"):
        if f.filename:
            photos.append(f.read())
        f.close()  # a large upload is spooled to a temporary file: let it go now
    return photos


@roles_required(*DESK_ROLES)
def lists() -> Page:
    which = request.args.get("list", "open")
    if which not in LISTS:
        which = "open"
    return render_template("repairs/lists.html", which=which, repairs=repair_list(which=which),
                           is_overdue=is_overdue, is_manager="manager" in current_user.role_set,
                           route_form=new_token(RouteForm(formdata=None)))


def _intake_page(form: IntakeForm, *, refused: RuleRefused | None = None,
                 status: int = 200) -> Page:
    cid = small_int(form.customer_id.data) if form.customer_id.data else None
    customer = db.session.get(Customer, cid) if cid else None
    q = request.args.get("q", "").strip()[:60]
    results = search_customers(q, by_phone=may_see_phone(current_user)) if q else []
    new_token(form)
    return render_template("repairs/intake.html", form=form, customer=customer, q=q,
                           results=results, refused=refused), status


@roles_required(*DESK_ROLES)
def intake() -> Page:
    form = IntakeForm(formdata=None)
    form.customer_id.data = request.args.get("customer_id", "")
    return _intake_page(form)


@roles_required(*DESK_ROLES)
def take() -> Page:
    """维修登记: parse, refuse Thai silver by its rule, take the piece in with its photos."""
    form = IntakeForm()
    raw = form.raw()
    photos = uploaded_photos()
    raw_key = {**raw, "photos": [hashlib.sha256(p).hexdigest() for p in photos]}

    def refused(r: Refusal) -> Page:
        if r.code == "idempotency-key-reused":
            form.token.data = ""
        errors = {("photos" if k.startswith("photo") else k): str(v) for k, v in r.errors.items()}
        mark_fields(form, errors)
        rule = r.error if isinstance(r.error, RuleRefused) else None
        return _intake_page(form, refused=rule, status=r.status)

    def done(body: dict[str, Any]) -> Response:
        flash(_("Repair %(number)s taken in: the receipt (3 copies) and the bag label are "
                "printing.", number=body["number"]), "success")
        return redirect(url_for("repairs.page", repair_id=body["id"]), 303)

    return perform(
        lambda: take_in(parse_intake(raw), photos, staff_id=current_user.id,
                        station=device_station()),
        form=form, once=OneTime("repair-intake", raw_key,
                                keep=lambda r: {"id": r.id, "number": r.number}),
        done=done, refused=refused, messages={
            "validation": lambda exc: _photo_or(exc),
            "invalid-form": FIX_INTAKE,
            "rule": lambda exc: _("Not accepted: %(reasons)s", reasons=_reasons(exc)),
        })


def _photo_or(exc: DomainError) -> str:
    if any(k.startswith("photo") for k in exc.errors):
        return str(next(v for k, v in exc.errors.items() if k.startswith("photo")))
    return str(FIX_INTAKE)


def _reasons(exc: DomainError) -> str:
    return " ".join(exc.reasons) if isinstance(exc, RuleRefused) else exc.message


@roles_required(*DESK_ROLES)
def refusal_notice() -> Page:
    """The Thai silver refusal as a printable page for the customer (nothing was written)."""
    return render_template("repairs/refusal.html", reasons=thai_silver_reasons(), now=now_utc())


def repair_page(repair: Repair, *, status: int = 200, route_form: RouteForm | None = None,
                back_form: BackForm | None = None, open_form: str = "") -> Page:
    route_form = new_token(route_form or RouteForm(formdata=None))
    route_form.receiver_pin.data = route_form.carrier_pin.data = ""
    back_form = new_token(back_form or BackForm(formdata=None))
    collect_form = new_token(CollectForm(formdata=None))
    shipments = list(db.session.scalars(select(Shipment).where(
        Shipment.customer_id == repair.customer_id).order_by(Shipment.id.desc()).limit(10)))
    collect_form.shipment_id.choices = [("", _("— collected at the counter —"))] + [
        (str(s.id), f"{s.number} · {s.carrier}") for s in shipments]
    jobs = list(db.session.scalars(select(PrintJob).where(
        PrintJob.ref.in_([repair.number, repair.batch or "-"])).order_by(PrintJob.id)))
    return render_template(
        "repairs/repair.html", r=repair, photos=attachments_of("repair", repair.id),
        custody=repair.custody, followups=followups_of("repair", repair.id), jobs=jobs,
        route_form=route_form, back_form=back_form, collect_form=collect_form,
        photo_form=new_token(PhotoForm(formdata=None)), overdue=is_overdue(repair),
        is_manager="manager" in current_user.role_set, open_form=open_form,
        tolerance=WEIGHT_TOLERANCE_CG, Status=RepairStatus,
        can_phone=may_see_phone(current_user)), status


@roles_required(*DESK_ROLES)
def page(repair_id: int) -> Page:
    repair: Repair = db.get_or_404(Repair, repair_id)
    return repair_page(repair)
