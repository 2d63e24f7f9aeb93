"""The cashier's returns and exchanges screen (SPEC §6): choose the customer, scan the
item, see their sale lines of it oldest first (with the packing ticks as evidence), pick
lines and quantities, return or exchange, the reason — check: the verdict shows green or
red with its rule and reasons before anything moves — then confirm, or let a manager
override a refusal with their PIN and a reason. A refund in money is the money desk's.

Every action goes through the screen edge (`perform`): the form's one-time token makes a
double tap one document; a wrong manager PIN is kept for the lockout after the rollback.
"""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from showroom import text_rule
from showroom.aftersales.contracts import parse_contract, set_contract
from showroom.aftersales.forms import ContractForm, ReturnForm
from showroom.aftersales.models import AfterSalesDoc
from showroom.aftersales.requests import parse_request
from showroom.aftersales.returnable import packing_ticks, quota_of, returnable_lines
from showroom.aftersales.rules import Verdict, ratio_str
from showroom.aftersales.services import VerdictRefused, check_return, make_return
from showroom.auth.access import roles_required
from showroom.catalog.models import Product
from showroom.catalog.services import find_product
from showroom.customers.models import Customer, CustomerKind
from showroom.customers.services import may_see_phone, search_customers
from showroom.errors import DomainError
from showroom.extensions import db
from showroom.printjobs.models import PrintJob
from showroom.stations import device_station
from showroom.web import safe_next
from showroom.web.screen import OneTime, PinTry, Refusal, new_token, perform

Page = Response | str | tuple[str, int]
WRONG_PIN = _l("Wrong manager staff number or PIN — nothing was taken back.")
FIX = _l("Please correct the return: pick at least one line with a quantity, the kind and "
         "the reason; an exchange needs the replacements scanned.")


@roles_required("cashier")
def index() -> Page:
    q = request.args.get("q", "").strip()[:60]
    results = search_customers(q, by_phone=may_see_phone(current_user)) if q else []
    return render_template("aftersales/index.html", q=q, results=results,
                           can_phone=may_see_phone(current_user))


def _customer(customer_id: int) -> Customer:
    customer: Customer = db.get_or_404(Customer, customer_id)
    return customer


def _product(scan: str) -> tuple[Product | None, str]:
    if not scan:
        return None, ""
    refused = text_rule.check(scan)
    if refused is not None:  # matches nothing stored; PostgreSQL refuses NUL
        return None, refused
    try:
        return find_product(barcode=scan), ""
    except DomainError as exc:
        return None, exc.message


def _page(customer: Customer, form: ReturnForm | None = None, *, verdict: Verdict | None = None,
          checked: Any = None, errors: dict[str, str] | None = None, status: int = 200) -> Page:
    form = form or ReturnForm(formdata=None)
    scan = (request.args.get("scan") if request.method == "GET" else form.scan.data) or ""
    scan = scan.strip()[:64]
    form.scan.data = scan
    product, missing = _product(scan)
    lines = returnable_lines(customer.id, product.id) if product else []
    chosen = {k.removeprefix("qty-"): v for k, v in request.form.items()
              if k.startswith("qty-")} if request.method == "POST" else {}
    new_token(form)
    form.manager_pin.data = ""
    quota = quota_of(customer.id) if customer.kind == CustomerKind.FRANCHISE else None
    return render_template(
        "aftersales/customer.html", customer=customer, form=form, scan=scan, product=product,
        missing=missing, lines=lines, ticks=packing_ticks(ln.line_id for ln in lines),
        chosen=chosen, verdict=verdict, checked=checked, errors=errors or {}, quota=quota,
        ratio=ratio_str(quota.ratio_bp) if quota else "",
        can_phone=may_see_phone(current_user)), status


@roles_required("cashier")
def customer_page(customer_id: int) -> Page:
    scan = request.args.get("scan", "")
    bad = text_rule.check(scan) is not None
    return _page(_customer(customer_id), status=422 if bad else 200)


def _refused(customer_id: int, form: ReturnForm, raw: dict[str, Any]) -> Any:
    def refused(r: Refusal) -> Page:
        if r.code == "idempotency-key-reused":
            form.token.data = ""
        verdict = r.error.verdict if isinstance(r.error, VerdictRefused) else None
        if verdict is None and r.code in ("sign-in-failed", "locked", "forbidden"):
            verdict = _verdict_again(raw)  # keep the override fields for another try
        return _page(_customer(customer_id), form, verdict=verdict, errors=r.errors,
                     status=r.status)
    return refused


def _verdict_again(raw: dict[str, Any]) -> Verdict | None:
    """The verdict the override was for (read only), after a refused manager PIN."""
    try:
        return check_return(parse_request(raw)).verdict
    except DomainError:
        return None


@roles_required("cashier")
def act(customer_id: int) -> Page:
    """Check (the verdict; writes nothing) or confirm (the document, exactly once)."""
    _customer(customer_id)
    form = ReturnForm()
    raw = form.raw(customer_id, request.form)
    refused = _refused(customer_id, form, raw)
    messages: dict[str, Any] = {
        "validation": FIX, "invalid-form": FIX, "sign-in-failed": WRONG_PIN,
        "forbidden": lambda exc: exc.message,
        "rule": lambda exc: _("Refused by the rule %(rule)s: %(reasons)s", rule=exc.rule,
                              reasons=" ".join(exc.reasons)),
    }
    if request.form.get("action") != "confirm":
        def done(a: Any) -> Page:
            return _page(_customer(customer_id), form, verdict=a.verdict, checked=a)
        return perform(lambda: check_return(parse_request(raw)), form=form, done=done,
                       refused=refused, messages=messages)
    fingerprint = {k: v for k, v in raw.items() if k != "override"} | {
        "manager": raw["override"]["manager_staff_no"], "why": raw["override"]["reason"]}
    manager_no = str(raw["override"]["manager_staff_no"]).strip()
    return perform(
        lambda: make_return(parse_request(raw), staff_id=current_user.id,
                            station=device_station()),
        form=form, once=OneTime(f"aftersales:{customer_id}", fingerprint,
                                keep=lambda d: {"id": d.id, "number": d.number}),
        pin=PinTry(manager_no, f"aftersales:{customer_id}") if manager_no else None,
        done=lambda body: redirect(url_for("aftersales.document", doc_id=body["id"]), 303),
        refused=refused, messages=messages)


@roles_required("cashier")
def document(doc_id: int) -> Page:
    """The slip just made: what came back, what went out, the difference, the verdict, the
    print job; a refund in money goes on to the money desk."""
    doc: AfterSalesDoc = db.get_or_404(AfterSalesDoc, doc_id)
    job = db.session.scalars(select(PrintJob).where(PrintJob.ref == doc.number)
                             .order_by(PrintJob.id.desc())).first()
    return render_template("aftersales/document.html", doc=doc, customer=doc.customer, job=job)


@roles_required("manager")
def contract(customer_id: int) -> Page:
    """The manager records a franchisee's contract on the customer's page."""
    _customer(customer_id)
    form = ContractForm()
    back = safe_next(request.form.get("next")) or url_for("customers.detail",
                                                           customer_id=customer_id)

    def done(c: Any) -> Response:
        flash(_("Franchise contract saved: %(start)s to %(end)s, return ratio %(ratio)s.",
                start=c.starts_on.isoformat(), end=c.ends_on.isoformat(),
                ratio=ratio_str(c.ratio_bp)), "success")
        return redirect(back, 303)

    def save() -> Any:
        start, end, bp = parse_contract({"starts_on": form.starts_on.data or "",
                                         "ends_on": form.ends_on.data or "",
                                         "return_ratio": form.return_ratio.data or ""})
        return set_contract(customer_id, start, end, bp, staff_id=current_user.id)

    return perform(save, form=form, done=done, refused=lambda _r: redirect(back, 303), messages={
        "validation": lambda exc: _("Not saved: %(problems)s", problems="; ".join(
            f"{k}: {v}" for k, v in exc.errors.items())),
        "conflict": lambda exc: exc.message})
