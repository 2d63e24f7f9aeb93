"""All inquiries, called back or not (SPEC §8): search by caller name or phone, rate the
prospect's urgency, pass one to a manager's inbox, turn one into a customer file."""
from __future__ import annotations

from collections.abc import Sequence

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from showroom.customers.file_forms import ButtonForm
from showroom.customers.forms import RegisterForm
from showroom.customers.services import may_see_phone, same_phone
from showroom.reception import inquiry_history as svc
from showroom.reception.models import Inquiry
from showroom.reception.views import Page, reception_only
from showroom.validation import small_int
from showroom.web.screen import Refusal, mark_fields, perform

FIX = _l("Please correct the marked fields; nothing was saved.")


def _list_page(status: int = 200) -> Page:
    q = (request.args.get("q") or "").strip()[:60]
    page = small_int(request.args.get("page"), 1000) or 1
    found = svc.search_inquiries(q, by_phone=may_see_phone(current_user), page=page)
    return render_template("reception/inquiry_history.html", q=q, found=found,
                           button=ButtonForm(formdata=None),
                           can_phone=may_see_phone(current_user)), status


@reception_only
def inquiry_history() -> Page:
    return _list_page()


def _back() -> Response:
    q = (request.form.get("q") or "").strip()[:60]
    return redirect(url_for("reception.inquiry_history", q=q or None), 303)


@reception_only
def set_urgency(inquiry_id: int) -> Page:
    def done(inq: Inquiry) -> Response:
        flash(_("Urgency of %(name)s saved.", name=inq.caller_name), "success")
        return _back()

    return perform(lambda: svc.set_urgency(inquiry_id, request.form.get("urgency", "")),
                   form=ButtonForm(), done=done, refused=lambda r: _list_page(r.status),
                   messages={"validation": _l("Urgency is A, B, C or not rated.")})


@reception_only
def escalate(inquiry_id: int) -> Page:
    def done(inq: Inquiry) -> Response:
        flash(_("Passed to a manager: %(name)s is in the manager's inbox.",
                name=inq.caller_name), "success")
        return _back()

    return perform(lambda: svc.escalate(inquiry_id), form=ButtonForm(), done=done,
                   refused=lambda r: _list_page(r.status),
                   messages={"conflict": _l("This inquiry is already with a manager.")})


def _customer_page(inquiry: Inquiry, form: RegisterForm, status: int = 200,
                   same: Sequence[object] | None = None) -> Page:
    return render_template("reception/inquiry_customer.html", inquiry=inquiry, form=form,
                           same_phone=list(same or []), linked=svc.linked_customer(inquiry)), status


@reception_only
def to_customer_form(inquiry_id: int) -> Page:
    inquiry = svc.get_inquiry(inquiry_id)
    form = RegisterForm(formdata=None, data=svc.prefill(inquiry))
    return _customer_page(inquiry, form)


@reception_only
def to_customer(inquiry_id: int) -> Page:
    form = RegisterForm()

    def done(customer: object) -> Response:
        flash(_("Customer file made from the inquiry; complete it now."), "success")
        return redirect(url_for("customers.file_page", customer_id=customer.id), 303)  # type: ignore[attr-defined]

    def refused(r: Refusal) -> Page:
        mark_fields(form, r.errors)
        same = same_phone(form.phone.data or "") if r.code == "duplicate-phone" else []
        return _customer_page(svc.get_inquiry(inquiry_id), form, r.status, same)

    inquiry = svc.get_inquiry(inquiry_id)
    return perform(lambda: svc.to_customer(
        inquiry_id, **form.values(), region=inquiry.region,  # type: ignore[arg-type]
        register_anyway=bool(form.register_anyway.data)),
        form=form, done=done, refused=refused, messages={
            "invalid-form": FIX, "validation": FIX,
            "conflict": _l("This inquiry already has a customer file."),
            "duplicate-phone": _l("A customer with this phone number is already registered: "
                                  "open them, or tick “register anyway”.")})
