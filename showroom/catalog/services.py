"""Catalog and stock. Stock changes only through `move_stock`, which appends a move and
bumps the cached on-hand in the same flush."""
from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy import bindparam, or_, select, update

from showroom import text_rule
from showroom.catalog.models import Area, Product, StockMove, StockReceipt
from showroom.catalog.search import search_names
from showroom.errors import Conflict, NotFound, ValidationFailed, required
from showroom.extensions import db
from showroom.money import MoneyError, parse_fen
from showroom.numbering import next_number

MAX_QTY = 100_000


def clean_qty(value: object, field: str = "qty") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        else:
            raise ValidationFailed(_("quantity must be a whole number"),
                                   errors={field: _("whole number")})
    if value <= 0:
        raise ValidationFailed(_("quantity must be at least 1"), errors={field: _("at least 1")})
    if value > MAX_QTY:
        raise ValidationFailed(_("quantity is too large"),
                               errors={field: _("at most %(n)s", n=MAX_QTY)})
    return value


TEXT_LIMITS = {"code": 40, "barcode": 64, "name": 120, "category": 40, "care_note": 2000,
               "material": 60, "origin": 60, "washing_note": 2000, "background": 2000}
MULTILINE = frozenset({"care_note", "washing_note", "background"})
PRODUCT_FIELDS = (*TEXT_LIMITS, "price_wholesale", "price_franchise", "area")


def clean_product_fields(data: Mapping[str, object], *, partial: bool = False
                         ) -> dict[str, object]:
    """The product's fields, trimmed and checked under the one text rule; prices to fen.
    `partial` (an edit): only the fields given are checked, and an empty optional field
    clears it (a blank barcode is no barcode)."""
    errors: dict[str, str] = {}
    out: dict[str, object] = {}
    for field, limit in TEXT_LIMITS.items():
        if partial and field not in data:
            continue
        value = data.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            if field in ("code", "name"):
                errors[field] = required()
            elif partial:
                out[field] = None if field == "barcode" else ""
            continue
        if not isinstance(value, str):
            errors[field] = _("must be text")
            continue
        refused = text_rule.check(value, multiline=field in MULTILINE)
        if refused is not None:
            errors[field] = refused
        elif len(value.strip()) > limit:
            errors[field] = _("at most %(n)s characters", n=limit)
        elif field in ("code", "barcode") and (not value.strip().isprintable()
                                               or any(c.isspace() for c in value.strip())):
            errors[field] = _("letters and digits only")
        else:
            out[field] = value.strip()
    for field in ("price_wholesale", "price_franchise"):
        if partial and field not in data:
            continue
        try:
            out[field] = parse_fen(data.get(field))
        except MoneyError as exc:
            errors[field] = str(exc) if data.get(field) not in (None, "") else required()
    if errors:
        raise ValidationFailed(_("please correct the product"), errors=errors)
    return out


def area_by_code(code: str | None) -> Area | None:
    if not code:
        return None
    area = db.session.scalar(select(Area).where(Area.code == code))
    if area is None:
        raise ValidationFailed(_("unknown area %(code)s", code=code),
                               errors={"area": _("unknown area")})
    return area


def _check_unique(fields: Mapping[str, object], product_id: int | None = None) -> None:
    """A code or barcode already taken by another product: a Conflict naming it."""
    if "code" in fields:
        other = db.session.scalar(select(Product.id).where(Product.code == fields["code"]))
        if other is not None and other != product_id:
            raise Conflict(_("product code %(code)s already exists", code=fields["code"]),
                           errors={"code": _("already exists")})
    if fields.get("barcode"):
        owner = db.session.scalar(select(Product.code).where(
            Product.barcode == fields["barcode"], Product.id != (product_id or 0)))
        if owner is not None:
            raise Conflict(_("barcode %(barcode)s already belongs to product %(code)s",
                             barcode=fields["barcode"], code=owner),
                           errors={"barcode": _("already on %(code)s", code=owner)})


def _area_value(data: Mapping[str, object]) -> Area | None:
    value = data.get("area")
    if value is not None and not isinstance(value, str):
        raise ValidationFailed(_("unknown area"), errors={"area": _("unknown area")})
    return area_by_code((value or "").strip() or None)


def create_product(data: Mapping[str, object]) -> Product:
    fields = clean_product_fields(data)
    area = _area_value(data)
    _check_unique(fields)
    product = Product(area_id=area.id if area else None, on_hand=0, **fields)
    db.session.add(product)
    db.session.flush()
    return product


def update_product(code: str, data: Mapping[str, object]) -> Product:
    """Change any of the product's fields (a manager's edit, PATCH /products/{code}); the
    same rules as a new product, code and barcode still unique. Stock is not a field:
    it moves only by receipts, sales and returns."""
    product = find_product(code=code)
    fields = clean_product_fields(data, partial=True)
    _check_unique(fields, product.id)
    if "area" in data:
        area = _area_value(data)
        product.area_id = area.id if area else None
    for name, value in fields.items():
        setattr(product, name, value)
    db.session.flush()
    db.session.refresh(product)
    return product


def list_products(q: str, page: int, per_page: int = 20) -> tuple[list[Product], bool]:
    """One page of products (by code) or of a search; and whether a next page exists."""
    page = max(1, page)
    wanted = page * per_page + 1
    if (q or "").strip():
        found = search_products(q, limit=min(wanted, 1001))
    else:
        found = list(db.session.scalars(select(Product).order_by(Product.code)
                                        .offset((page - 1) * per_page).limit(per_page + 1)))
        return found[:per_page], len(found) > per_page
    rows = found[(page - 1) * per_page:page * per_page]
    return rows, len(found) > page * per_page


# Built once (every scan runs them): no expression or cache key to build per call.
BY_BARCODE = select(Product).where(Product.barcode == bindparam("barcode"))
BY_CODE = select(Product).where(Product.code == bindparam("code"))


def find_product(*, barcode: str | None = None, code: str | None = None) -> Product:
    """A scan is tried as a barcode, then as a product code."""
    if barcode:
        product = db.session.scalar(BY_BARCODE, {"barcode": barcode})
        if product is None:
            product = db.session.scalar(BY_CODE, {"code": barcode})
        if product is None:
            raise NotFound(_("no product with barcode %(barcode)s", barcode=barcode))
        return product
    if code:
        product = db.session.scalar(BY_CODE, {"code": code})
        if product is None:
            raise NotFound(_("no product with code %(code)s", code=code))
        return product
    raise ValidationFailed(_("give a barcode or a product code"),
                           errors={"barcode": _("barcode or product_code required")})


def search_products(q: str, limit: int = 30) -> list[Product]:
    """By exact barcode, code prefix, or any part of the name. Text the one text rule
    refuses (NUL, bidi marks…) matches nothing stored, and never reaches PostgreSQL."""
    q = (q or "").strip()[:60]
    if not q or text_rule.problem(q) is not None:
        return []
    exact = db.session.scalars(
        select(Product).where(or_(Product.barcode == q, Product.code == q.upper())).limit(limit)
    ).all()
    if exact:
        return list(exact)
    # A range, not LIKE 'X%': SQLite's LIKE is case-insensitive and cannot use the index.
    # Codes are upper case, but consigned goods' are the consignor code's (pf12-001): as typed.
    found: list[Product] = []
    for prefix in dict.fromkeys((q.upper(), q)):
        stmt = (select(Product).where(Product.code >= prefix,
                                      Product.code < prefix + "\U0010ffff")
                .order_by(Product.code).limit(limit - len(found)))
        found += [p for p in db.session.scalars(stmt) if p not in found]
        if len(found) >= limit:
            break
    if len(found) < limit:
        found += search_names(q, limit - len(found), exclude={p.id for p in found})
    return found


def move_stock(product_id: int, qty: int, reason: str, *, ref: str = "",
               staff_id: int | None = None, receipt_id: int | None = None) -> StockMove:
    """Append a move and change on-hand by the same amount, atomically."""
    if qty == 0:
        raise ValueError("a stock move of zero")
    move = StockMove(product_id=product_id, qty=qty, reason=reason, ref=ref,
                     staff_id=staff_id, receipt_id=receipt_id)
    db.session.add(move)
    db.session.execute(
        update(Product).where(Product.id == product_id).values(on_hand=Product.on_hand + qty)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return move


def receive_stock(lines: list[tuple[str, int]], staff_id: int | None) -> StockReceipt:
    """入库: all lines or none; unknown codes are reported together."""
    if not lines:
        raise ValidationFailed(_("a receipt needs at least one line"), errors={"lines": _("empty")})
    codes = [code for code, _ in lines]
    products = {p.code: p for p in db.session.scalars(select(Product).where(Product.code.in_(codes)))}
    missing = [c for c in codes if c not in products]
    if missing:
        unknown = _("unknown product codes: %(codes)s", codes=", ".join(missing[:10]))
        raise ValidationFailed(unknown, errors={"lines": unknown})
    receipt = StockReceipt(number=next_number("receipt"), staff_id=staff_id)
    db.session.add(receipt)
    db.session.flush()
    for code, qty in lines:
        move_stock(products[code].id, clean_qty(qty), "receipt", ref=receipt.number,
                   staff_id=staff_id, receipt_id=receipt.id)
    for p in products.values():
        db.session.refresh(p)
    from showroom.followups.hooks import wishes_arrived

    wishes_arrived(p.id for p in products.values())  # whoever wished for them: a call
    return receipt
