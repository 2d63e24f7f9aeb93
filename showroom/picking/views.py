"""The clerk's tablet (跟单): my customers, and the order screen driven by a barcode scanner.

Scans and line changes answer htmx with the live part of the order (lines + totals)
and without JS with a redirect; every change goes through showroom.orders.services.
Line edits and submit carry the order version, so a stale tablet gets a 409 and the
current order instead of overwriting a colleague's change. Every action goes through the
screen edge (showroom.web.screen.perform): one commit, refusals worded by error code and
shown in the scan feedback, never a commit or rollback here.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.catalog.services import find_product, search_products
from showroom.errors import DomainError, NotFound
from showroom.extensions import db
from showroom.labels import label
from showroom.orders import services as orders
from showroom.orders.models import Order
from showroom.picking import services as picking
from showroom.picking.forms import IssueForm, QtyForm, RemarkForm, ScanForm, VersionForm, WishForm
from showroom.reception.models import Visit
from showroom.validation import small_int
from showroom.web.screen import Refusal, mark_fields, perform

ROLE = "clerk"  # the manager passes every role check
PICK_LIST = 8  # matches offered when typed text is no exact code


def _htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _version(raw: object) -> int | None:
    return small_int(raw) if isinstance(raw, str) else None


def _fields(exc: DomainError) -> str:
    """A service's field problems, each after its field's name, in the floor's language."""
    if exc.errors:
        return "; ".join(f"{label(k, 'field')}: {v}" for k, v in exc.errors.items())
    return exc.message


#: What the clerk is told for each refusal code (showroom.web.screen.perform).
MESSAGES: dict[str, Any] = {
    "stale-version": _l("Someone else changed this order — reloaded. Check it and try again."),
    "invalid-transition": _l("This order can no longer be changed here."),
    "not-found": _l("Not found."),
    "validation": _fields,
    "conflict": _fields,
    "forbidden": _fields,
}


# --- my customers -------------------------------------------------------------------

def _customers_context() -> dict[str, Any]:
    visits = picking.my_visits(current_user.id)
    open_orders = picking.editable_orders(clerk_id=current_user.id,
                                          visit_ids=[v.id for v in visits])
    by_visit = {o.visit_id: o for o in reversed(open_orders) if o.visit_id is not None}
    listed = {o.id for o in by_visit.values()}
    others = [o for o in open_orders if o.id not in listed and o.channel == "showroom"]
    from showroom.remote.services import my_remote_orders  # remote orders (issue 14)

    return {"visits": visits, "by_visit": by_visit, "others": others, "form": VersionForm(),
            "remote_orders": my_remote_orders(current_user.id)}


@roles_required(ROLE)
def my_customers() -> str:
    return render_template("picking/customers.html", **_customers_context())


@roles_required(ROLE)
def my_customers_live() -> str:
    """Polled every few seconds, so a newly assigned visit shows at once (a poll is not
    activity: the idle sign-out ignores htmx GETs, see showroom/auth/session.py)."""
    return render_template("picking/_customers.html", **_customers_context())


@roles_required(ROLE)
def start_order(visit_id: int) -> Response:
    """Open the order of this visit, or continue the one already open (the rule lives in
    picking.services.start_order, shared with POST /api/v1/orders)."""
    db.get_or_404(Visit, visit_id)

    def refused(r: Refusal) -> Response:
        if r.code == "forbidden":
            abort(403)
        flash(r.message, "error")
        return redirect(url_for("picking.my_customers"))

    return perform(lambda: picking.start_order(None, visit_id=visit_id, staff=current_user),
                   done=lambda made: redirect(url_for("picking.order", order_id=made[0].id)),
                   refused=refused, say=False, messages=MESSAGES)


# --- the order screen ---------------------------------------------------------------

def _live_context(order_id: int, result: dict[str, Any] | None = None) -> dict[str, Any]:
    order = picking.order_for_screen(order_id)
    return {"order": order, "lines": orders.order_lines(order_id), "result": result,
            "pieces": orders.pieces(order_id), "vform": VersionForm()}


def _order_page(order_id: int, *, result: dict[str, Any] | None = None, status: int = 200,
                open_panel: str = "", **forms: Any) -> tuple[str, int]:
    """The whole screen (or, for htmx, the live part), rendered with a constant query count."""
    try:
        ctx = _live_context(order_id, result)
    except NotFound:
        abort(404)
    if _htmx() and not forms:
        return render_template("picking/_order_live.html", **ctx), status
    wish = forms.get("wish_form") or WishForm(formdata=None)
    if not forms.get("wish_form") and request.args.get("wish_code"):
        wish.product_code.data = request.args["wish_code"][:64]
        open_panel = "wish"
    if not forms.get("wish_form") and request.args.get("wish_text"):
        wish.description.data = request.args["wish_text"][:200]
        open_panel = "wish"
    ctx |= {"scan_form": ScanForm(formdata=None), "wish_form": wish,
            "issue_form": forms.get("issue_form") or IssueForm(formdata=None),
            "remark_form": forms.get("remark_form") or RemarkForm(formdata=None),
            "wishes": picking.order_wishes(order_id), "open_panel": open_panel}
    return render_template("picking/order.html", **ctx), status


def _after_change(order_id: int, result: dict[str, Any] | None = None) -> Any:
    if _htmx():
        return _order_page(order_id, result=result)
    if result:
        flash(result["message"], "success" if result["ok"] else "error")
    return redirect(url_for("picking.order", order_id=order_id))


def _refusal(order_id: int, *, shape: int | None = None,
             **extra: Any) -> Callable[[Refusal], Any]:
    """Answer a refusal with the current order and why, in the scan feedback (htmx or not);
    `shape` is the status for a form that is malformed (a garbled scan: 400)."""
    def refused(r: Refusal) -> Any:
        status = shape if shape is not None and r.code in ("invalid-form", "form-expired") \
            else r.status
        return _order_page(order_id, result={"ok": False, "message": r.message} | extra,
                           status=status)
    return refused


@roles_required(ROLE)
def order(order_id: int) -> Any:
    return _order_page(order_id)


@roles_required(ROLE)
def scan(order_id: int) -> Any:
    """A scan or a typed code + Enter. Text that is no exact barcode or code (part of a
    name, part of a code, a lower-case code: an unlabelled piece, Std ch.3 §6) gets a pick
    list of matching products; tapping one scans its code."""
    form = ScanForm()
    code = (form.code.data or "").strip()
    qty = form.qty.data or 1

    def done(added: tuple[Order, Any]) -> Any:
        _order, line = added
        product = line.product
        result = {"ok": True, "qty": line.qty, "code": product.code, "name": product.name,
                  "care_note": product.care_note.strip(),
                  "product": product, "price": line.unit_price,  # the facts panel
                  "message": _("Added %(code)s %(name)s — now %(qty)d.", code=product.code,
                               name=product.name, qty=line.qty)}
        if _htmx():  # answered from this transaction; the edge commits after
            current = picking.order_for_screen(order_id)
            if current.status == "open" and current.line_count > 1:
                return _scan_partial(current, line, result, new_line=line.qty == qty)
        return _after_change(order_id, result)

    def refused(r: Refusal) -> Any:
        if r.code == "not-found":
            return _not_a_code(order_id, code)
        if r.code == "insufficient-stock":
            product = find_product(barcode=code)
            message = _("Out of stock: %(code)s %(name)s.", code=product.code,
                        name=product.name) if product.on_hand <= 0 else _(
                "Only %(n)d of %(code)s %(name)s in stock.", n=product.on_hand,
                code=product.code, name=product.name)
            return _order_page(order_id, result={"ok": False, "message": message,
                                                 "wish_code": product.code}, status=r.status)
        return _refusal(order_id, shape=400)(r)

    return perform(lambda: orders.add_line(order_id, barcode=code, qty=qty), form=form,
                   done=done, refused=refused, say=False, not_found=False,
                   messages=MESSAGES | {"invalid-form": _l("Scan or type a product code.")})


def _not_a_code(order_id: int, text: str) -> Any:
    """No product has this exact barcode or code: offer the products it matches."""
    matches = search_products(text, limit=PICK_LIST) if text else []
    if matches:
        result = {"ok": False, "pick": matches, "text": text,
                  "message": _("No product has the code “%(text)s”. Tap the piece you mean:",
                               text=text)}
    else:
        result = {"ok": False, "wish_text": text,
                  "message": _("Unknown code %(code)s.", code=text)}
    return _order_page(order_id, result=result, status=404)


def _scan_partial(order: Any, line: Any, result: dict[str, Any], *, new_line: bool) -> Any:
    """Feedback in place plus the changed line and the totals out of band (htmx)."""
    response = make_response(render_template(
        "picking/_scan_partial.html", order=order, line=line, result=result,
        new_line=new_line, pieces=orders.pieces(order.id)))
    response.headers["HX-Retarget"] = "#scan-feedback"
    response.headers["HX-Reswap"] = "innerHTML"
    return response


@roles_required(ROLE)
def line_qty(order_id: int, line_id: int) -> Any:
    form = QtyForm()
    return perform(lambda: orders.set_line_qty(
        order_id, line_id, form.qty.data, version=_version(form.version.data),
        staff_id=current_user.id), form=form, say=False, not_found=False,
        done=lambda _changed: _after_change(order_id), refused=_refusal(order_id, shape=400),
        messages=MESSAGES | {"invalid-form": _l("Quantity must be a whole number, at least 1.")})


@roles_required(ROLE)
def remove_line(order_id: int, line_id: int) -> Any:
    """Reached by a second tap: 删除 opens 确认删除 in the row (templates/picking)."""
    form = VersionForm()
    return perform(lambda: orders.remove_line(order_id, line_id,
                                              version=_version(form.version.data),
                                              staff_id=current_user.id),
                   form=form, say=False, not_found=False, messages=MESSAGES,
                   done=lambda _order: _after_change(order_id, {"ok": True, "message": _(
                       "Line removed; a restock task was created.")}),
                   refused=_refusal(order_id))


@roles_required(ROLE)
def submit(order_id: int) -> Any:
    form = VersionForm()

    def done(sent: Order) -> Any:
        flash(_("Order %(number)s is in the cashier queue.", number=sent.number), "success")
        target = url_for("picking.my_customers")
        if _htmx():
            return "", 204, {"HX-Redirect": target}
        return redirect(target)

    return perform(lambda: orders.submit(order_id, version=_version(form.version.data)),
                   form=form, done=done, refused=_refusal(order_id), say=False,
                   not_found=False, messages=MESSAGES)


# --- wishes, issues, remarks from the order screen ----------------------------------

def _record(order_id: int, panel: str, form: Any, action: Any, done: str) -> Any:
    current = db.get_or_404(Order, order_id)

    def recorded(_made: Any) -> Response:
        flash(done, "success")
        return redirect(url_for("picking.order", order_id=order_id))

    def refused(r: Refusal) -> Any:
        marked = r.error is not None and mark_fields(form, r.errors)
        if r.code not in ("invalid-form", "form-expired") and not marked:
            flash(r.message, "error")
        return _order_page(order_id, status=422, open_panel=panel, **{f"{panel}_form": form})

    return perform(lambda: action(current), form=form, done=recorded, refused=refused,
                   say=False, messages=MESSAGES)


@roles_required(ROLE)
def wish(order_id: int) -> Any:
    form = WishForm()
    return _record(order_id, "wish", form, lambda o: picking.record_wish(
        o.customer_id, product_code=form.product_code.data or None,
        description=form.description.data or None, qty=form.qty.data,
        staff_id=current_user.id, order_id=o.id), _("Wish recorded."))


@roles_required(ROLE)
def issue(order_id: int) -> Any:
    form = IssueForm()
    return _record(order_id, "issue", form, lambda o: picking.report_issue(
        form.product_code.data or "", form.kind.data or "", form.note.data or "",
        current_user.id), _("Product issue sent to the area owner."))


@roles_required(ROLE)
def remark(order_id: int) -> Any:
    form = RemarkForm()
    return _record(order_id, "remark", form, lambda o: picking.add_remark(
        o.customer_id, form.kind.data or "", form.text.data or "", current_user.id,
        order_id=o.id), _("Remark saved."))
