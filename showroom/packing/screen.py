"""What the packing bench shows, in one place for both view modules: the device's choices
per order (current box, customer present or absent, kept in the session), the context of
a render, and the page or htmx part with a refusal's status."""
from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, session, url_for
from sqlalchemy import select

from showroom.auth.models import Staff
from showroom.errors import NotFound
from showroom.extensions import db
from showroom.orders.models import SETTLED, Order
from showroom.packing import services as packing
from showroom.packing.forms import (
    CrossOutForm,
    ManualTickForm,
    NameForm,
    PaymentForm,
    ScanForm,
    SignatureForm,
    SignForm,
    UntickForm,
)
from showroom.packing.models import MODES, SEALED, Packing, PackingBox
from showroom.packing.queries import (
    BoxView,
    PackingView,
    box_tabs,
    in_box,
    packing_view,
    totals,
)
from showroom.packing.signoff import seal_problems, void_notice
from showroom.reception.models import Visit
from showroom.settlement.models import ReturnSlip, Settlement
from showroom.web.screen import Refusal, new_token

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


def current_box_id(order_id: int, view: PackingView | ScanView) -> int | None:
    chosen = bench_state(order_id).get("box")
    ids = [b.id for b in view.boxes]
    if chosen in ids:
        return int(chosen)
    return ids[-1] if ids else None


def chosen_box(order_id: int) -> int | None:
    """The box this device fills, if it is still one of the order's boxes. Reads only the
    id (no rows enter the session), so the service's locked read of lines and boxes is
    never served from an older, unlocked one."""
    chosen = bench_state(order_id).get("box")
    if not isinstance(chosen, int):
        return None
    return db.session.scalar(select(PackingBox.id).join(Packing, Packing.id == PackingBox.packing_id)
                             .where(PackingBox.id == chosen, Packing.order_id == order_id,
                                    PackingBox.number > 0))


def settlement_of(order_id: int) -> Settlement | None:
    """How the order was paid (cash, transfer, on account): the packer checks it was paid.
    Only this order's payments; never the customer's overall balance (SPEC §12)."""
    return db.session.scalar(select(Settlement).where(Settlement.order_id == order_id))


def crossout_slips(order_id: int) -> list[ReturnSlip]:
    return list(db.session.scalars(select(ReturnSlip).where(
        ReturnSlip.order_id == order_id, ReturnSlip.kind == "cross_out").order_by(ReturnSlip.id)))


def next_step(packing: Packing | None, mode: str, complete: bool) -> str:
    """What the action bar asks for now: count (keep scanning), name (confirm the
    customer's name: customer present, any time), sign (a counter's PIN), customer (the
    customer's signature), payment (the payment check), or seal."""
    named = bool(packing and packing.name_confirmed)
    if not complete:
        return "name" if mode == "present" and not named else "count"
    signers = len(packing.signatures) if packing else 0
    if mode == "absent":
        return "sign" if signers < 2 else "seal"
    if not signers:
        return "sign"
    if not named:
        return "name"
    if packing is None or packing.customer_signature is None:
        return "customer"
    if packing.payment_checked_at is None:
        return "payment"
    return "seal"


def action_context(order: Order, packing: Packing | None, mode: str, complete: bool, *,
                   whole_page: bool = False) -> dict[str, Any]:
    """The action bar's own reads: the next step, why the sign-offs were voided, and the
    order's payments when the packer is to check them (a scan reads them only then)."""
    step = next_step(packing, mode, complete)
    paid = mode == "present" and (whole_page or step == "payment")
    return {"step": step, "void_message": void_notice(packing, mode), "packing": packing,
            "settlement": settlement_of(order.id) if paid else None}


def bench_context(order: Order, result: dict[str, Any] | None = None,
                  view: PackingView | None = None) -> dict[str, Any]:
    """What every render of the bench needs: lines, boxes, the current box, the seal's
    problems for the chosen mode and the sign-offs (a read: nothing is begun by looking).
    A caller that has already read the packing view passes it in."""
    view = view or packing_view(order)
    mode = bench_mode(order)
    box_id = current_box_id(order.id, view)
    problems = seal_problems(order, view.packing, mode) if order.status == SETTLED else []
    current = next((b for b in view.boxes if b.id == box_id), None)
    done = sum(1 for ln in view.lines if ln.to_pack and ln.packed_qty == ln.to_pack)
    return {"order": order, "view": view, "mode": mode, "box_id": box_id, "lines_done": done,
            "current_box": current, "problems": problems, "result": result,
            "signature_src": _signature_src(view.packing), "checker": _checker(view.packing),
            "slips": crossout_slips(order.id)} | action_context(
                order, view.packing, mode, view.complete, whole_page=True)


@dataclass
class ScanView:
    """What the scan's answer shows of the packing, from aggregates: box tabs, totals and
    the number of lines (templates read `view.lines|length`). Quacks like PackingView."""

    boxes: list[BoxView]
    packed: int
    to_pack: int
    lines: range
    packing: Packing | None = None

    @property
    def complete(self) -> bool:
        return self.packed == self.to_pack  # no line is ever packed beyond its own count


def scan_context(order: Order, tick: packing.Tick, result: dict[str, Any]) -> dict[str, Any]:
    """The scan's answer without reading the whole order: its cost does not grow with the
    order's lines (a box's first piece re-reads the boxes panel once)."""
    if tick.box.units == tick.qty:  # the box was empty: its panel appears in full
        ctx = bench_context(order, result)
        return ctx | {"full_boxes": True, "line": tick.line}
    boxes = ([BoxView(b.id, b.number, b.units) for b in tick.boxes] if tick.boxes is not None
             else box_tabs(tick.box.packing_id))
    sums = totals(order.id)
    packing_row = tick.packing or db.session.get(Packing, tick.box.packing_id)
    view = ScanView(boxes, sums.packed, sums.to_pack, range(sums.lines), packing_row)
    mode = bench_mode(order)
    box_id = current_box_id(order.id, view)
    qty = in_box(tick.box.id, tick.line.id)
    problems = seal_problems(order, packing_row, mode, short=sums.short,
                             empty_boxes=[b.number for b in boxes if b.units == 0])
    return {"order": order, "view": view, "mode": mode, "box_id": box_id,
            "lines_done": sums.done, "problems": problems, "result": result,
            "current_box": next((b for b in boxes if b.id == box_id), None),
            "full_boxes": False, "line": tick.line, "row_qty": qty, "new_row": qty == tick.qty,
            "row_box": BoxView(tick.box.id, tick.box.number, tick.box.units)} | action_context(
                order, packing_row, mode, sums.short == 0)


def bench_page(order_id: int, *, result: dict[str, Any] | None = None, status: int = 200,
               panel: str = "", line_id: int | None = None, **forms: Any) -> Any:
    """The whole bench, or for htmx only its live part (feedback, checklist, boxes, seal)."""
    try:
        order = packing.get_order(order_id)
    except NotFound:
        abort(404)
    view = packing_view(order)
    packing_row = view.packing
    if order.status != SETTLED or order.remit_status == "awaiting" or (
            packing_row is not None and packing_row.status == SEALED):
        if packing_row is not None and packing_row.status == SEALED:
            return redirect(url_for("packing.sealed", order_id=order_id), 303)
        return render_template("packing/not_ready.html", order=order), 409
    ctx = bench_context(order, result, view)
    if htmx() and not forms and not panel:
        return render_template("packing/_live.html", live_oob=True, **ctx), status
    crossout = forms.get("crossout_form") or CrossOutForm(formdata=None)
    if not crossout.token.data:
        new_token(crossout)
    ctx |= {"scan_form": ScanForm(formdata=None),
            "tick_form": forms.get("tick_form") or ManualTickForm(formdata=None),
            "untick_form": UntickForm(formdata=None),
            "sign_form": forms.get("sign_form") or SignForm(formdata=None),
            "signature_form": SignatureForm(formdata=None),
            "payment_form": PaymentForm(formdata=None), "name_form": NameForm(formdata=None),
            "crossout_form": crossout, "panel": panel, "panel_line": line_id}
    return render_template("packing/bench.html", **ctx), status


def _signature_src(p: Packing | None) -> str:
    if p is None or not p.customer_signature:
        return ""
    return "data:image/png;base64," + base64.b64encode(p.customer_signature).decode("ascii")


def _checker(p: Packing | None) -> Staff | None:
    return db.session.get(Staff, p.payment_checked_by_id) if p and p.payment_checked_by_id else None


def refusal(order_id: int, **kw: Any) -> Callable[[Refusal], Any]:
    """How the bench answers a refusal (the screen edge has already rolled back): the
    bench, or for htmx its live part, with the red banner and the refusal's status."""
    def answer(r: Refusal) -> Any:
        message = r.message or "; ".join(r.errors.values())
        return bench_page(order_id, result={"ok": False, "message": message}, status=r.status,
                          **kw)
    return answer


def after_change(order_id: int, result: dict[str, Any] | None = None) -> Any:
    if htmx():
        return bench_page(order_id, result=result)
    if result:
        flash(result["message"], "success" if result["ok"] else "error")
    return redirect(url_for("packing.bench", order_id=order_id), 303)
