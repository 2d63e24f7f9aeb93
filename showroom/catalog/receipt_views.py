"""Stock receipt by scanning (入库), the manager's screen.

The draft is carried by the form (code / qty pairs), so each scan is a round trip that
writes nothing: +1 of the scanned product (or the typed quantity), quantities editable,
lines removable. "Finish" makes one numbered receipt through `receive_stock`, exactly
once (the form's one-time token), then the receipt's page lists at once the customers
waiting for those products, each with a button that records who notified them and when.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from showroom.auth.access import roles_required
from showroom.auth.forms import EmptyForm
from showroom.catalog.forms import ReceiptForm
from showroom.catalog.models import StockReceipt
from showroom.catalog.receiving import (
    DraftLine,
    DraftRefused,
    add_scan,
    notified_in,
    read_draft,
    receipt_lines,
    waiting_wishes,
    wish_of_receipt,
)
from showroom.catalog.services import receive_stock
from showroom.errors import DomainError
from showroom.extensions import db
from showroom.picking.services import mark_notified
from showroom.web.screen import OneTime, Refusal, end_read, new_token, perform


def _pairs() -> list[tuple[str, str]]:
    drop = request.form.get("remove") or None
    return [(c, q) for c, q in zip(request.form.getlist("code"), request.form.getlist("qty"),
                                   strict=False) if c != drop]


def _draft_page(form: ReceiptForm, lines: list[DraftLine], errors: dict[str, str] | None = None,
                status: int = 200) -> ResponseReturnValue:
    new_token(form)
    form.scan.data = ""
    form.scan_qty.data = ""
    return render_template("catalog/receipt_draft.html", form=form, lines=lines,
                           errors=errors or {}, total=sum(ln.qty for ln in lines)), status


@roles_required("manager")
def new_receipt() -> ResponseReturnValue:
    """GET: an empty draft. POST: a scan (or an edit of the quantities, or a removed line)
    and the draft again; nothing is written."""
    form = ReceiptForm()
    if request.method == "GET":
        return _draft_page(form, [])
    valid = form.validate()
    try:
        lines = read_draft(_pairs())
        if not valid:
            if getattr(getattr(form, "csrf_token", None), "errors", None):
                flash(_("The form expired; please try again."), "error")
                return _draft_page(form, lines, status=400)
            errors = {k: "; ".join(map(str, v)) for k, v in form.errors.items()}
            return _draft_page(form, lines, errors, 422)
        scan = (form.scan.data or "").strip()
        if scan:
            lines = add_scan(lines, scan, form.scan_qty.data)
    except DraftRefused as exc:
        flash(exc.message, "error")
        return _draft_page(form, exc.lines, exc.errors, exc.status)
    finally:
        end_read()  # a scan only reads
    return _draft_page(form, lines)


@roles_required("manager")
def finish_receipt() -> ResponseReturnValue:
    form = ReceiptForm()
    pairs = _pairs()
    shown: list[DraftLine] = []

    def receive() -> StockReceipt:
        nonlocal shown
        shown = read_draft(pairs)
        return receive_stock([(ln.code, ln.qty) for ln in shown], staff_id=current_user.id)

    def refused(refusal: Refusal) -> ResponseReturnValue:
        error = refusal.error
        lines = error.lines if isinstance(error, DraftRefused) else shown
        return _draft_page(form, lines, refusal.errors, refusal.status)

    def done(body: dict[str, int]) -> ResponseReturnValue:
        return redirect(url_for("catalog.receipt", receipt_id=body["id"]), 303)

    return perform(receive, form=form, done=done, refused=refused,
                   once=OneTime("stock-receipt", sorted(pairs),
                                keep=lambda r: {"id": r.id}),
                   messages={"form-expired": _("The form expired; please try again."),
                             "validation": _messages})


def _messages(exc: DomainError) -> str:
    if "lines" in exc.errors and not isinstance(exc, DraftRefused):
        return _("Scan at least one product before finishing.")
    return exc.message


@roles_required("manager")
def receipt(receipt_id: int) -> ResponseReturnValue:
    item = db.get_or_404(StockReceipt, receipt_id)
    return render_template("catalog/receipt.html", receipt=item, lines=receipt_lines(item),
                           waiting=waiting_wishes(item), notified=notified_in(item),
                           button=EmptyForm())


@roles_required("manager")
def notify_wish(receipt_id: int, wish_id: int) -> ResponseReturnValue:
    item = db.get_or_404(StockReceipt, receipt_id)
    back = redirect(url_for("catalog.receipt", receipt_id=receipt_id) + "#waiting", 303)

    def notify() -> str:
        wish = mark_notified(wish_of_receipt(item, wish_id).id, current_user.id)
        return wish.customer.name

    def done(name: str) -> ResponseReturnValue:
        flash(_("%(name)s marked as notified.", name=name), "success")
        return back

    return perform(notify, form=EmptyForm(), done=done, refused=lambda _r: back)
