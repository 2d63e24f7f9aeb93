"""Reception screens (role reception; a manager passes): the visit board that refreshes
itself, starting a visit for a found or newly registered customer, per-visit actions
(greet, water, purpose, locker, clerk, leave) and the inquiry log with callbacks due.

Views parse and authorise, call the services and commit once; a domain error is
flashed and answered with its 4xx status, and nothing is written.
"""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.auth.forms import EmptyForm
from showroom.auth.services import on_duty_clerks
from showroom.clock import now_utc
from showroom.customers.models import Customer
from showroom.customers.services import (
    may_see_phone,
    register_customer,
    search_customers,
    whole_phone,
)
from showroom.db import deferred_reads
from showroom.errors import (
    Conflict,
    DomainError,
    InvalidTransition,
    LockerKeyNotReturned,
    NotFound,
    ValidationFailed,
)
from showroom.extensions import db
from showroom.forms import Form
from showroom.reception import bp
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

Page = Response | str | tuple[str, int]
reception_only = roles_required("reception")



@bp.app_template_filter("mmss")
def mmss(seconds: int) -> str:
    """Waiting time as m:ss (h:mm:ss past an hour)."""
    seconds = max(0, int(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def fail(exc: DomainError, form: Form | None = None, *, ended: str = "") -> int:
    """Undo everything, explain, mark the fields; return the status to answer with."""
    db.session.rollback()
    if isinstance(exc, NotFound):
        abort(404)
    if isinstance(exc, LockerKeyNotReturned):
        msg = _("The locker key is not back: take the key before the customer leaves.")
    elif isinstance(exc, InvalidTransition):
        msg = ended or _("This visit has already ended.")
    elif isinstance(exc, Conflict) and "locker_no" in exc.errors:
        msg = _("That locker is still held by another customer: choose another locker.")
    elif isinstance(exc, Conflict) and "customer_id" in exc.errors:
        msg = _("This customer is already in the showroom: continue the open visit.")
    elif "clerk_staff_no" in exc.errors:
        msg = _("This clerk cannot be assigned: %(why)s", why=exc.errors["clerk_staff_no"])
    elif isinstance(exc, ValidationFailed):
        msg = _("Please correct the marked fields.")
    else:
        msg = exc.message
    flash(msg, "error")
    if form is not None:
        for name, problem in exc.errors.items():
            if name in form:
                form[name].errors = [*form[name].errors, problem]  # already translated
    return exc.status


# --- the board ---------------------------------------------------------------------------

def _board_context() -> dict[str, Any]:
    rows = svc.todays_board()
    due = svc.due_callbacks()
    return {"rows": rows,
            "waiting": sum(1 for r in rows if r.still_waiting),
            "late": sum(1 for r in rows if r.late and r.still_waiting),
            "inside": sum(1 for r in rows if r.visit.status != "left"),
            "due": len(due), "overdue": sum(1 for c in due if c.overdue)}


@bp.route("/")
@reception_only
def board() -> Page:
    with deferred_reads():
        return render_template("reception/board.html", **_board_context())


@bp.route("/board/rows")
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


@bp.route("/visits/new")
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
    db.session.commit()
    flash(_("Visit started for %(name)s.", name=visit.customer.name), "success")
    if visit.locker_no:
        flash(_("Locker %(no)s: the ticket is printing. Remind the customer to keep the key.",
                no=visit.locker_no), "success")
    return redirect(url_for("reception.visit", visit_id=visit.id))


@bp.route("/visits/new", methods=["POST"])
@reception_only
def start_visit() -> Page:
    form = StartVisitForm()
    register = QuickRegisterForm(formdata=None)
    search = SearchForm(formdata=None)
    if not form.validate_on_submit():
        flash(_("Please correct the marked fields."), "error")
        return _new_visit_page(search, form, register, 422)
    try:
        visit = _begin(int(form.customer_id.data or 0), form)
    except DomainError as exc:
        return _new_visit_page(search, form, register, fail(exc, form))
    return _started(visit)


@bp.route("/visits/register", methods=["POST"])
@reception_only
def register_and_start() -> Page:
    """A new customer: registered in seconds (address can wait), visit started at once."""
    form = QuickRegisterForm()
    start, search = StartVisitForm(formdata=None), SearchForm(formdata=None)
    if not form.validate_on_submit():
        flash(_("Please correct the marked fields."), "error")
        return _new_visit_page(search, start, form, 422)
    phone = (form.phone.data or "").strip()
    same = list(db.session.scalars(select(Customer).where(whole_phone(phone)).limit(5)))
    if same and request.form.get("register_anyway") != "y":
        flash(_("A customer with this phone number is already registered: choose them, "
                "or tick “register anyway”."), "warning")
        return _new_visit_page(search, start, form, 409, same_phone=same)
    try:
        customer = register_customer(name=form.name.data or "", phone=phone,
                                     kind=form.kind.data or "")
        visit = _begin(customer.id, form)
    except DomainError as exc:
        return _new_visit_page(search, start, form, fail(exc, form))
    return _started(visit)


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


@bp.route("/visits/<int:visit_id>")
@reception_only
def visit(visit_id: int) -> Page:
    with deferred_reads():
        return _visit_page(visit_id)


@bp.route("/visits/<int:visit_id>/greet", methods=["POST"])
@reception_only
def greet(visit_id: int) -> Page:
    back = (url_for("reception.visit", visit_id=visit_id) if request.form.get("back") == "visit"
            else url_for("reception.board"))
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        v = svc.greet(visit_id, staff_id=current_user.id)
    except DomainError as exc:
        fail(exc)
        return redirect(back)
    db.session.commit()
    flash(_("%(name)s greeted.", name=v.customer.name), "success")
    return redirect(back)


@bp.route("/visits/<int:visit_id>/details", methods=["POST"])
@reception_only
def details(visit_id: int) -> Page:
    form = VisitDetailsForm()
    if not form.validate_on_submit():
        flash(_("Please correct the marked fields."), "error")
        return _visit_page(visit_id, details=form, status=422)
    try:
        svc.greet(visit_id, staff_id=current_user.id, water_offered=bool(form.water_offered.data),
                  purpose=form.purpose.data or "", locker_no=form.locker_no.data or "")
    except DomainError as exc:
        return _visit_page(visit_id, details=form, status=fail(exc, form))
    db.session.commit()
    flash(_("Visit details saved."), "success")
    return redirect(url_for("reception.visit", visit_id=visit_id))


@bp.route("/visits/<int:visit_id>/assign", methods=["POST"])
@reception_only
def assign(visit_id: int) -> Page:
    form = AssignForm()
    if not form.validate_on_submit():
        flash(_("Choose a clerk."), "error")
        return _visit_page(visit_id, status=422)
    try:
        v = svc.assign_clerk(visit_id, form.clerk_staff_no.data or "", staff_id=current_user.id)
    except DomainError as exc:
        return _visit_page(visit_id, status=fail(exc))
    db.session.commit()
    assert v.clerk is not None
    flash(_("%(clerk)s now looks after %(name)s: introduce %(clerk)s to the customer.",
            clerk=v.clerk.name, name=v.customer.name), "success")
    return redirect(url_for("reception.board"))


@bp.route("/visits/<int:visit_id>/leave", methods=["POST"])
@reception_only
def leave(visit_id: int) -> Page:
    form = LeaveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        v = svc.leave(visit_id, locker_key_returned=bool(form.locker_key_returned.data))
    except DomainError as exc:
        return _visit_page(visit_id, leave=form, status=fail(exc, form))
    db.session.commit()
    flash(_("%(name)s has left. Thank them and see them off.", name=v.customer.name), "success")
    return redirect(url_for("reception.board"))


from showroom.reception import departure_views, inquiry_views  # noqa: E402,F401 - register routes
