"""Complaint screens: record one (from any screen's 投诉 button, or the phone at
reception), the list (overdue first responses first), a complaint's page with every gate's
who/when/what and the ONE next step's form for whoever may take it, the customer's
signature image. Actions go through the screen edge (`perform`): a one-time token makes a
double tap take a step once; a refusal shows its reason with nothing written."""
from __future__ import annotations

import json
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from showroom.attachments.models import Attachment
from showroom.auth.access import roles_required
from showroom.auth.models import Staff
from showroom.complaints.forms import RecordForm, StepForm
from showroom.complaints.gates import MANAGER_STEPS, next_steps
from showroom.complaints.models import (
    Complaint,
    ComplaintCategory,
    ComplaintStatus,
    ComplaintStep,
)
from showroom.complaints.queries import complaint_list, response_overdue
from showroom.complaints.services import callbacks_of, record_complaint, take_step
from showroom.customers.models import Customer
from showroom.customers.services import may_see_phone, search_customers
from showroom.errors import DomainError, RuleRefused
from showroom.extensions import db
from showroom.validation import small_int
from showroom.web.screen import OneTime, Refusal, mark_fields, new_token, perform

STAFF = ("reception", "clerk", "cashier", "packer", "shipper")
Page = Response | str | tuple[str, int]


@roles_required(*STAFF)
def index() -> Page:
    status = request.args.get("status", "")
    category = request.args.get("category", "")
    rows = complaint_list(status=status if status in ComplaintStatus.codes() else None,
                          category=category if category in ComplaintCategory.codes() else None)
    return render_template("complaints/list.html", rows=rows, status=status, category=category,
                           statuses=list(ComplaintStatus), categories=list(ComplaintCategory),
                           overdue=response_overdue, can_phone=may_see_phone(current_user))


def _record_page(form: RecordForm, status: int = 200) -> Page:
    cid = small_int(form.customer_id.data) if form.customer_id.data else None
    customer = db.session.get(Customer, cid) if cid else None
    q = request.args.get("q", "").strip()[:60]
    results = search_customers(q, by_phone=may_see_phone(current_user)) if q else []
    new_token(form)
    return render_template("complaints/new.html", form=form, customer=customer, q=q,
                           results=results, channel=form.channel.data), status


@roles_required(*STAFF)
def new() -> Page:
    form = RecordForm(formdata=None)
    form.customer_id.data = request.args.get("customer_id", "")
    channel = request.args.get("channel", "")
    form.channel.data = channel if channel in ("visit", "phone", "online", "video") else "visit"
    return _record_page(form)


@roles_required(*STAFF)
def record() -> Page:
    form = RecordForm()
    raw = form.raw()

    def refused(r: Refusal) -> Page:
        if r.code == "idempotency-key-reused":
            form.token.data = ""
        mark_fields(form, r.errors)
        return _record_page(form, r.status)

    def done(body: dict[str, Any]) -> Response:
        flash(_("Complaint %(number)s recorded: first response due %(due)s.",
                number=body["number"], due=body["due"]), "success")
        return redirect(url_for("complaints.page", complaint_id=body["id"]), 303)

    return perform(
        lambda: record_complaint(staff_id=current_user.id, **raw),  # type: ignore[arg-type]
        form=form, done=done, refused=refused,
        once=OneTime("complaint-record", raw, keep=lambda c: {
            "id": c.id, "number": c.number,
            "due": c.first_response_due.astimezone(_tz()).strftime("%m-%d %H:%M")}),
        messages={"validation": _("Please correct the marked fields: a customer or a caller "
                                  "with a phone, the category and what the customer says.")})


def _tz() -> Any:
    from showroom.clock import showroom_tz

    return showroom_tz()


def may_take(c: Complaint, step: str) -> bool:
    if step in MANAGER_STEPS and "manager" not in current_user.role_set:
        return False
    return not (step == ComplaintStep.APPROVE and c.proposed_by_id == current_user.id)


def _names(c: Complaint) -> dict[int, Staff]:
    ids = {i for i in (c.recorded_by_id, c.judged_by_id, c.investigated_by_id,
                       c.proposed_by_id, c.approved_by_id, c.implemented_by_id,
                       c.accepted_by_id, *(s.staff_id for s in c.steps)) if i}
    return {s.id: s for s in db.session.scalars(select(Staff).where(Staff.id.in_(ids)))}


def complaint_page(c: Complaint, *, form: StepForm | None = None, status: int = 200,
                   refused: RuleRefused | None = None) -> Page:
    from showroom.aftersales.models import AfterSalesDoc
    from showroom.repairs.models import Repair

    form = new_token(form or StepForm(formdata=None))
    form.signature_png.data = ""
    steps = [s for s in next_steps(c) if may_take(c, s)]
    if c.customer_id:
        docs = db.session.scalars(select(AfterSalesDoc).where(
            AfterSalesDoc.customer_id == c.customer_id).order_by(AfterSalesDoc.id.desc())
            .limit(20))
        form.return_id.choices = [SelectChoice("", _("— none —"))] + [
            SelectChoice(str(d.id), f"{d.number} · {d.kind}") for d in docs]
        repairs = db.session.scalars(select(Repair).where(
            Repair.customer_id == c.customer_id).order_by(Repair.id.desc()).limit(20))
        form.repair_id.choices = [SelectChoice("", _("— none —"))] + [
            SelectChoice(str(r.id), f"{r.number} · {r.part}") for r in repairs]
    logs = [(s, json.loads(s.data or "{}")) for s in c.steps]
    return render_template(
        "complaints/complaint.html", c=c, form=form, steps=steps, all_next=next_steps(c),
        names=_names(c), logs=logs, Step=ComplaintStep, refused=refused,
        overdue=response_overdue(c), can_phone=may_see_phone(current_user),
        callbacks=callbacks_of(c),
        linked_doc=db.session.get(AfterSalesDoc, c.aftersales_doc_id) if c.aftersales_doc_id
        else None,
        linked_repair=db.session.get(Repair, c.repair_id) if c.repair_id else None,
        is_manager="manager" in current_user.role_set), status


@roles_required(*STAFF)
def page(complaint_id: int) -> Page:
    return complaint_page(db.get_or_404(Complaint, complaint_id))


@roles_required(*STAFF)
def step(complaint_id: int) -> Page:
    c: Complaint = db.get_or_404(Complaint, complaint_id)
    form = StepForm()
    name = form.step.data or ""
    raw = form.raw(name)

    def refused(r: Refusal) -> Page:
        if r.code == "idempotency-key-reused":
            form.token.data = ""
        mark_fields(form, r.errors)
        fresh = db.session.get(Complaint, complaint_id)
        rule = r.error if isinstance(r.error, RuleRefused) else None
        return complaint_page(fresh or c, form=form, status=r.status, refused=rule)

    def done(body: dict[str, Any]) -> Response:
        flash(_("%(step)s: done. The complaint is now %(status)s.",
                step=ComplaintStep(body["step"]).label,
                status=ComplaintStatus(body["status"]).label), "success")
        return redirect(url_for("complaints.page", complaint_id=complaint_id), 303)

    return perform(
        lambda: take_step(complaint_id, name, raw, staff=current_user._get_current_object()),
        form=form, done=done, refused=refused,
        once=OneTime("complaint-step", {"id": complaint_id, "step": name},
                     keep=lambda c: {"step": name, "status": c.status}),
        messages={"rule": lambda exc: _reasons(exc),
                  "validation": _("Please correct the marked fields.")})


def _reasons(exc: DomainError) -> str:
    return " ".join(exc.reasons) if isinstance(exc, RuleRefused) else exc.message


@roles_required(*STAFF)
def signature(complaint_id: int) -> Response:
    c: Complaint = db.get_or_404(Complaint, complaint_id)
    row = db.session.get(Attachment, c.signature_id) if c.signature_id else None
    if row is None or row.media_type != "image/png":
        abort(404)
    resp = Response(row.data, mimetype="image/png")
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return resp
