"""Consignment screens (SPEC §7): consignors (find by code or name, make a customer a
consignor), a consignor's page (code, share, lists, their goods on our floor), a new intake
list typed on the tablet (present: the consignor signs on the pad; absent: sent for
signature), and a list's page (its items, reprint the list or the labels, record the signed
copy when it comes back, give goods back on a withdrawal list).

Managers do everything; reception may take goods in and record signatures. Actions go
through the screen edge (`perform`): one-time tokens make a double tap take goods in once.
"""
from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, or_, select
from werkzeug.wrappers import Response as WResponse

from showroom.auth.access import roles_required
from showroom.auth.models import Staff
from showroom.catalog.models import Product
from showroom.consignment.consignors import make_consignor, parse_share
from showroom.consignment.forms import (
    MAX_ROWS,
    IntakeForm,
    NewConsignorForm,
    ReprintForm,
    ReturnedSignatureForm,
    WithdrawForm,
)
from showroom.consignment.intake import (
    find_list,
    parse_lines,
    queue_labels_again,
    queue_list_again,
    record_returned_signature,
    take_in,
    withdraw,
)
from showroom.consignment.list_documents import label_payload, list_payload, share_text
from showroom.consignment.models import Consignment, ConsignmentKind, Consignor, SignatureState
from showroom.customers.models import Customer
from showroom.customers.services import may_see_phone, search_customers
from showroom.errors import ValidationFailed
from showroom.extensions import db
from showroom.printjobs.models import PrintJob
from showroom.stations import device_station
from showroom.validation import small_int
from showroom.web.screen import OneTime, Refusal, end_read, mark_fields, new_token, perform

Page = WResponse | str | tuple[str, int]
ROLES = ("manager", "reception")
DATA_URL = "data:image/png;base64,"
FIX_LIST = _l("Please correct the marked items: a name, pieces of 1 or more and prices like "
              "128.00 (0 or more).")


def _png(data_url: str | None) -> bytes | None:
    text = (data_url or "").strip()
    if not text:
        return None
    if not text.startswith(DATA_URL) or len(text) > 300_000:
        raise ValidationFailed(_("the signature must be a PNG image of at most 200 KB"),
                               errors={"signature": _("not a PNG signature")})
    try:
        return base64.b64decode(text[len(DATA_URL):], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationFailed(_("the signature image cannot be read"),
                               errors={"signature": _("unreadable")}) from exc


# --- consignors ---------------------------------------------------------------------------

def _consignors(q: str) -> list[Any]:
    """Consignors by code prefix or customer name, with their pieces on our floor."""
    on_floor = (select(Product.consignor_id, func.sum(Product.on_hand).label("pieces"))
                .where(Product.consignor_id.is_not(None)).group_by(Product.consignor_id)
                .subquery())
    stmt = (select(Consignor, func.coalesce(on_floor.c.pieces, 0))
            .join(Customer, Customer.id == Consignor.customer_id)
            .outerjoin(on_floor, on_floor.c.consignor_id == Consignor.id))
    q = q.strip()[:40]
    if q:
        stmt = stmt.where(or_(Consignor.code.startswith(q.lower(), autoescape=True),
                              Consignor.code.startswith(q, autoescape=True),
                              Customer.name.contains(q, autoescape=True)))
    return list(db.session.execute(stmt.order_by(Consignor.id.desc()).limit(100)))


def _index(form: NewConsignorForm | None = None, status: int = 200) -> Page:
    q = request.args.get("q", "")[:40]
    cq = request.args.get("cq", "").strip()[:60]
    form = new_token(form or NewConsignorForm(formdata=None))
    if not form.customer_id.data:
        form.customer_id.data = request.args.get("customer_id", "")
    cid = small_int(form.customer_id.data) if form.customer_id.data else None
    picked = db.session.get(Customer, cid) if cid else None
    found = search_customers(cq, by_phone=may_see_phone(current_user)) if cq else []
    already = {c.customer_id for c in db.session.scalars(select(Consignor).where(
        Consignor.customer_id.in_([c.id for c in found] or [0])))}
    return render_template("consignment/index.html", rows=_consignors(q), q=q, cq=cq,
                           found=found, already=already, picked=picked, form=form,
                           share_text=share_text,
                           is_manager="manager" in current_user.role_set), status


@roles_required(*ROLES)
def index() -> Page:
    return _index()


@roles_required("manager")
def create_consignor() -> Page:
    form = NewConsignorForm()
    customer_id = small_int(form.customer_id.data or "") or 0

    def refused(r: Refusal) -> Page:
        if r.code == "idempotency-key-reused":
            form.token.data = ""
        mark_fields(form, {"share" if k == "consignor_share" else k: v
                           for k, v in r.errors.items()})
        return _index(form, r.status)

    def done(body: dict[str, Any]) -> WResponse:
        flash(_("%(name)s is consignor %(code)s.", name=body["name"], code=body["code"]),
              "success")
        return redirect(url_for("consignment.consignor", consignor_id=body["id"]), 303)

    return perform(
        lambda: make_consignor(customer_id, share_bp=parse_share(form.share.data, percent=True),
                               staff_id=current_user.id),
        form=form, once=OneTime("consignor", [customer_id, form.share.data or ""],
                                keep=lambda c: {"id": c.id, "code": c.code,
                                                "name": c.customer.name}),
        done=done, refused=refused, not_found=False,
        messages={"rule": lambda exc: exc.message})


@roles_required(*ROLES)
def consignor(consignor_id: int) -> Page:
    c = db.get_or_404(Consignor, consignor_id)
    lists = list(db.session.scalars(select(Consignment).where(
        Consignment.consignor_id == c.id).order_by(Consignment.id.desc()).limit(200)))
    goods = list(db.session.scalars(select(Product).where(
        Product.consignor_id == c.id, Product.on_hand > 0).order_by(Product.code)))
    return render_template("consignment/consignor.html", consignor=c, lists=lists,
                           goods=goods, share_text=share_text,
                           pieces=sum(p.on_hand for p in goods),
                           is_manager="manager" in current_user.role_set)


# --- intake -------------------------------------------------------------------------------

def _intake_page(c: Consignor, form: IntakeForm, status: int = 200) -> Page:
    new_token(form)
    return render_template("consignment/intake.html", consignor=c, form=form,
                           share_text=share_text, max_rows=MAX_ROWS), status


@roles_required(*ROLES)
def new_intake(consignor_id: int) -> Page:
    c = db.get_or_404(Consignor, consignor_id)
    return _intake_page(c, IntakeForm(formdata=None))


def _typed_lines(form: IntakeForm) -> tuple[list[dict[str, str]], list[int]]:
    """The rows with anything typed in them, and each one's row index on the form."""
    rows, where = [], []
    for i, entry in enumerate(form.lines.entries):
        sub = entry.form
        if sub.blank():
            continue
        rows.append({k: (sub[k].data or "") for k in
                     ("name", "qty", "price_wholesale", "price_franchise", "consignor_price")})
        where.append(i)
    return rows, where


def _mark_lines(form: IntakeForm, errors: dict[str, str], where: list[int]) -> None:
    for key, problem in errors.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
            n = int(parts[1])
            if n < len(where) and parts[2] in form.lines.entries[where[n]].form:
                field = form.lines.entries[where[n]].form[parts[2]]
                field.errors = [*field.errors, str(problem)]
        elif key in form:
            form[key].errors = [*form[key].errors, str(problem)]


@roles_required(*ROLES)
def take(consignor_id: int) -> Page:
    """委托代销: the typed lines, present (the pad's signature) or absent; one list, its
    products and stock, the list and the labels printing."""
    c = db.get_or_404(Consignor, consignor_id)
    form = IntakeForm()
    rows, where = _typed_lines(form)
    present = form.present.data == "present"

    def refused(r: Refusal) -> Page:
        if r.code == "idempotency-key-reused":
            form.token.data = ""
        _mark_lines(form, r.errors, where)
        form.signature.data = ""
        return _intake_page(c, form, r.status)

    def done(body: dict[str, Any]) -> WResponse:
        flash(_("List %(number)s: %(n)s pieces taken in; the list and the labels are printing.",
                number=body["number"], n=body["pieces"]), "success")
        return redirect(url_for("consignment.list_page", list_id=body["id"]), 303)

    return perform(
        lambda: take_in(c.id, parse_lines(rows), present=present,
                        signature_png=_png(form.signature.data) if present else None,
                        staff_id=current_user.id, station=device_station()),
        form=form, once=OneTime("consignment-intake", [c.id, rows, present],
                                keep=lambda k: {"id": k.id, "number": k.number,
                                                "pieces": sum(ln.qty for ln in k.lines)}),
        done=done, refused=refused,
        messages={"validation": lambda exc: exc.message
                  if {"signature", "lines"} & set(exc.errors) else str(FIX_LIST)})


# --- a list -------------------------------------------------------------------------------

def _list_page(k: Consignment, *, status: int = 200,
               withdraw_form: WithdrawForm | None = None) -> Page:
    products = {p.id: p for p in db.session.scalars(select(Product).where(
        Product.id.in_([ln.product_id for ln in k.lines] or [0])))}
    intake = db.session.get(Consignment, k.intake_id) if k.intake_id else None
    withdrawals = list(db.session.scalars(select(Consignment).where(
        Consignment.intake_id == k.id).order_by(Consignment.id)))
    recorder = db.session.get(Staff, k.signature_recorded_by_id) \
        if k.signature_recorded_by_id else None
    jobs = list(db.session.scalars(select(PrintJob).where(
        PrintJob.ref.in_([k.number, *(p.code for p in products.values())]),
        PrintJob.document.in_(("consignment_list", "consignment_label")))
        .order_by(PrintJob.id.desc()).limit(50)))
    return render_template(
        "consignment/list.html", k=k, products=products, intake=intake,
        withdrawals=withdrawals, recorder=recorder, jobs=jobs, share_text=share_text,
        withdraw_form=new_token(withdraw_form or WithdrawForm(formdata=None)),
        returned_form=new_token(ReturnedSignatureForm(formdata=None)),
        reprint_form=new_token(ReprintForm(formdata=None)),
        is_manager="manager" in current_user.role_set,
        is_intake=k.kind == ConsignmentKind.INTAKE,
        waiting=k.signature_state == SignatureState.SENT), status


@roles_required(*ROLES)
def list_page(list_id: int) -> Page:
    return _list_page(db.get_or_404(Consignment, list_id))


@roles_required(*ROLES)
def reprint(list_id: int) -> Page:
    """Print the list again (as it stands now: with the signature once it came back), or
    the intake's labels again (one per piece still on our floor)."""
    k = db.get_or_404(Consignment, list_id)
    what = request.form.get("what", "list")
    form = ReprintForm()

    def call() -> int:
        if what == "labels":
            return queue_labels_again(k.id, staff_id=current_user.id, station=device_station())
        queue_list_again(k.id, staff_id=current_user.id, station=device_station())
        return 1

    def done(n: Any) -> WResponse:
        flash(_("%(n)s labels are printing.", n=n) if what == "labels"
              else _("List %(number)s is printing.", number=k.number), "success")
        return redirect(url_for("consignment.list_page", list_id=k.id), 303)

    return perform(call, form=form, done=done,
                   refused=lambda r: _list_page(k, status=r.status))


@roles_required(*ROLES)
def returned_signature(list_id: int) -> Page:
    """The signed copy came back: from the pad, or a photo of the signed paper."""
    k = db.get_or_404(Consignment, list_id)
    form = ReturnedSignatureForm()
    photo_file = request.files.get("photo")
    photo = photo_file.read() if photo_file is not None and photo_file.filename else None

    def done(_r: Any) -> WResponse:
        flash(_("The signed copy of %(number)s is recorded.", number=k.number), "success")
        return redirect(url_for("consignment.list_page", list_id=k.id), 303)

    return perform(
        lambda: record_returned_signature(k.id, signature_png=_png(form.signature.data),
                                          photo=photo, staff_id=current_user.id),
        form=form, done=done, refused=lambda r: _list_page(k, status=r.status))


@roles_required("manager")
def take_back(list_id: int) -> Page:
    """代销退还: the pieces typed per item go back to the consignor on a withdrawal list."""
    k = db.get_or_404(Consignment, list_id)
    form = WithdrawForm()
    codes = {ln.product_id: code for ln in k.lines
             if (code := db.session.scalar(select(Product.code).where(
                 Product.id == ln.product_id))) is not None}
    wanted: list[tuple[str, int]] = []
    typed_bad: dict[str, str] = {}
    for pid, code in codes.items():
        text = (request.form.get(f"qty_{pid}") or "").strip()
        if not text or text == "0":
            continue
        qty = small_int(text)
        if qty is None:
            typed_bad[code] = _("a whole number of pieces")
            continue
        wanted.append((code, qty))
    present = form.present.data == "present"

    def call() -> Consignment:
        if typed_bad:
            raise ValidationFailed(_("please correct the withdrawal"), errors=typed_bad)
        return withdraw(k.id, wanted, present=present,
                        signature_png=_png(form.signature.data) if present else None,
                        staff_id=current_user.id, station=device_station())

    def done(body: dict[str, Any]) -> WResponse:
        flash(_("Withdrawal %(number)s: the goods go back; the list is printing.",
                number=body["number"]), "success")
        return redirect(url_for("consignment.list_page", list_id=body["id"]), 303)

    return perform(
        call, form=form,
        once=OneTime("consignment-withdraw", [k.id, wanted, present],
                     keep=lambda w: {"id": w.id, "number": w.number}),
        done=done, refused=lambda r: _list_page(k, status=r.status, withdraw_form=form),
        messages={"rule": lambda exc: exc.message})


# --- what prints ----------------------------------------------------------------------------

def _pdf(body: bytes, name: str) -> Response:
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"',
                             "Cache-Control": "no-store"})


@roles_required(*ROLES)
def list_pdf(list_id: int) -> Response:
    """The list as it prints now (A5), to look at or print from the browser."""
    from printing.documents import document_from_payload
    from printing.pdf import render_pdf

    k = find_list(list_id)
    products = {p.id: p for p in db.session.scalars(select(Product).where(
        Product.id.in_([ln.product_id for ln in k.lines] or [0])))}
    staff = db.session.get(Staff, k.staff_id) if k.staff_id else None
    from flask import current_app

    payload = {"shop": current_app.config["SHOWROOM_SHOP_NAME"],
               **list_payload(k, k.lines, products, staff)}
    end_read()
    return _pdf(render_pdf(document_from_payload("consignment_list", payload)),
                f"{k.number}.pdf")


@roles_required(*ROLES)
def labels_pdf(list_id: int) -> Response:
    """Every label of an intake list, one 60 × 40 mm page per piece taken in."""
    from typing import cast

    from flask import current_app

    from printing.documents import ConsignmentLabel, document_from_payload
    from printing.pdf import render_consignment_labels

    k = find_list(list_id)
    shop = current_app.config["SHOWROOM_SHOP_NAME"]
    labels = []
    for ln in k.lines:
        product = db.session.get(Product, ln.product_id)
        if product is None:
            continue
        doc = document_from_payload("consignment_label",
                                    {"shop": shop, **label_payload(k.consignor, product)})
        labels.append((cast(ConsignmentLabel, doc), ln.qty))
    end_read()
    return _pdf(render_consignment_labels(labels), f"{k.number}-labels.pdf")
