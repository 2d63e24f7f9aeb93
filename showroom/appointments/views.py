"""Appointment screens for reception, clerks and managers: a day's calls (all clerks),
booking one (customer search — phones only for roles that may see them —, clerk, date,
time, what they want to see), an appointment's page (goods, actions, history) and its
reschedule / no-show / cancel. Actions go through the screen edge (`perform`); a
refusal re-renders the page with its message and nothing written."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from showroom.appointments import call as calls
from showroom.appointments import services as svc
from showroom.appointments.forms import ActionForm, BookForm, GoodForm, ReasonForm, RescheduleForm
from showroom.appointments.models import Appointment, AppointmentStatus, ChangeKind
from showroom.auth.access import roles_required
from showroom.auth.models import Staff
from showroom.clock import local, now_utc
from showroom.customers.models import Customer
from showroom.customers.services import may_see_phone, search_customers
from showroom.extensions import db
from showroom.validation import small_int
from showroom.web.screen import OneTime, Refusal, mark_fields, new_token, perform

BOOKERS = ("reception", "clerk")
Page = Response | str | tuple[str, int]


def _version(form: Any) -> int | None:
    raw = form.version.data
    return small_int(raw) if isinstance(raw, str) and raw else None


@roles_required(*BOOKERS)
def day() -> Page:
    """预约一览: one day's calls of every clerk, by time."""
    try:
        shown = date.fromisoformat(request.args.get("date", "")[:10])
    except ValueError:
        shown = local(now_utc()).date()
    rows = calls.day_list(shown)
    return render_template("appointments/day.html", rows=rows, day=shown,
                           prev=shown - timedelta(days=1), next=shown + timedelta(days=1),
                           now=now_utc(), due_now=calls.due_now)


def _clerks() -> list[Staff]:
    staff = db.session.scalars(select(Staff).where(Staff.active.is_(True)).order_by(
        Staff.staff_no))
    return [s for s in staff if "clerk" in s.role_set]


def _book_page(form: BookForm, status: int = 200) -> Page:
    cid = small_int(form.customer_id.data) if form.customer_id.data else None
    customer = db.session.get(Customer, cid) if cid else None
    q = request.args.get("q", "").strip()[:60]
    can_phone = may_see_phone(current_user)
    results = search_customers(q, by_phone=can_phone) if q else []
    form.clerk.choices = [SelectChoice("", _("— choose —"))] + [
        SelectChoice(s.staff_no, f"{s.staff_no} {s.name}") for s in _clerks()]
    new_token(form)
    return render_template("appointments/new.html", form=form, customer=customer, q=q,
                           results=results, can_phone=can_phone), status


@roles_required(*BOOKERS)
def new() -> Page:
    form = BookForm(formdata=None)
    form.customer_id.data = request.args.get("customer_id", "")[:12]
    if "clerk" in current_user.role_set:
        form.clerk.data = current_user.staff_no
    form.day.data = request.args.get("date", "")[:10] or local(now_utc()).date().isoformat()
    return _book_page(form)


@roles_required(*BOOKERS)
def create() -> Page:
    form = BookForm()
    when = form.starts_at()
    raw = {"customer_id": small_int(form.customer_id.data or ""), "starts_at": when,
           "clerk_staff_no": form.clerk.data or "", "wanted": form.wanted.data or ""}

    def refused(r: Refusal) -> Page:
        if r.code == "idempotency-key-reused":
            form.token.data = ""
        errors = dict(r.errors)
        if "starts_at" in errors:
            errors.setdefault("at", errors.pop("starts_at"))
        if "clerk_staff_no" in errors:
            errors.setdefault("clerk", errors.pop("clerk_staff_no"))
        mark_fields(form, errors)
        return _book_page(form, r.status)

    def done(body: dict[str, Any]) -> Response:
        flash(_("Video call %(number)s booked for %(when)s.", number=body["number"],
                when=body["when"]), "success")
        for warning in body["warnings"]:
            flash(warning, "warning")
        return redirect(url_for("appointments.page", appointment_id=body["id"]), 303)

    def keep(a: Appointment) -> dict[str, Any]:
        return {"id": a.id, "number": a.number, "warnings": svc.clash_warnings(a),
                "when": local(a.starts_at).strftime("%Y-%m-%d %H:%M")}

    return perform(
        lambda: svc.book(staff_id=current_user.id, **raw),
        form=form, done=done, refused=refused,
        once=OneTime("appointment-book", {k: str(v) for k, v in raw.items()}, keep=keep),
        messages={"validation": _("Please correct the marked fields.")})


def appointment_page(a: Appointment, *, status: int = 200, **forms: Any) -> Page:
    can_phone = may_see_phone(current_user)
    resched = forms.get("reschedule_form") or RescheduleForm(formdata=None)
    if not resched.day.data:
        resched.day.data = local(a.starts_at).date().isoformat()
    names = {s.id: s.name for s in db.session.scalars(select(Staff).where(Staff.id.in_(
        {c.staff_id for c in svc.history(a.id) if c.staff_id})))}
    return render_template(
        "appointments/page.html", a=a, goods=calls.goods(a.id), log=svc.history(a.id),
        names=names, can_phone=can_phone, due=calls.due_now(a), Status=AppointmentStatus,
        Kind=ChangeKind, action_form=ActionForm(formdata=None),
        good_form=forms.get("good_form") or GoodForm(formdata=None),
        reschedule_form=resched, open_panel=forms.get("open_panel", ""),
        no_show_form=forms.get("no_show_form") or ReasonForm(formdata=None),
        cancel_form=forms.get("cancel_form") or ReasonForm(formdata=None),
        is_clerk=current_user.id == a.clerk_id or "manager" in current_user.role_set,
        warnings=svc.clash_warnings(a) if a.status in ("booked", "reminded") else []), status


@roles_required(*BOOKERS)
def page(appointment_id: int) -> Page:
    return appointment_page(db.get_or_404(Appointment, appointment_id))


def _act(appointment_id: int, form: Any, action: Any, message: str, panel: str) -> Page:
    db.get_or_404(Appointment, appointment_id)

    def done(_a: Any) -> Response:
        flash(message, "success")
        return redirect(url_for("appointments.page", appointment_id=appointment_id), 303)

    def refused(r: Refusal) -> Page:
        errors = dict(r.errors)
        if "starts_at" in errors:
            errors.setdefault("at", errors.pop("starts_at"))
        mark_fields(form, errors)
        fresh = db.get_or_404(Appointment, appointment_id)
        return appointment_page(fresh, status=r.status, open_panel=panel,
                                **{f"{panel.replace('-', '_')}_form": form})

    return perform(action, form=form, done=done, refused=refused,
                   messages={"validation": _("Please correct the marked fields.")})


@roles_required(*BOOKERS)
def reschedule(appointment_id: int) -> Page:
    form = RescheduleForm()
    return _act(appointment_id, form, lambda: svc.reschedule(
        appointment_id, starts_at=form.starts_at(), reason=form.reason.data or "",
        staff_id=current_user.id, version=_version(form)),
        _("Rescheduled; the old time and the reason are kept in the history."), "reschedule")


@roles_required(*BOOKERS)
def no_show(appointment_id: int) -> Page:
    form = ReasonForm()
    return _act(appointment_id, form, lambda: svc.no_show(
        appointment_id, reason=form.reason.data or "", staff_id=current_user.id,
        version=_version(form)), _("Marked as no-show."), "no-show")


@roles_required(*BOOKERS)
def cancel(appointment_id: int) -> Page:
    form = ReasonForm()
    return _act(appointment_id, form, lambda: svc.cancel(
        appointment_id, reason=form.reason.data or "", staff_id=current_user.id,
        version=_version(form)), _("Appointment cancelled."), "cancel")
