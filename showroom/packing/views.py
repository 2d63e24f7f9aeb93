"""The packing bench (点货、包装, Std ch.5): the queue of settled orders, and the checklist
an order is counted, packed and ticked on — one scan, one unit, one box.

A scan answers htmx with big feedback in place and the changed line, the boxes and the
seal panel out of band; a refusal (over-scan, not on the order) comes back as 409 with
the red banner over the unchanged checklist. Without JS every form posts and redirects.
The current box and whether the customer is at the bench are the device's choice, kept
in the session per order. Sign-offs, cross-outs and the seal are in views_signoff.
"""
from __future__ import annotations

from typing import Any

from flask import make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.errors import DomainError
from showroom.extensions import db
from showroom.money import yuan
from showroom.orders.models import OrderLine
from showroom.packing import services as packing
from showroom.packing.forms import BoxForm, ManualTickForm, ScanForm, UntickForm
from showroom.packing.models import MODES
from showroom.packing.queries import packing_queue, packing_view
from showroom.packing.screen import (
    ROLES,
    after_change,
    bench_page,
    chosen_box,
    htmx,
    refused,
    remember,
    scan_context,
)
from showroom.stations import device_station

# --- the queue ----------------------------------------------------------------------

def _queue_rows() -> list[tuple[Any, ...]]:
    """(order, packing, lines, units to pack, units packed): one grouped query for all."""
    rows = packing_queue()
    ids = [o.id for o, _p in rows]
    sums: dict[int, tuple[int, int, int]] = {}
    if ids:
        for oid, n, units, packed in db.session.execute(
                select(OrderLine.order_id, func.count(),
                       func.sum(OrderLine.qty - OrderLine.returned_qty - OrderLine.crossed_qty),
                       func.sum(OrderLine.packed_qty))
                .where(OrderLine.order_id.in_(ids), OrderLine.removed_at.is_(None))
                .group_by(OrderLine.order_id)):
            sums[oid] = (int(n), int(units or 0), int(packed or 0))
    return [(o, p, *sums.get(o.id, (0, 0, 0))) for o, p in rows]


@roles_required(*ROLES)
def queue() -> str:
    return render_template("packing/queue.html", rows=_queue_rows())


@roles_required(*ROLES)
def queue_rows() -> str:
    """The rows alone, polled by htmx every few seconds (a poll is not activity)."""
    return render_template("packing/_queue_rows.html", rows=_queue_rows())


# --- the bench ----------------------------------------------------------------------

@roles_required(*ROLES)
def bench(order_id: int) -> Any:
    panel = request.args.get("panel", "")[:20]
    line_id = request.args.get("line", type=int)
    return bench_page(order_id, panel=panel if panel in ("crossout", "tick") else "",
                      line_id=line_id)


@roles_required(*ROLES)
def choose_mode(order_id: int) -> Response:
    mode = request.form.get("mode", "")
    if BoxForm().validate_on_submit() and mode in MODES:
        remember(order_id, mode=mode)
    return redirect(url_for("packing.bench", order_id=order_id), 303)


def _tick_result(tick: packing.Tick, boxes: int) -> dict[str, Any]:
    line, product = tick.line, tick.line.product
    return {"ok": True, "code": product.code, "name": product.name,
            "price": yuan(line.unit_price), "packed": line.packed_qty, "of": line.to_pack,
            "box": tick.box.number, "boxes": boxes, "done": tick.line_done, "line_id": line.id,
            "message": _("✓ %(packed)s/%(of)s %(code)s %(name)s → box %(box)s",
                         packed=line.packed_qty, of=line.to_pack, code=product.code,
                         name=product.name, box=tick.box.number)}


@roles_required(*ROLES)
def scan(order_id: int) -> Any:
    form = ScanForm()
    if not form.validate():
        return refused(order_id, DomainError(_("Scan a barcode (or type a product code).")))
    box_id = chosen_box(order_id)
    try:
        tick = packing.scan(order_id, form.barcode.data or "", box_id=box_id,
                            staff_id=current_user.id, station=device_station())
    except DomainError as exc:
        return refused(order_id, exc)
    if not htmx():
        db.session.commit()
        return after_change(order_id, _tick_result(tick, 0))
    order = packing.get_order(order_id)
    ctx = scan_context(order, tick, _tick_result(tick, 0))  # read in the scan's transaction
    response = make_response(render_template("packing/_scan_partial.html", **ctx))
    db.session.commit()
    response.headers["HX-Retarget"] = "#feedback"
    response.headers["HX-Reswap"] = "innerHTML"
    return response


@roles_required(*ROLES)
def manual_tick(order_id: int, line_id: int) -> Any:
    form = ManualTickForm()
    if not form.validate():
        return bench_page(order_id, status=422, panel="tick", line_id=line_id, tick_form=form,
                          result={"ok": False, "message": _(
                              "Say why, and how many (a whole number from 1).")})
    box_id = chosen_box(order_id)
    try:
        tick = packing.manual_tick(order_id, line_id, reason=form.reason.data or "",
                                   qty=form.qty.data or 0, box_id=box_id,
                                   staff_id=current_user.id, station=device_station())
    except DomainError as exc:
        db.session.rollback()
        return bench_page(order_id, result={"ok": False, "message": exc.message},
                          status=exc.status, panel="tick", line_id=line_id, tick_form=form)
    result = _tick_result(tick, 0)
    db.session.commit()
    return after_change(order_id, result | {"message": _(
        "Ticked by hand: %(qty)s × %(code)s → box %(box)s", qty=tick.qty, code=result["code"],
        box=result["box"])})


@roles_required(*ROLES)
def untick(order_id: int, line_id: int) -> Any:
    form = UntickForm()
    if not form.validate():
        return refused(order_id, DomainError(_("Choose the box to take it out of.")))
    try:
        tick = packing.untick(order_id, line_id, box_id=form.box_id.data or 0,
                              reason=form.reason.data or "", staff_id=current_user.id)
    except DomainError as exc:
        return refused(order_id, exc)
    message = _("Taken out of box %(box)s: 1 × %(code)s (%(packed)s/%(of)s packed)",
                box=tick.box.number, code=tick.line.product.code, packed=tick.line.packed_qty,
                of=tick.line.to_pack)
    db.session.commit()
    return after_change(order_id, {"ok": True, "undo": True, "message": message})


@roles_required(*ROLES)
def add_box(order_id: int) -> Any:
    if not BoxForm().validate_on_submit():
        return refused(order_id, DomainError(_("The form expired; please try again.")))
    try:
        box = packing.add_box(order_id, staff_id=current_user.id, station=device_station())
    except DomainError as exc:
        return refused(order_id, exc)
    remember(order_id, box=box.id)
    number = box.number
    db.session.commit()
    return after_change(order_id, {"ok": True, "message": _(
        "Box %(n)s started: scans now go into box %(n)s.", n=number)})


@roles_required(*ROLES)
def choose_box(order_id: int, box_id: int) -> Any:
    if BoxForm().validate_on_submit():
        view = packing_view(packing.get_order(order_id))
        if box_id in [b.id for b in view.boxes]:
            remember(order_id, box=box_id)
    return after_change(order_id)


@roles_required(*ROLES)
def remove_box(order_id: int, box_id: int) -> Any:
    if not BoxForm().validate_on_submit():
        return refused(order_id, DomainError(_("The form expired; please try again.")))
    try:
        packing.remove_empty_box(order_id, box_id, staff_id=current_user.id)
    except DomainError as exc:
        return refused(order_id, exc)
    db.session.commit()
    return after_change(order_id, {"ok": True, "message": _("The empty box was removed.")})
