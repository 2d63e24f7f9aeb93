"""The clerk's tablet (跟单): my customers, and the order screen driven by a barcode scanner.

Scans and line changes answer htmx with the live part of the order (lines + totals)
and without JS with a redirect; every change goes through showroom.orders.services.
Line edits and submit carry the order version, so a stale tablet gets a 409 and the
current order instead of overwriting a colleague's change.
"""
from __future__ import annotations

from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.catalog.services import find_product
from showroom.errors import (
    DomainError,
    InsufficientStock,
    InvalidTransition,
    NotFound,
    StaleVersion,
)
from showroom.extensions import db
from showroom.labels import label
from showroom.orders import services as orders
from showroom.orders.models import Order
from showroom.picking import services as picking
from showroom.picking.forms import IssueForm, QtyForm, RemarkForm, ScanForm, VersionForm, WishForm
from showroom.reception.models import Visit
from showroom.validation import small_int

ROLE = "clerk"  # the manager passes every role check


def _htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _version(raw: object) -> int | None:
    return small_int(raw) if isinstance(raw, str) else None


def _problem(exc: DomainError) -> str:
    """A message the clerk can act on, in the floor's language."""
    if isinstance(exc, StaleVersion):
        return _("Someone else changed this order — reloaded. Check it and try again.")
    if isinstance(exc, InvalidTransition):
        return _("This order can no longer be changed here.")
    if isinstance(exc, NotFound):
        return _("Not found.")
    if exc.errors:
        return "; ".join(f"{label(k, 'field')}: {v}" for k, v in exc.errors.items())
    return exc.message


# --- my customers -------------------------------------------------------------------

def _customers_context() -> dict[str, Any]:
    visits = picking.my_visits(current_user.id)
    open_orders = picking.editable_orders(clerk_id=current_user.id,
                                          visit_ids=[v.id for v in visits])
    by_visit = {o.visit_id: o for o in reversed(open_orders) if o.visit_id is not None}
    listed = {o.id for o in by_visit.values()}
    others = [o for o in open_orders if o.id not in listed]
    return {"visits": visits, "by_visit": by_visit, "others": others, "form": VersionForm()}


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
    visit = db.get_or_404(Visit, visit_id)
    if visit.clerk_id != current_user.id and not current_user.has_role("manager"):
        abort(403)
    existing = picking.editable_orders(visit_ids=[visit.id])
    if existing:
        return redirect(url_for("picking.order", order_id=existing[0].id))
    try:
        created = orders.create_order(visit.customer_id, visit_id=visit.id,
                                      clerk_id=current_user.id)
    except DomainError as exc:
        db.session.rollback()
        flash(_problem(exc), "error")
        return redirect(url_for("picking.my_customers"))
    order_id = created.id
    db.session.commit()
    return redirect(url_for("picking.order", order_id=order_id))


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


def _refused(order_id: int, exc: DomainError, **extra: Any) -> Any:
    db.session.rollback()
    result = {"ok": False, "message": _problem(exc)} | extra
    return _order_page(order_id, result=result, status=exc.status)


@roles_required(ROLE)
def order(order_id: int) -> Any:
    return _order_page(order_id)


@roles_required(ROLE)
def scan(order_id: int) -> Any:
    form = ScanForm()
    code = (form.code.data or "").strip()
    if not form.validate():
        return _refused(order_id, DomainError(_("Scan or type a product code.")))
    try:
        _order, line = orders.add_line(order_id, barcode=code, qty=form.qty.data or 1)
    except NotFound as exc:
        return _refused(order_id, exc, message=_("Unknown code %(code)s.", code=code),
                        wish_text=code)
    except InsufficientStock as exc:
        db.session.rollback()
        product = find_product(barcode=code)
        message = _("Out of stock: %(code)s %(name)s.", code=product.code, name=product.name) \
            if product.on_hand <= 0 else _("Only %(n)d of %(code)s %(name)s in stock.",
                                           n=product.on_hand, code=product.code, name=product.name)
        return _refused(order_id, exc, wish_code=product.code, message=message)
    except DomainError as exc:
        return _refused(order_id, exc)
    product = line.product
    new_line = line.qty == (form.qty.data or 1)
    result = {"ok": True, "qty": line.qty, "code": product.code, "name": product.name,
              "care_note": product.care_note.strip(),
              "message": _("Added %(code)s %(name)s — now %(qty)d.", code=product.code,
                           name=product.name, qty=line.qty)}
    if _htmx():  # answer from this transaction, then commit: no second one just to read
        order = picking.order_for_screen(order_id)
        if order.status == "open" and order.line_count > 1:
            response = _scan_partial(order, line, result, new_line=new_line)
            db.session.commit()
            return response
    db.session.commit()
    return _after_change(order_id, result)


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
    if not form.validate():
        return _refused(order_id, DomainError(_("Quantity must be a whole number, at least 1.")))
    try:
        orders.set_line_qty(order_id, line_id, form.qty.data, version=_version(form.version.data),
                            staff_id=current_user.id)
    except DomainError as exc:
        return _refused(order_id, exc)
    db.session.commit()
    return _after_change(order_id)


@roles_required(ROLE)
def remove_line(order_id: int, line_id: int) -> Any:
    form = VersionForm()
    form.validate()
    try:
        orders.remove_line(order_id, line_id, version=_version(form.version.data),
                           staff_id=current_user.id)
    except DomainError as exc:
        return _refused(order_id, exc)
    db.session.commit()
    return _after_change(order_id, {"ok": True, "message": _(
        "Line removed; a restock task was created.")})


@roles_required(ROLE)
def submit(order_id: int) -> Any:
    form = VersionForm()
    form.validate()
    try:
        done = orders.submit(order_id, version=_version(form.version.data))
    except DomainError as exc:
        return _refused(order_id, exc)
    number = done.number
    db.session.commit()
    flash(_("Order %(number)s is in the cashier queue.", number=number), "success")
    target = url_for("picking.my_customers")
    if _htmx():
        return "", 204, {"HX-Redirect": target}
    return redirect(target)


# --- wishes, issues, remarks from the order screen ----------------------------------

def _record(order_id: int, panel: str, form: Any, action: Any, done: str) -> Any:
    current = db.get_or_404(Order, order_id)
    if form.validate():
        try:
            action(current)
        except DomainError as exc:
            db.session.rollback()
            for field, msg in exc.errors.items():
                if field in form:
                    form[field].errors = [*form[field].errors, msg]
            if not any(form[f].errors for f in exc.errors if f in form):
                flash(_problem(exc), "error")
        else:
            db.session.commit()
            flash(done, "success")
            return redirect(url_for("picking.order", order_id=order_id))
    return _order_page(order_id, status=422, open_panel=panel, **{f"{panel}_form": form})


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
