"""The manager's back office: its front page, and products — list with search and paging,
add, edit (a product's page also links to printing its tag).

Search reuses the catalog's product search (exact barcode, code prefix, part of the
name). Add and edit go through the same services as the API (create_product,
update_product), so a duplicate code or barcode, a price with three decimals or an
unknown area is refused the same way: the form again with the field marked, 4xx,
nothing written.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from showroom.auth.access import roles_required
from showroom.catalog.forms import ProductForm
from showroom.catalog.models import Area, Product
from showroom.catalog.services import create_product, list_products, update_product
from showroom.extensions import db
from showroom.validation import small_int
from showroom.web.screen import Refusal, mark_fields, perform

PER_PAGE = 20


@roles_required("manager")
def back_office() -> ResponseReturnValue:
    return render_template("catalog/back_office.html")


@roles_required("manager")
def products() -> ResponseReturnValue:
    q = (request.args.get("q") or "").strip()[:60]
    page = min(small_int(request.args.get("page"), 10_000) or 1, 10_000)
    rows, more = list_products(q, page, PER_PAGE)
    return render_template("catalog/products.html", q=q, rows=rows, page=page, more=more)


def _area_choices(form: ProductForm) -> ProductForm:
    areas = db.session.execute(select(Area.code, Area.name).order_by(Area.code)).tuples().all()
    form.area.choices = [("", _("(no area)"))] + [(c, f"{c} · {n}") for c, n in areas]
    return form


def _form_page(form: ProductForm, product: Product | None, status: int = 200
               ) -> ResponseReturnValue:
    return render_template("catalog/product_form.html", form=_area_choices(form),
                           product=product), status


def _refused(form: ProductForm, product_id: int | None
             ) -> Callable[[Refusal], ResponseReturnValue]:
    def refused(refusal: Refusal) -> ResponseReturnValue:
        mark_fields(form, refusal.errors)
        product = db.session.get(Product, product_id) if product_id else None
        return _form_page(form, product, refusal.status)

    return refused


@roles_required("manager")
def new_product() -> ResponseReturnValue:
    form = ProductForm()
    if request.method == "GET":
        return _form_page(form, None)

    def done(product: Product) -> ResponseReturnValue:
        flash(_("Product %(code)s added.", code=product.code), "success")
        return redirect(url_for("catalog.product", product_id=product.id), 303)

    return perform(lambda: create_product(form.values()), form=form, done=done,
                   refused=_refused(form, None))


@roles_required("manager")
def product(product_id: int) -> ResponseReturnValue:
    """A product's page: its fields to edit, its stock, links to its tag."""
    item = db.get_or_404(Product, product_id)
    if request.method == "GET":
        form = ProductForm(obj=item)
        form.area.data = item.area.code if item.area else ""
        form.price_wholesale.data = _plain(item.price_wholesale)
        form.price_franchise.data = _plain(item.price_franchise)
        return _form_page(form, item)
    form = ProductForm()
    code = item.code

    def done(changed: Product) -> ResponseReturnValue:
        flash(_("Product %(code)s saved.", code=changed.code), "success")
        return redirect(url_for("catalog.product", product_id=changed.id), 303)

    return perform(lambda: update_product(code, form.values()), form=form, done=done,
                   refused=_refused(form, product_id))


def _plain(fen: int) -> str:
    from showroom.money import fen_str

    return fen_str(fen)
