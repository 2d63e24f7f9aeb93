"""The customer file screen (SPEC §8): member, gender, solar or lunar birthday, interests,
level, owner clerk and contacts; last contact derived from events; the history page.

Reception, cashier and manager edit; clerks read the file with phones masked (SPEC §12),
like every role that may not see phones.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.auth.models import Staff
from showroom.customers import file as svc
from showroom.customers.contact import last_contact
from showroom.customers.file_forms import ButtonForm, ContactForm, FileForm
from showroom.customers.history import CAP, CAP_MORE, history
from showroom.customers.models import Customer
from showroom.customers.services import get_customer, may_see_debt, may_see_phone
from showroom.extensions import db
from showroom.web.screen import Refusal, mark_fields, perform

READ_ROLES = ("reception", "cashier", "clerk")
EDIT_ROLES = ("reception", "cashier")
FIX = _l("Please correct the marked fields; nothing was saved.")
MESSAGES = {"invalid-form": FIX, "validation": FIX}
Page = Response | str | tuple[str, int]


def _owner_choices(form: FileForm) -> FileForm:
    form.owner_staff_no.choices = [("", _("Nobody yet"))] + [
        (s.staff_no, f"{s.staff_no} {s.name}") for s in svc.owner_choices()]
    return form


def _file_form(customer: Customer) -> FileForm:
    form = _owner_choices(FileForm(formdata=None))
    form.member.data = customer.member
    form.gender.data = customer.gender
    form.birthday.data = svc.birthday_input(customer)
    form.birthday_lunar.data = customer.birthday_lunar
    form.interests.data = customer.interests
    form.level.data = customer.level
    owner = db.session.get(Staff, customer.owner_id) if customer.owner_id else None
    form.owner_staff_no.data = owner.staff_no if owner else ""
    return form


def _page(customer_id: int, *, form: FileForm | None = None,
          contact_form: ContactForm | None = None, edit_id: int | None = None,
          status: int = 200) -> Page:
    customer = get_customer(customer_id)
    owner = db.session.get(Staff, customer.owner_id) if customer.owner_id else None
    contacts = svc.contacts_of(customer.id)
    edit_forms = {c.id: ContactForm(formdata=None, obj=c) for c in contacts}
    if edit_id is not None and contact_form is not None:
        edit_forms[edit_id] = contact_form
        contact_form = None
    return render_template(
        "customers/file.html", customer=customer, owner=owner, contacts=contacts,
        form=form or _file_form(customer), contact_form=contact_form or ContactForm(
            formdata=None), edit_forms=edit_forms, edit_id=edit_id,
        button=ButtonForm(formdata=None), last=last_contact(customer.id),
        birthday=svc.birthday_text(customer), tab="file",
        can_edit=current_user.has_role(*EDIT_ROLES),
        can_phone=may_see_phone(current_user)), status


@roles_required(*READ_ROLES)
def file_page(customer_id: int) -> Page:
    return _page(customer_id)


def _back(customer_id: int, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("customers.file_page", customer_id=customer_id), 303)


@roles_required(*EDIT_ROLES)
def save_file(customer_id: int) -> Page:
    form = _owner_choices(FileForm())

    def refused(r: Refusal) -> Page:
        mark_fields(form, r.errors)
        return _page(customer_id, form=form, status=r.status)

    return perform(lambda: svc.update_file(customer_id, form.values()), form=form,
                   done=lambda _c: _back(customer_id, _("Customer file saved.")),
                   refused=refused, messages=MESSAGES)


@roles_required(*EDIT_ROLES)
def add_contact(customer_id: int) -> Page:
    form = ContactForm()

    def refused(r: Refusal) -> Page:
        mark_fields(form, r.errors)
        return _page(customer_id, contact_form=form, status=r.status)

    return perform(lambda: svc.add_contact(customer_id, svc.parse_contact(form.values())),
                   form=form, done=lambda _c: _back(customer_id, _("Contact added.")),
                   refused=refused, messages=MESSAGES)


@roles_required(*EDIT_ROLES)
def edit_contact(customer_id: int, contact_id: int) -> Page:
    form = ContactForm()

    def refused(r: Refusal) -> Page:
        mark_fields(form, r.errors)
        return _page(customer_id, contact_form=form, edit_id=contact_id, status=r.status)

    return perform(lambda: svc.update_contact(customer_id, contact_id,
                                              svc.parse_contact(form.values())),
                   form=form, done=lambda _c: _back(customer_id, _("Contact saved.")),
                   refused=refused, messages=MESSAGES)


@roles_required(*EDIT_ROLES)
def remove_contact(customer_id: int, contact_id: int) -> Page:
    return perform(lambda: svc.remove_contact(customer_id, contact_id), form=ButtonForm(),
                   done=lambda _c: _back(customer_id, _("Contact removed.")),
                   refused=lambda r: _page(customer_id, status=r.status), messages=MESSAGES)


@roles_required(*READ_ROLES)
def history_page(customer_id: int) -> Page:
    customer = get_customer(customer_id)
    cap = CAP_MORE if request.args.get("more") == "1" else CAP
    return render_template("customers/history.html", customer=customer, tab="history",
                           hist=history(customer.id, current_user, cap=cap),
                           showing_more=cap == CAP_MORE, last=last_contact(customer.id),
                           can_money=may_see_debt(current_user),
                           can_phone=may_see_phone(current_user))
