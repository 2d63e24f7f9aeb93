"""Reception screens (role reception; a manager passes): the visit board that refreshes
itself, starting a visit for a found or newly registered customer, per-visit actions
(greet, water, purpose, locker, clerk, leave) and the inquiry log with callbacks due.

Views parse and authorise, and hand the service call to the screen edge
(showroom.web.screen.perform), which commits once; a domain error is flashed by its
code and answered with its 4xx status, and nothing is written.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.auth.forms import EmptyForm
from showroom.auth.services import on_duty_clerks
from showroom.clock import now_utc
from showroom.customers.models import Customer
from showroom.customers.services import (
    may_see_phone,
    register_customer,
    same_phone,
    search_customers,
)
from showroom.db import deferred_reads
from showroom.errors import DomainError
from showroom.extensions import db
from showroom.forms import Form
from showroom.reception import services as svc
from showroom.reception.forms import (
    AssignForm,
    LeaveForm,
    QuickRegisterForm,
    SearchForm,
    StartVisitForm,
    VisitDetailsForm,
)
from showroom.reception.models import Visit
from showroom.validation import MAX_ID, small_int
from showroom.web.screen import Message, Refusal, mark_fields, perform

Page = Response | str | tuple[str, int]
reception_only = roles_required("reception")


def mmss(seconds: int) -> str:
    """Waiting time as m:ss (h:mm:ss past an hour)."""
    seconds = max(0, int(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _conflict(exc: DomainError) -> str:
    if "locker_no" in exc.errors:
        return _("That locker is still held by another customer: choose another locker.")
    if "customer_id" in exc.errors:
        return _("This customer is already in the showroom: continue the open visit.")
    return exc.message


def _validation(exc: DomainError) -> str:
    if "clerk_staff_no" in exc.errors:
        return _("This clerk cannot be assigned: %(why)s", why=exc.errors["clerk_staff_no"])
    return _("Please correct the marked fields.")


#: What reception's screens say for each refusal code (see showroom.web.screen).
MESSAGES: dict[str, Any] = {
    "locker-key": _l("The locker key is not back: take the key before the customer leaves."),
    "invalid-transition": _l("This visit has already ended."),
    "conflict": _conflict,
    "validation": _validation,
    "invalid-form": _l("Please correct the marked fields."),
}


def mark(form: Form, r: Refusal) -> None:
    """A service's field problems onto the form (the form's own are on it already)."""
    if r.error is not None:
        mark_fields(form, r.errors)


def messages(**more: Any) -> Mapping[str, Message]:
    """Reception's messages, with a screen's own wording for some codes."""
    return MESSAGES | more


# --- the board ---------------------------------------------------------------------------

def _board_context() -> dict[str, Any]:
    rows = svc.todays_board()
    due = svc.due_callbacks()
    return {"rows": rows,
            "waiting": sum(1 for r in rows if r.still_waiting),
            "late": sum(1 for r in rows if r.late and r.still_waiting),
            "inside": sum(1 for r in rows if r.visit.status != "left"),
            "due": len(due), "overdue": sum(1 for c in due if c.overdue)}


@reception_only
def board() -> Page:
    with deferred_reads():
        return render_template("reception/board.html", **_board_context())


@reception_only
def board_rows() -> Page:
    """The part htmx reloads every 10 s."""
    with deferred_reads():
        return render_template("reception/_board.html", **_board_context())


# --- starting a visit ----------------------------------------------------------------

def _new_visit_page(search: SearchForm, start: StartVisitForm, register: QuickRegisterForm,
                    status: int = 200, same_phone: list[Customer] | None = None) -> Page:
    q = (search.q.data or "").strip()
    results = search_customers(q, by_phone=may_see_phone(current_user)) if q else []
    wanted = start.customer_id.data
    chosen = db.session.get(Customer, wanted) if wanted and 0 < wanted <= MAX_ID else None
    return render_template("reception/new_visit.html", search=search, start=start,
                           register=register, results=results, chosen=chosen, q=q,
                           same_phone=same_phone or []), status


@reception_only
def new_visit() -> Page:
    search = SearchForm(request.args)
    start = StartVisitForm(formdata=None)
    customer_id = small_int(request.args.get("customer_id"))
    if customer_id is not None:
        start.customer_id.data = customer_id
    return _new_visit_page(search, start, QuickRegisterForm(formdata=None))


def _begin(customer_id: int, form: StartVisitForm | QuickRegisterForm) -> Visit:
    visit = svc.start_visit(customer_id, locker_no=form.locker_no.data or "",
                            purpose=form.purpose.data or "", staff_id=current_user.id)
    if form.greeted.data or form.water_offered.data:
        svc.greet(visit.id, staff_id=current_user.id, water_offered=bool(form.water_offered.data))
    return visit


def _started(visit: Visit) -> Response:
    flash(_("Visit started for %(name)s.", name=visit.customer.name), "success")
    if visit.locker_no:
        flash(_("Locker %(no)s: the ticket is printing. Remind the customer to keep the key.",
                no=visit.locker_no), "success")
    return redirect(url_for("reception.visit", visit_id=visit.id))


@reception_only
def start_visit() -> Page:
    form = StartVisitForm()
    register, search = QuickRegisterForm(formdata=None), SearchForm(formdata=None)

    def refused(r: Refusal) -> Page:
        mark(form, r)
        return _new_visit_page(search, form, register, r.status)

    return perform(lambda: _begin(int(form.customer_id.data or 0), form), form=form,
                   done=_started, refused=refused, messages=MESSAGES)


@reception_only
def register_and_start() -> Page:
    """A new customer: registered in seconds (address can wait), visit started at once.
    A phone already on file is refused by the service unless "register anyway" is ticked."""
    form = QuickRegisterForm()
    start, search = StartVisitForm(formdata=None), SearchForm(formdata=None)

    def call() -> Visit:
        customer = register_customer(name=form.name.data or "",
                                     phone=(form.phone.data or "").strip(),
                                     kind=form.kind.data or "",
                                     register_anyway=bool(form.register_anyway.data))
        return _begin(customer.id, form)

    def refused(r: Refusal) -> Page:
        if r.code == "duplicate-phone":
            return _new_visit_page(search, start, form, r.status,
                                   same_phone=same_phone(form.phone.data or ""))
        mark(form, r)
        return _new_visit_page(search, start, form, r.status)

    return perform(call, form=form, done=_started, refused=refused, messages=messages(
        **{"duplicate-phone": _l("A customer with this phone number is already registered: "
                                 "choose them, or tick “register anyway”.")}))


# --- one visit ---------------------------------------------------------------------------

def _visit_page(visit_id: int, *, details: VisitDetailsForm | None = None,
                leave: LeaveForm | None = None, status: int = 200) -> Page:
    visit = db.get_or_404(Visit, visit_id)
    if details is None:
        details = VisitDetailsForm(formdata=None, obj=visit)
    waited = int(((visit.greeted_at or now_utc()) - visit.arrived_at).total_seconds())
    return render_template("reception/visit.html", visit=visit, details=details,
                           leave=leave or LeaveForm(formdata=None), assign=AssignForm(),
                           greet_form=EmptyForm(), clerks=on_duty_clerks(),
                           load=svc.clerk_load(), waited=waited), status


@reception_only
def visit(visit_id: int) -> Page:
    with deferred_reads():
        return _visit_page(visit_id)


@reception_only
def greet(visit_id: int) -> Page:
    back = (url_for("reception.visit", visit_id=visit_id) if request.form.get("back") == "visit"
            else url_for("reception.board"))
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)

    def done(v: Visit) -> Response:
        flash(_("%(name)s greeted.", name=v.customer.name), "success")
        return redirect(back)

    return perform(lambda: svc.greet(visit_id, staff_id=current_user.id), done=done,
                   refused=lambda _r: redirect(back), messages=MESSAGES)


@reception_only
def details(visit_id: int) -> Page:
    form = VisitDetailsForm()

    def done(_v: Visit) -> Response:
        flash(_("Visit details saved."), "success")
        return redirect(url_for("reception.visit", visit_id=visit_id))

    def refused(r: Refusal) -> Page:
        mark(form, r)
        return _visit_page(visit_id, details=form, status=r.status)

    return perform(lambda: svc.greet(
        visit_id, staff_id=current_user.id, water_offered=bool(form.water_offered.data),
        purpose=form.purpose.data or "", locker_no=form.locker_no.data or ""),
        form=form, done=done, refused=refused, messages=MESSAGES)


@reception_only
def assign(visit_id: int) -> Page:
    form = AssignForm()

    def done(v: Visit) -> Response:
        assert v.clerk is not None
        flash(_("%(clerk)s now looks after %(name)s: introduce %(clerk)s to the customer.",
                clerk=v.clerk.name, name=v.customer.name), "success")
        return redirect(url_for("reception.board"))

    return perform(lambda: svc.assign_clerk(visit_id, form.clerk_staff_no.data or "",
                                            staff_id=current_user.id),
                   form=form, done=done, refused=lambda r: _visit_page(visit_id, status=r.status),
                   messages=messages(**{"invalid-form": _l("Choose a clerk.")}))


@reception_only
def leave(visit_id: int) -> Page:
    form = LeaveForm()
    if not form.validate_on_submit():
        abort(400)

    def done(v: Visit) -> Response:
        flash(_("%(name)s has left. Thank them and see them off.", name=v.customer.name),
              "success")
        return redirect(url_for("reception.board"))

    def refused(r: Refusal) -> Page:
        mark(form, r)
        return _visit_page(visit_id, leave=form, status=r.status)

    return perform(lambda: svc.leave(visit_id,
                                     locker_key_returned=bool(form.locker_key_returned.data)),
                   done=done, refused=refused, messages=MESSAGES)
