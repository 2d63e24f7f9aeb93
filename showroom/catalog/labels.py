"""吊牌: product tag labels (code, name, wholesale price, barcode) printed by a manager.

A label has no business event of its own: the manager picks products and a count for
each, and one `product_label` print job is queued per product with `copies` = that
count (the worker prints the label that many times). One job per product keeps the
station screen readable (200 tags of one ring are one line, not 200) and a reprint
repeats exactly that product's batch. The price on the tag is the wholesale price; the
barcode is the product's barcode, or its code when it has none (CODE128 prints either).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from showroom.catalog.models import Product
from showroom.errors import ValidationFailed
from showroom.extensions import db
from showroom.money import fen_str
from showroom.printjobs.models import PrintJob
from showroom.printjobs.services import queue_job
from showroom.validation import small_int

MAX_COPIES = 500  # tags of one product in one go: more is a typo
MAX_PRODUCTS = 50  # products in one request


@dataclass(frozen=True)
class LabelRequest:
    product_id: int
    copies: int


def label_payload(product: Product) -> dict[str, Any]:
    """The ProductLabel snapshot of one product."""
    return {"shop": current_app.config["SHOWROOM_SHOP_NAME"], "lang": "zh",
            "code": product.code, "name": product.name,
            "price": fen_str(product.price_wholesale),
            "barcode": (product.barcode or "").strip() or product.code}


def clean_requests(raw: Sequence[tuple[object, object]]) -> list[LabelRequest]:
    """(product id, count) pairs from a form; counts of 0 / blank are skipped.

    Every bad count is reported under the product's id; nothing is queued unless all
    are good. The same product twice adds up."""
    errors: dict[str, str] = {}
    counts: dict[int, int] = {}
    for raw_id, raw_count in raw:
        product_id = small_int(str(raw_id))
        if product_id is None:
            errors["copies"] = _("unknown product %(ids)s", ids=str(raw_id)[:20])
            continue
        text = "" if raw_count is None else str(raw_count).strip()
        if not text:
            continue
        if not text.isascii() or not text.isdigit():
            errors[str(product_id)] = _("a whole number of labels")
            continue
        if int(text) == 0:
            continue
        counts[product_id] = counts.get(product_id, 0) + int(text)
        if counts[product_id] > MAX_COPIES:
            errors[str(product_id)] = _("at most %(n)s labels per product", n=MAX_COPIES)
    if not errors and not counts:
        raise ValidationFailed(_("choose how many labels to print"),
                               errors={"copies": _("choose how many labels to print")})
    if len(counts) > MAX_PRODUCTS:
        errors["copies"] = _("at most %(n)s products at a time", n=MAX_PRODUCTS)
    if errors:
        raise ValidationFailed(_("please correct the label counts"), errors=errors)
    return [LabelRequest(pid, n) for pid, n in counts.items()]


def products_by_id(ids: Sequence[int]) -> dict[int, Product]:
    if not ids:
        return {}
    found = db.session.scalars(select(Product).where(Product.id.in_(list(ids))))
    return {p.id: p for p in found}


def label_documents(requests: Sequence[LabelRequest]) -> list[tuple[dict[str, Any], int]]:
    """(payload, copies) per request, in request order; unknown products refused."""
    products = products_by_id([r.product_id for r in requests])
    missing = [r.product_id for r in requests if r.product_id not in products]
    if missing:
        raise ValidationFailed(_("please correct the label counts"), errors={
            "copies": _("unknown product %(ids)s", ids=", ".join(map(str, missing)))})
    return [(label_payload(products[r.product_id]), r.copies) for r in requests]


def queue_labels(requests: Sequence[LabelRequest], *, staff_id: int | None,
                 station: str | None = None) -> list[PrintJob]:
    """One product_label job per product, copies = its count (flushes; caller commits)."""
    jobs = []
    for payload, copies in label_documents(requests):
        jobs.append(queue_job("product_label", payload, station=station, copies=copies,
                              ref=payload["code"], staff_id=staff_id))
    return jobs
