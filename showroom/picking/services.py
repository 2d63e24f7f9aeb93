"""Follow-up picking (跟单) records besides order lines: wishes for goods we lacked,
product issues for the area owner, customer remarks, and restock tasks.

Order lines themselves live in showroom.orders.services (add_line, remove_line, …);
this module never duplicates them. Services flush, never commit; bad input raises
a domain error with field errors and writes nothing.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from flask_babel import gettext as _
from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import joinedload

from showroom.catalog.models import Area, Product
from showroom.catalog.services import clean_qty
from showroom.clock import now_utc
from showroom.customers.models import Customer
from showroom.errors import Conflict, Forbidden, NotFound, ValidationFailed, required
from showroom.extensions import db
from showroom.orders.models import EDITABLE, Order
from showroom.orders.services import create_order
from showroom.picking.models import (
    ISSUE_KINDS,
    REMARK_KINDS,
    ProductIssue,
    Remark,
    RemarkKind,
    RestockTask,
    Wish,
)
from showroom.reception.models import Visit
from showroom.reception.services import clerk_visits

if TYPE_CHECKING:
    from sqlalchemy.engine import CursorResult

MAX_WISH_TEXT = 200
MAX_REMARK_TEXT = 2000
MAX_ISSUE_NOTE = 2000


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _customer(customer_id: object) -> Customer:
    valid = isinstance(customer_id, int) and not isinstance(customer_id, bool)
    customer = db.session.get(Customer, customer_id) if valid else None
    if customer is None:
        raise ValidationFailed(_("unknown customer"), errors={"customer_id": _("no such customer")})
    return customer


# --- wishes (缺货登记) -------------------------------------------------------------

def record_wish(customer_id: int, *, product_code: str | None = None,
                description: str | None = None, qty: object = 1,
                staff_id: int | None = None, order_id: int | None = None) -> Wish:
    """A product (by code) or free text the customer wanted but we lacked."""
    errors: dict[str, str] = {}
    code = _text(product_code)
    text = _text(description)
    if product_code is not None and not isinstance(product_code, str):
        errors["product_code"] = _("must be text")
    if description is not None and not isinstance(description, str):
        errors["description"] = _("must be text")
    elif len(text) > MAX_WISH_TEXT:
        errors["description"] = _("at most %(n)s characters", n=MAX_WISH_TEXT)
    if not code and not text and not errors:
        errors["product_code"] = _("give a product code or a description")
    product: Product | None = None
    if code and "product_code" not in errors:
        product = db.session.scalar(
            select(Product).where(or_(Product.code == code, Product.code == code.upper(),
                                      Product.barcode == code))
        )
        if product is None:
            errors["product_code"] = _("no product with code %(code)s", code=code[:40])
    try:
        qty = clean_qty(qty)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(_("please correct the wish"), errors=errors)
    _customer(customer_id)
    wish = Wish(customer_id=customer_id, product_id=product.id if product else None,
                description=text, qty=qty, staff_id=staff_id, order_id=order_id)
    if product is not None:
        wish.product = product
    db.session.add(wish)
    db.session.flush()
    return wish


def open_wishes(product_code: str | None = None) -> list[Wish]:
    """Wishes nobody has been notified about yet, oldest first."""
    stmt = (select(Wish).options(joinedload(Wish.customer), joinedload(Wish.product))
            .where(Wish.notified_at.is_(None)).order_by(Wish.created_at, Wish.id))
    if product_code:
        stmt = stmt.join(Product, Product.id == Wish.product_id).where(Product.code == product_code)
    return list(db.session.scalars(stmt))


def wishes_to_notify() -> list[Wish]:
    """Open wishes whose product is back in stock: whom to call now."""
    stmt = (
        select(Wish).join(Product, Product.id == Wish.product_id)
        .options(joinedload(Wish.customer), joinedload(Wish.product))
        .where(Wish.notified_at.is_(None), Product.on_hand > 0)
        .order_by(Wish.created_at, Wish.id)
    )
    return list(db.session.scalars(stmt))


def mark_notified(wish_id: int, staff_id: int | None) -> Wish:
    wish = db.session.get(Wish, wish_id)
    if wish is None:
        raise NotFound(_("no wish %(id)s", id=wish_id))
    # One conditional UPDATE: two taps at once (two tablets) record one notification; on
    # PostgreSQL the second waits for the first's row lock and then matches nothing.
    done = cast("CursorResult[Any]", db.session.execute(
        update(Wish).where(Wish.id == wish_id, Wish.notified_at.is_(None))
        .values(notified_at=now_utc(), notified_by_id=staff_id)
        .execution_options(synchronize_session=False)))
    if done.rowcount != 1:
        raise Conflict(_("this customer was already notified"))
    db.session.refresh(wish)
    from showroom.followups.hooks import wish_notified

    wish_notified(wish, staff_id)  # its wish_arrived follow-up is done too
    return wish


# --- product issues (商品问题) -----------------------------------------------------

def report_issue(product_code_or_barcode: str, kind: str, note: str,
                 staff_id: int | None) -> ProductIssue:
    """A defect or missing label, routed to the owner of the product's area."""
    errors: dict[str, str] = {}
    key = _text(product_code_or_barcode)
    if kind not in ISSUE_KINDS:
        errors["kind"] = _("one of %(choices)s", choices=", ".join(ISSUE_KINDS))
    if note is not None and not isinstance(note, str):
        errors["note"] = _("must be text")
    elif len(_text(note)) > MAX_ISSUE_NOTE:
        errors["note"] = _("at most %(n)s characters", n=MAX_ISSUE_NOTE)
    product: Product | None = None
    if not key:
        errors["product_code"] = required()
    elif len(key) > 64:
        errors["product_code"] = _("at most %(n)s characters", n=64)
    else:
        product = db.session.scalar(
            select(Product).where(or_(Product.barcode == key, Product.code == key,
                                      Product.code == key.upper()))
        )
        if product is None:
            errors["product_code"] = _("no product with code or barcode %(code)s", code=key)
    if errors or product is None:
        raise ValidationFailed(_("please correct the product issue"), errors=errors)
    issue = ProductIssue(product_id=product.id, area_id=product.area_id, kind=kind,
                         note=_text(note), reported_by_id=staff_id)
    issue.product = product
    db.session.add(issue)
    db.session.flush()
    return issue


def area_owner_issues(owner_staff_id: int) -> list[ProductIssue]:
    """Open issues in the areas this staff member owns, oldest first."""
    stmt = (
        select(ProductIssue).join(Area, Area.id == ProductIssue.area_id)
        .options(joinedload(ProductIssue.product), joinedload(ProductIssue.area))
        .where(Area.owner_id == owner_staff_id, ProductIssue.resolved_at.is_(None))
        .order_by(ProductIssue.created_at, ProductIssue.id)
    )
    return list(db.session.scalars(stmt))


def open_issues() -> list[ProductIssue]:
    """Every open issue (for the manager, and issues in areas without an owner)."""
    stmt = (select(ProductIssue).options(joinedload(ProductIssue.product),
                                         joinedload(ProductIssue.area))
            .where(ProductIssue.resolved_at.is_(None))
            .order_by(ProductIssue.created_at, ProductIssue.id))
    return list(db.session.scalars(stmt))


def resolve_issue(issue_id: int, staff_id: int | None) -> ProductIssue:
    issue = db.session.get(ProductIssue, issue_id)
    if issue is None:
        raise NotFound(_("no product issue %(id)s", id=issue_id))
    if issue.resolved_at is not None:
        raise Conflict(_("this issue is already resolved"))
    issue.resolved_at = now_utc()  # the model keeps no resolver column; staff_id is for the API
    db.session.flush()
    return issue


# --- remarks (意见、建议、投诉) -----------------------------------------------------

def add_remark(customer_id: int, kind: str, text: str, staff_id: int | None,
               order_id: int | None = None) -> Remark:
    errors: dict[str, str] = {}
    if kind not in REMARK_KINDS:
        errors["kind"] = _("one of %(choices)s", choices=", ".join(REMARK_KINDS))
    body = _text(text)
    if not body:
        errors["text"] = required()
    elif len(body) > MAX_REMARK_TEXT:
        errors["text"] = _("at most %(n)s characters", n=MAX_REMARK_TEXT)
    if errors:
        raise ValidationFailed(_("please correct the remark"), errors=errors)
    _customer(customer_id)
    remark = Remark(customer_id=customer_id, kind=kind, text=body, staff_id=staff_id,
                    order_id=order_id)
    db.session.add(remark)
    db.session.flush()
    if kind == RemarkKind.COMPLAINT:  # a 投诉 heard on the floor goes through the gates too
        from showroom.complaints.services import remark_complaint

        remark_complaint(remark)
    return remark


def remarks_for(customer_id: int, order_id: int | None = None) -> list[Remark]:
    stmt = select(Remark).where(Remark.customer_id == customer_id)
    if order_id is not None:
        stmt = stmt.where(Remark.order_id == order_id)
    return list(db.session.scalars(stmt.order_by(Remark.created_at.desc(), Remark.id.desc())))


# --- restock tasks (归位) ---------------------------------------------------------

def open_restock_tasks() -> list[RestockTask]:
    """Goods put back by customers that still wait to be reshelved, oldest first."""
    stmt = (select(RestockTask).options(joinedload(RestockTask.product).joinedload(Product.area))
            .where(RestockTask.done_at.is_(None))
            .order_by(RestockTask.created_at, RestockTask.id))
    return list(db.session.scalars(stmt))


def complete_restock(task_id: int, staff_id: int | None) -> RestockTask:
    task = db.session.get(RestockTask, task_id)
    if task is None:
        raise NotFound(_("no restock task %(id)s", id=task_id))
    if task.done_at is not None:
        raise Conflict(_("this restock task is already done"))
    task.done_at = now_utc()
    task.done_by_id = staff_id
    db.session.flush()
    return task


# --- the clerk's screens ---------------------------------------------------------

def my_visits(clerk_id: int) -> list[Visit]:
    """Today's visits assigned to this clerk and not yet left (reception's own query)."""
    visits = clerk_visits(clerk_id)
    ids = {v.customer_id for v in visits}
    if ids:  # one query fills the identity map, so visit.customer costs nothing more
        list(db.session.scalars(select(Customer).where(Customer.id.in_(ids))))
    return visits


def editable_orders(*, clerk_id: int | None = None,
                    visit_ids: list[int] | None = None) -> list[Order]:
    """Open or awaiting orders of this clerk, or of these visits, with their customers."""
    conds = []
    if clerk_id is not None:
        conds.append(Order.clerk_id == clerk_id)
    if visit_ids:
        conds.append(Order.visit_id.in_(visit_ids))
    if not conds:
        return []
    stmt = (select(Order).options(joinedload(Order.customer))
            .where(Order.status.in_(EDITABLE), or_(*conds)).order_by(Order.id.desc()))
    return list(db.session.scalars(stmt))


def start_order(customer_id: int | None, *, staff: Any, visit_id: int | None = None,
                channel: str = "showroom") -> tuple[Order, bool]:
    """Open an order, or hand back the one already open: (order, created).

    The rule both the clerk's screen and POST /api/v1/orders follow: a clerk (who is not
    also reception or a manager) starts orders only for a visit assigned to them, and a
    visit with an open or awaiting order gets that order again instead of a second one.
    A clerk (or a manager standing in) who starts the order becomes its clerk.
    `customer_id` None means the visit's customer; given with a visit, it must be that
    visit's customer.
    """
    from showroom.reception.models import Visit

    roles = staff.role_set
    clerk_id = staff.id if roles & {"clerk", "manager"} else None
    if visit_id is None:
        if customer_id is None:
            raise ValidationFailed(_("unknown customer"),
                                   errors={"customer_id": _("no such customer")})
        return create_order(customer_id, channel=channel, clerk_id=clerk_id), True
    visit = db.session.get(Visit, visit_id)
    if visit is None:
        raise ValidationFailed(_("unknown visit"), errors={"visit_id": _("no such visit")})
    if customer_id is not None and customer_id != visit.customer_id:
        raise ValidationFailed(_("this visit is another customer's"),
                               errors={"customer_id": _("not the visit's customer")})
    if "clerk" in roles and not roles & {"reception", "manager"} \
            and visit.clerk_id != staff.id:
        raise Forbidden(_("this visit is assigned to another clerk"),
                        errors={"visit_id": _("not your visit")})
    existing = editable_orders(visit_ids=[visit.id])
    if existing:
        return existing[0], False
    return create_order(visit.customer_id, channel=channel, visit_id=visit.id,
                        clerk_id=clerk_id), True


# Every scan's answer reads it: built once (no expression or cache key per call).
_ORDER_FOR_SCREEN = (select(Order).options(joinedload(Order.customer))
                     .where(Order.id == bindparam("order_id")))


def order_for_screen(order_id: int) -> Order:
    order = db.session.scalar(_ORDER_FOR_SCREEN, {"order_id": order_id})
    if order is None:
        raise NotFound(_("no order %(id)s", id=order_id))
    return order


def order_wishes(order_id: int) -> list[Wish]:
    stmt = (select(Wish).options(joinedload(Wish.product)).where(Wish.order_id == order_id)
            .order_by(Wish.id.desc()))
    return list(db.session.scalars(stmt))
