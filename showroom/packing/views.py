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
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.extensions import db
from showroom.money import yuan
from showroom.orders.models import OrderLine
from showroom.packing import services as packing
from showroom.packing.forms import BoxForm, ManualTickForm, ScanForm, UntickForm
from showroom.packing.models import MODES, PackingBox
from showroom.packing.queries import packing_queue, packing_view
from showroom.packing.screen import (
    ROLES,
    after_change,
    bench_page,
    chosen_box,
    htmx,
    refusal,
    remember,
    scan_context,
)
from showroom.stations import device_station
from showroom.web.screen import perform

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
    """One scan: htmx gets the feedback with the changed parts out of band, rendered inside
    the scan's transaction (the screen edge commits after `done`), so it reads no more than
    the scan wrote; without JS the form posts and redirects."""
    form = ScanForm()

    def done(tick: packing.Tick) -> Any:
        result = _tick_result(tick, 0)
        if not htmx():
            return after_change(order_id, result)
        ctx = scan_context(tick.order or packing.get_order(order_id), tick, result)
        response = make_response(render_template("packing/_scan_partial.html", **ctx))
        response.headers["HX-Retarget"] = "#feedback"
        response.headers["HX-Reswap"] = "innerHTML"
        return response

    return perform(
        lambda: packing.scan(order_id, form.barcode.data or "", box_id=chosen_box(order_id),
                             staff_id=current_user.id, station=device_station()),
        form=form, done=done, refused=refusal(order_id), say=False,
        messages={"invalid-form": _l("Scan a barcode (or type a product code).")})


@roles_required(*ROLES)
def manual_tick(order_id: int, line_id: int) -> Any:
    form = ManualTickForm()

    def done(tick: packing.Tick) -> Any:
        result = _tick_result(tick, 0)
        return after_change(order_id, result | {"message": _(
            "Ticked by hand: %(qty)s × %(code)s → box %(box)s", qty=tick.qty,
            code=result["code"], box=result["box"])})

    return perform(
        lambda: packing.manual_tick(order_id, line_id, reason=form.reason.data or "",
                                    qty=form.qty.data or 0, box_id=chosen_box(order_id),
                                    staff_id=current_user.id, station=device_station()),
        form=form, done=done, say=False,
        messages={"invalid-form": _l("Say why, and how many (a whole number from 1).")},
        refused=refusal(order_id, panel="tick", line_id=line_id, tick_form=form))


@roles_required(*ROLES)
def untick(order_id: int, line_id: int) -> Any:
    form = UntickForm()

    def done(tick: packing.Tick) -> Any:
        return after_change(order_id, {"ok": True, "undo": True, "message": _(
            "Taken out of box %(box)s: 1 × %(code)s (%(packed)s/%(of)s packed)",
            box=tick.box.number, code=tick.line.product.code, packed=tick.line.packed_qty,
            of=tick.line.to_pack)})

    return perform(
        lambda: packing.untick(order_id, line_id, box_id=form.box_id.data or 0,
                               reason=form.reason.data or "", staff_id=current_user.id),
        form=form, done=done, refused=refusal(order_id), say=False,
        messages={"invalid-form": _l("Choose the box to take it out of.")})


_EXPIRED = {"form-expired": _l("The form expired; please try again."),
            "invalid-form": _l("The form expired; please try again.")}


@roles_required(*ROLES)
def add_box(order_id: int) -> Any:
    def done(box: PackingBox) -> Any:
        remember(order_id, box=box.id)
        return after_change(order_id, {"ok": True, "message": _(
            "Box %(n)s started: scans now go into box %(n)s.", n=box.number)})

    return perform(lambda: packing.add_box(order_id, staff_id=current_user.id,
                                           station=device_station()),
                   form=BoxForm(), done=done, refused=refusal(order_id), say=False,
                   messages=_EXPIRED)


@roles_required(*ROLES)
def choose_box(order_id: int, box_id: int) -> Any:
    """Only the device's choice (kept in the session): nothing is written."""
    if BoxForm().validate_on_submit():
        view = packing_view(packing.get_order(order_id))
        if box_id in [b.id for b in view.boxes]:
            remember(order_id, box=box_id)
    return after_change(order_id)


@roles_required(*ROLES)
def remove_box(order_id: int, box_id: int) -> Any:
    return perform(lambda: packing.remove_empty_box(order_id, box_id, staff_id=current_user.id),
                   form=BoxForm(), refused=refusal(order_id), say=False, messages=_EXPIRED,
                   done=lambda _none: after_change(order_id, {
                       "ok": True, "message": _("The empty box was removed.")}))
