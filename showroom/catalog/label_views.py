"""Manager screen for product tag labels (吊牌): find products, choose a count, print.

Search reuses the catalog's product search (exact barcode, code prefix, part of the
name). Printing queues one `product_label` job per product with copies = the count
(see showroom.catalog.labels); each row links to its tag as a PDF, drawn by the same
renderer, to check before printing a batch. Bad counts re-show the screen with the
problem on its row and nothing queued.
"""
from __future__ import annotations

from typing import cast

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import Length, Optional

from printing.documents import document_from_payload
from showroom.auth.access import roles_required
from showroom.catalog.labels import (
    MAX_COPIES,
    clean_requests,
    label_documents,
    label_payload,
    products_by_id,
    queue_labels,
)
from showroom.catalog.models import Product
from showroom.catalog.services import search_products
from showroom.errors import ValidationFailed
from showroom.extensions import db
from showroom.forms import Form
from showroom.printjobs.models import PrintJob
from showroom.validation import small_int
from showroom.web.screen import end_read, perform

Page = Response | str | tuple[str, int]


class LabelForm(Form):
    """Carries the CSRF token and the search box; the rows are read as product_id /
    copies pairs."""

    q = StringField(validators=[Optional(), Length(max=60)])


def _form_pairs() -> list[tuple[object, object]]:
    source = request.form if request.method == "POST" else request.args
    return list(zip(source.getlist("product_id"), source.getlist("copies"), strict=False))


def _page(errors: dict[str, str] | None = None, status: int = 200) -> Page:
    source = request.form if request.method == "POST" else request.args
    q = (source.get("q") or "").strip()[:60]
    results = search_products(q) if q else []
    counts = {str(pid): str(n) for pid, n in _form_pairs()}
    if request.method == "POST":  # keep the rows the manager was filling in, searched or not
        ids = [i for i in (small_int(p) for p in counts) if i is not None]
        kept = products_by_id(ids)
        results = [kept[i] for i in ids if i in kept] + [p for p in results if p.id not in kept]
    return render_template("catalog/labels.html", q=q, results=results, counts=counts,
                           errors=errors or {}, form=LabelForm(), max_copies=MAX_COPIES), status


@roles_required("manager")
def labels() -> Page:
    return _page()


@roles_required("manager")
def print_labels() -> Page:
    def done(jobs: list[PrintJob]) -> Response:
        flash(_("%(labels)s labels of %(products)s products queued for printing.",
                labels=sum(j.copies for j in jobs), products=len(jobs)), "success")
        return redirect(url_for("catalog.labels", q=request.form.get("q", "")), 303)

    return perform(lambda: queue_labels(clean_requests(_form_pairs()), staff_id=current_user.id),
                   form=LabelForm(), done=done, refused=lambda r: _page(r.errors, r.status),
                   messages=_EXPIRED)


_EXPIRED = {"form-expired": _l("The form expired; please try again."),
            "invalid-form": _l("The form expired; please try again.")}


@roles_required("manager")
def label_sheet_pdf() -> Page | Response:
    """Every chosen tag in one PDF, one label per page, repeated by its count: to check the
    whole batch before printing it (nothing is queued)."""
    from printing.documents import ProductLabel
    from printing.pdf import render_label_sheet

    form = LabelForm()
    if not form.validate_on_submit():
        flash(_("The form expired; please try again."), "error")
        return _page(status=400)
    try:
        chosen = label_documents(clean_requests(_form_pairs()))
    except ValidationFailed as exc:
        flash(exc.message, "error")
        return _page(exc.errors, 422)
    finally:
        end_read()  # read-only: nothing to keep, no transaction held while rendering
    labels = [(cast(ProductLabel, document_from_payload("product_label", payload)), copies)
              for payload, copies in chosen]
    return Response(render_label_sheet(labels), mimetype="application/pdf",
                    headers={"Content-Disposition": 'inline; filename="labels.pdf"',
                             "Cache-Control": "no-store"})


@roles_required("manager")
def label_pdf(product_id: int) -> Response:
    """One product's tag as the PDF renderer draws it (60 × 40 mm), to look at before printing."""
    from printing.pdf import render_pdf

    product = db.get_or_404(Product, product_id)
    doc = document_from_payload("product_label", label_payload(product))
    return Response(render_pdf(doc), mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename=\"label-{_safe(product.code)}.pdf\"",
                             "Cache-Control": "no-store"})


def _safe(code: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in code)
