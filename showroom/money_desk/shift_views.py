"""The cashier's shift close screens (交班对账), a blind count in three steps:

1. count: the cashier types what each method holds, without seeing what it should hold
   (Odoo and most POS hide the expected cash until the count is in);
2. check: the expected figures and the differences appear beside the count (nothing is
   written); a cash difference asks for a manager's staff number and PIN;
3. close: once, by the form's one-time token; a wrong manager PIN is kept for the lockout.
"""
from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import Forbidden
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.errors import DomainError
from showroom.extensions import db
from showroom.money_desk.models import ShiftClose
from showroom.money_desk.shift_forms import ShiftCountForm
from showroom.money_desk.shifts import METHODS, close_shift, figures, open_shift, parse_counted
from showroom.printjobs.models import PrintJob
from showroom.stations import device_station
from showroom.validation import small_int
from showroom.web.screen import OneTime, PinTry, Refusal, mark_fields, new_token, perform

Page = Response | str | tuple[str, int]
_EXPIRED = _l("The form expired; please count again.")


def _count_page(form: ShiftCountForm, status: int = 200) -> Page:
    shift = open_shift(current_user.id)
    form.seq.data = str(shift.seq)
    return render_template("shifts/count.html", form=form, shift=shift, methods=METHODS), status


@roles_required("cashier")
def count() -> Page:
    form = ShiftCountForm(formdata=None)
    return _count_page(form)


def _check_page(form: ShiftCountForm, status: int = 200) -> Page:
    """The count beside what each method should hold; refused counts go back to step 1."""
    shift = open_shift(current_user.id)
    try:
        counted = parse_counted(form.counted())
    except DomainError as exc:
        mark_fields(form, {k.removeprefix("counted."): v for k, v in exc.errors.items()})
        return _count_page(form, 422)
    rows = []
    for m in METHODS:
        c = counted.get(m)
        rows.append({"method": m, "expected": shift.expected[m], "counted": c,
                     "difference": None if c is None else c - shift.expected[m]})
    if form.seq.data != str(shift.seq):  # closed meanwhile (another tablet): count again
        status = 409
    if not form.token.data:
        new_token(form)
    form.manager_pin.data = ""
    return render_template("shifts/check.html", form=form, shift=shift, rows=rows,
                           cash_difference=counted.cash - shift.expected["cash"]), status


@roles_required("cashier")
def check() -> Page:
    form = ShiftCountForm()
    if not form.validate():
        return _count_page(form, 422)
    return _check_page(form)


@roles_required("cashier")
def close() -> Page:
    form = ShiftCountForm()
    manager_no = (form.manager_staff_no.data or "").strip()
    seq = small_int(form.seq.data or "")

    def refused(r: Refusal) -> Page:
        if r.code in ("idempotency-key-reused",):
            form.token.data = ""
        if r.code == "shift-already-closed":
            form.token.data = ""
            return _count_page(ShiftCountForm(formdata=None), r.status)
        mark_fields(form, {k.removeprefix("counted."): v for k, v in r.errors.items()})
        page = _check_page(form) if r.code != "invalid-form" else _count_page(form)
        return (page[0], r.status) if isinstance(page, tuple) else page

    return perform(
        lambda: close_shift(current_user.id, parse_counted(form.counted()),
                            manager_staff_no=manager_no, manager_pin=form.manager_pin.data or "",
                            note=form.note.data or "", station=device_station(), seq=seq),
        form=form, once=OneTime("shift-close", {"counted": form.counted(), "seq": seq},
                                keep=lambda c: {"id": c.id}),
        pin=PinTry(manager_no, "shift-close"),
        done=lambda body: redirect(url_for("shifts.closed", close_id=body["id"]), 303),
        refused=refused, messages={
            "form-expired": _EXPIRED,
            "rule": _l("The cash differs from what the drawer should hold: a manager "
                               "must approve with their staff number and PIN."),
            "sign-in-failed": _l("Wrong manager staff number or PIN — the shift is not closed."),
            "forbidden": lambda exc: exc.message,
            "shift-already-closed": _l("This shift was already closed; count the open shift."),
            "validation": _l("Please correct the counts: amounts like 1234.50, at most two "
                             "decimals, not negative; the cash count is needed."),
        })


@roles_required("cashier")
def closed(close_id: int) -> Page:
    c = db.get_or_404(ShiftClose, close_id)
    if c.cashier_id != current_user.id and "manager" not in current_user.role_set:
        raise Forbidden()
    f = figures(c)
    rows = [{"method": m, "expected": f["expected"][m], "counted": f["counted"][m],
             "difference": f["difference"][m]} for m in METHODS]
    jobs = list(db.session.scalars(select(PrintJob).where(PrintJob.ref == c.number)
                                   .order_by(PrintJob.id)))
    return render_template("shifts/closed.html", c=c, rows=rows, jobs=jobs)
