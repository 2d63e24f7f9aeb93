"""The packing bench (点货、包装, Std ch.5): the queue of settled orders, and the checklist
an order is counted, packed and ticked on — one scan, one unit, one box.

A scan answers htmx with big feedback in place and the changed line, the boxes and the
seal panel out of band; a refusal (over-scan, not on the order) comes back as 409 with
only the red banner, because nothing changed. Without JS every form posts and redirects.
The current box and whether the customer is at the bench are the device's choice, kept
in the session per order. Sign-offs, cross-outs and the seal are in views_signoff.
"""
from __future__ import annotations

import base64
import uuid
from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.auth.models import Staff
from showroom.errors import DomainError, NotFound
from showroom.extensions import db
from showroom.money import yuan
from showroom.orders.models import SETTLED, Order, OrderLine
from showroom.packing import bp
from showroom.packing import services as packing
from showroom.packing.forms import (
    BoxForm,
    CrossOutForm,
    ManualTickForm,
    PaymentForm,
    ScanForm,
    SealForm,
    SignatureForm,
    SignForm,
    UntickForm,
)
from showroom.packing.models import MODES, SEALED, Packing
from showroom.packing.queries import PackingView, packing_queue, packing_view
from showroom.packing.signoff import seal_problems
from showroom.reception.models import Visit
from showroom.settlement.models import ReturnSlip, Settlement
from showroom.stations import device_station

ROLES = ("packer",)  # the manager passes every role check
_KEPT = 20  # orders whose bench state one device remembers


def htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


# --- the device's choices per order: current box, customer present or absent ---------

def bench_state(order_id: int) -> dict[str, Any]:
    return dict((session.get("packing") or {}).get(str(order_id)) or {})


def remember(order_id: int, **values: Any) -> None:
    kept = dict(session.get("packing") or {})
    entry = dict(kept.pop(str(order_id), None) or {}) | values
    kept[str(order_id)] = entry  # most recent last; the oldest are forgotten
    session["packing"] = dict(list(kept.items())[-_KEPT:])


def bench_mode(order: Order) -> str:
    """Present when the order's visit is still in the showroom, unless the packer chose."""
    chosen = bench_state(order.id).get("mode")
    if chosen in MODES:
        return str(chosen)
    if order.visit_id is not None:
        visit = db.session.get(Visit, order.visit_id)
        if visit is not None and visit.status != "left":
            return "present"
    return "absent"


def current_box_id(order_id: int, view: PackingView) -> int | None:
    chosen = bench_state(order_id).get("box")
    ids = [b.id for b in view.boxes]
    if chosen in ids:
        return int(chosen)
    return ids[-1] if ids else None


def settlement_of(order_id: int) -> Settlement | None:
    """How the order was paid (cash, transfer, on account): the packer checks it was paid.
    Only this order's payments; never the customer's overall balance (SPEC §12)."""
    return db.session.scalar(select(Settlement).where(Settlement.order_id == order_id))


def crossout_slips(order_id: int) -> list[ReturnSlip]:
    return list(db.session.scalars(select(ReturnSlip).where(
        ReturnSlip.order_id == order_id, ReturnSlip.kind == "cross_out").order_by(ReturnSlip.id)))


def bench_context(order: Order, result: dict[str, Any] | None = None) -> dict[str, Any]:
    """What every render of the bench needs: lines, boxes, the current box, the seal's
    problems for the chosen mode (a read: nothing is begun by looking)."""
    view = packing_view(order)
    mode = bench_mode(order)
    box_id = current_box_id(order.id, view)
    problems = seal_problems(order, view.packing, mode) if order.status == SETTLED else []
    current = next((b for b in view.boxes if b.id == box_id), None)
    done = sum(1 for ln in view.lines if ln.to_pack and ln.packed_qty == ln.to_pack)
    return {"order": order, "view": view, "mode": mode, "box_id": box_id, "lines_done": done,
            "current_box": current, "problems": problems, "result": result,
            "box_form": BoxForm(formdata=None), "seal_form": SealForm(formdata=None, mode=mode)}


def bench_page(order_id: int, *, result: dict[str, Any] | None = None, status: int = 200,
               panel: str = "", line_id: int | None = None, **forms: Any) -> Any:
    """The whole bench, or for htmx only its live part (feedback, checklist, boxes, seal)."""
    try:
        order = packing.get_order(order_id)
    except NotFound:
        abort(404)
    packing_row = packing_view(order).packing
    if order.status != SETTLED or (packing_row is not None and packing_row.status == SEALED):
        if packing_row is not None and packing_row.status == SEALED:
            return redirect(url_for("packing.sealed", order_id=order_id), 303)
        return render_template("packing/not_ready.html", order=order), 409
    ctx = bench_context(order, result)
    if htmx() and not forms and not panel:
        return render_template("packing/_live.html", live_oob=True, **ctx), status
    crossout = forms.get("crossout_form") or CrossOutForm(formdata=None)
    crossout.token.data = crossout.token.data or _new_token()
    ctx |= {"scan_form": ScanForm(formdata=None),
            "tick_form": forms.get("tick_form") or ManualTickForm(formdata=None),
            "untick_form": UntickForm(formdata=None),
            "sign_form": forms.get("sign_form") or SignForm(formdata=None),
            "signature_form": SignatureForm(formdata=None),
            "payment_form": PaymentForm(formdata=None),
            "crossout_form": crossout, "panel": panel, "panel_line": line_id,
            "settlement": settlement_of(order.id), "slips": crossout_slips(order.id),
            "signature_src": _signature_src(packing_row), "checker": _checker(packing_row)}
    return render_template("packing/bench.html", **ctx), status


def _signature_src(p: Packing | None) -> str:
    if p is None or not p.customer_signature:
        return ""
    return "data:image/png;base64," + base64.b64encode(p.customer_signature).decode("ascii")


def _checker(p: Packing | None) -> Staff | None:
    return db.session.get(Staff, p.payment_checked_by_id) if p and p.payment_checked_by_id else None


def _new_token() -> str:
    return str(uuid.uuid4())


def refused(order_id: int, exc: DomainError, **kw: Any) -> Any:
    """Roll back (the service guarantees nothing was written; the rollback makes sure of
    it), then show why, loudly, with the refusal's own status."""
    db.session.rollback()
    message = exc.message or "; ".join(exc.errors.values())
    return bench_page(order_id, result={"ok": False, "message": message}, status=exc.status,
                      **kw)


def after_change(order_id: int, result: dict[str, Any] | None = None) -> Any:
    if htmx():
        return bench_page(order_id, result=result)
    if result:
        flash(result["message"], "success" if result["ok"] else "error")
    return redirect(url_for("packing.bench", order_id=order_id), 303)


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


@bp.route("/")
@roles_required(*ROLES)
def queue() -> str:
    return render_template("packing/queue.html", rows=_queue_rows())


@bp.route("/rows")
@roles_required(*ROLES)
def queue_rows() -> str:
    """The rows alone, polled by htmx every few seconds (a poll is not activity)."""
    return render_template("packing/_queue_rows.html", rows=_queue_rows())


# --- the bench ----------------------------------------------------------------------

@bp.route("/orders/<int:order_id>")
@roles_required(*ROLES)
def bench(order_id: int) -> Any:
    panel = request.args.get("panel", "")[:20]
    line_id = request.args.get("line", type=int)
    return bench_page(order_id, panel=panel if panel in ("crossout", "tick") else "",
                      line_id=line_id)


@bp.route("/orders/<int:order_id>/mode", methods=["POST"])
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


@bp.route("/orders/<int:order_id>/scan", methods=["POST"])
@roles_required(*ROLES)
def scan(order_id: int) -> Any:
    form = ScanForm()
    if not form.validate():
        return refused(order_id, DomainError(_("Scan a barcode (or type a product code).")))
    box_id = current_box_id(order_id, packing_view(packing.get_order(order_id)))
    try:
        tick = packing.scan(order_id, form.barcode.data or "", box_id=box_id,
                            staff_id=current_user.id, station=device_station())
    except DomainError as exc:
        return refused(order_id, exc)
    remember(order_id, box=tick.box.id)
    if not htmx():
        db.session.commit()
        return after_change(order_id, _tick_result(tick, 0))
    order = packing.get_order(order_id)
    ctx = bench_context(order)  # read inside the scan's transaction, then commit
    ctx["result"] = _tick_result(tick, len(ctx["view"].boxes))
    ctx["line"] = tick.line
    response = make_response(render_template("packing/_scan_partial.html", **ctx))
    db.session.commit()
    response.headers["HX-Retarget"] = "#feedback"
    response.headers["HX-Reswap"] = "innerHTML"
    return response


@bp.route("/orders/<int:order_id>/lines/<int:line_id>/tick", methods=["POST"])
@roles_required(*ROLES)
def manual_tick(order_id: int, line_id: int) -> Any:
    form = ManualTickForm()
    if not form.validate():
        return bench_page(order_id, status=422, panel="tick", line_id=line_id, tick_form=form,
                          result={"ok": False, "message": _(
                              "Say why, and how many (a whole number from 1).")})
    box_id = current_box_id(order_id, packing_view(packing.get_order(order_id)))
    try:
        tick = packing.manual_tick(order_id, line_id, reason=form.reason.data or "",
                                   qty=form.qty.data or 0, box_id=box_id,
                                   staff_id=current_user.id, station=device_station())
    except DomainError as exc:
        db.session.rollback()
        return bench_page(order_id, result={"ok": False, "message": exc.message},
                          status=exc.status, panel="tick", line_id=line_id, tick_form=form)
    remember(order_id, box=tick.box.id)
    result = _tick_result(tick, 0)
    db.session.commit()
    return after_change(order_id, result | {"message": _(
        "Ticked by hand: %(qty)s × %(code)s → box %(box)s", qty=tick.qty, code=result["code"],
        box=result["box"])})


@bp.route("/orders/<int:order_id>/lines/<int:line_id>/untick", methods=["POST"])
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


@bp.route("/orders/<int:order_id>/boxes", methods=["POST"])
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


@bp.route("/orders/<int:order_id>/boxes/<int:box_id>/current", methods=["POST"])
@roles_required(*ROLES)
def choose_box(order_id: int, box_id: int) -> Any:
    if BoxForm().validate_on_submit():
        view = packing_view(packing.get_order(order_id))
        if box_id in [b.id for b in view.boxes]:
            remember(order_id, box=box_id)
    return after_change(order_id)


@bp.route("/orders/<int:order_id>/boxes/<int:box_id>/remove", methods=["POST"])
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


from showroom.packing import views_signoff  # noqa: E402,F401  (sign-offs, cross-out, seal)
