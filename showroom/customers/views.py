"""Customer screens: one search box, quick registration, the customer file and ledger.

Customer data is confidential (SPEC §12): full phone numbers only for reception,
cashier and manager; the debt and the ledger only for cashier and manager; only a
manager reverses a ledger entry, and always with a reason.
"""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.customers.contact import last_contact_details
from showroom.customers.forms import CustomerForm, RegisterForm, ReverseForm, field_errors
from showroom.customers.models import Customer, LedgerEntry
from showroom.customers.services import (
    REVERSIBLE,
    ledger,
    may_see_debt,
    may_see_phone,
    register_customer,
    reverse_entry,
    same_phone,
    search_customers,
    update_customer,
)
from showroom.errors import ValidationFailed
from showroom.extensions import db
from showroom.money_desk.forms import CreditLimitForm
from showroom.web.screen import Refusal, perform

EDIT_ROLES = ("reception", "cashier")

Page = Response | str | tuple[str, int]
FIX_DETAILS = _l("Please correct the customer's details.")


def _rights() -> dict[str, bool]:
    return {"can_phone": may_see_phone(current_user),
            "can_ledger": may_see_debt(current_user),
            "can_edit": current_user.has_role(*EDIT_ROLES),
            "can_reverse": current_user.has_role("manager")}


@login_required
def search() -> Page:
    return _search_page(RegisterForm(formdata=None))


def _search_page(form: RegisterForm, errors: dict[str, str] | None = None,
                 status: int = 200, same: list[Customer] | None = None) -> Page:
    q = request.args.get("q", "").strip()[:60]
    results = search_customers(q, by_phone=may_see_phone(current_user))
    last = last_contact_details([c.id for c in results])  # one query for the page
    return render_template("customers/search.html", q=q, results=results, last=last,
                           form=form, errors=errors or {}, same_phone=same or [],
                           **_rights()), status


@roles_required(*EDIT_ROLES)
def register() -> Page:
    form = RegisterForm()

    def done(customer: Customer) -> Response:
        flash(_("Customer %(code)s registered.", code=customer.code), "success")
        return redirect(url_for("customers.detail", customer_id=customer.id), 303)

    def refused(r: Refusal) -> Page:
        same = same_phone(form.phone.data or "") if r.code == "duplicate-phone" else []
        return _search_page(form, field_errors(r.errors), r.status, same)

    return perform(lambda: register_customer(**form.values(),
                                             register_anyway=bool(form.register_anyway.data)),
                   form=form, done=done, refused=refused, messages={
                       "invalid-form": FIX_DETAILS, "validation": FIX_DETAILS,
                       "duplicate-phone": _l("A customer with this phone number is already "
                                             "registered: choose them, or tick “register "
                                             "anyway”.")})


def _customer(customer_id: int) -> Customer:
    customer = db.get_or_404(Customer, customer_id)
    return customer


@login_required
def detail(customer_id: int) -> Page:
    customer = _customer(customer_id)
    return _detail_page(customer, CustomerForm(formdata=None, obj=customer))


def _detail_page(customer: Customer, form: CustomerForm, errors: dict[str, str] | None = None,
                 status: int = 200) -> Page:
    rights = _rights()
    entries: list[LedgerEntry] = ledger(customer.id) if rights["can_ledger"] else []
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    ctx: dict[str, Any] = {"customer": customer, "form": form, "errors": errors or {},
                           "entries": entries, "reversed_ids": reversed_ids,
                           "reverse_form": ReverseForm(formdata=None),
                           "reversible": REVERSIBLE,
                           "limit_form": CreditLimitForm(formdata=None),
                           **_franchise(customer)}
    return render_template("customers/detail.html", **ctx, **rights), status


def _franchise(customer: Customer) -> dict[str, Any]:
    """A franchisee's contract and the manager's form for it (SPEC §6)."""
    from showroom.aftersales.forms import ContractForm
    from showroom.aftersales.returnable import contract_of
    from showroom.aftersales.rules import ratio_str

    if customer.kind != "franchise":
        return {"contract": None, "contract_form": None, "contract_ratio": ""}
    contract = contract_of(customer.id)
    form = ContractForm(formdata=None)
    if contract is not None:
        form.starts_on.data = contract.starts_on.isoformat()
        form.ends_on.data = contract.ends_on.isoformat()
        form.return_ratio.data = ratio_str(contract.ratio_bp)
    return {"contract": contract, "contract_form": form,
            "contract_ratio": ratio_str(contract.ratio_bp) if contract else ""}


@roles_required(*EDIT_ROLES)
def update(customer_id: int) -> Page:
    customer = _customer(customer_id)
    form = CustomerForm()

    def done(_customer_: Customer) -> Response:
        flash(_("Customer file saved."), "success")
        return redirect(url_for("customers.detail", customer_id=customer_id), 303)

    return perform(lambda: update_customer(customer, **form.values()), form=form, done=done,
                   messages={"invalid-form": FIX_DETAILS, "validation": FIX_DETAILS},
                   refused=lambda r: _detail_page(_customer(customer_id), form,
                                                  field_errors(r.errors), r.status))


@roles_required("manager")
def reverse(customer_id: int, entry_id: int) -> Page:
    """Correct a ledger mistake with a reversing entry; the original stays."""
    customer = _customer(customer_id)
    entry = db.session.get(LedgerEntry, entry_id)
    if entry is None or entry.customer_id != customer.id:
        abort(404)
    form = ReverseForm()
    reason = (form.reason.data or "").strip()

    def undone(r: Refusal) -> Page:
        again = _customer(customer_id)
        return _detail_page(again, CustomerForm(formdata=None, obj=again), status=r.status)

    def done(_entry: LedgerEntry) -> Response:
        flash(_("Entry #%(id)s reversed.", id=entry_id), "success")
        return redirect(url_for("customers.detail", customer_id=customer_id) + "#ledger", 303)

    def call() -> LedgerEntry:
        if not reason:
            raise ValidationFailed(_("Give a reason for the reversal."),
                                   errors={"reason": _("required")})
        return reverse_entry(entry_id, staff_id=current_user.id, note=reason)

    return perform(call, form=form, done=done, refused=undone, messages={
        "invalid-form": _l("Give a reason for the reversal."),
        "validation": _l("Give a reason for the reversal."),
        "conflict": lambda exc: _("Not reversed: %(reason)s", reason=exc.message),
        "rule": lambda exc: _("Not reversed: %(reason)s", reason=exc.message)})
