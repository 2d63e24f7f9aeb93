"""What the clerk records on the floor besides order lines: wishes, product issues,
customer remarks, and restock tasks for goods the customer put back."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showroom.catalog.models import Area, Product
from showroom.clock import now_utc
from showroom.codes import Code
from showroom.customers.models import Customer
from showroom.db import UTCDateTime
from showroom.extensions import Model


class IssueKind(Code):
    DEFECT = "defect", _l("Defect")
    MISSING_LABEL = "missing_label", _l("Missing label")
    OTHER = "other", _l("Other")


class RemarkKind(Code):
    OPINION = "opinion", _l("Opinion")
    SUGGESTION = "suggestion", _l("Suggestion")
    COMPLAINT = "complaint", _l("Complaint")


class RecordKind(Code):
    """What the clerk records on the floor besides order lines."""
    WISH = "wish", _l("Wish")
    ISSUE = "issue", _l("Product issue")
    REMARK = "remark", _l("Remark")
    RESTOCK = "restock", _l("Restock")


ISSUE_KINDS = IssueKind.codes()
REMARK_KINDS = RemarkKind.codes()


class Wish(Model):
    """缺货登记: a product (or a description) the customer wanted but we lacked."""

    __tablename__ = "wishes"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), index=True)
    description: Mapped[str] = mapped_column(String(200), default="")
    qty: Mapped[int] = mapped_column(Integer)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notified_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # Seen and dealt with in the manager's inbox (SPEC §8): when and by whom.
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    customer: Mapped[Customer] = relationship()
    product: Mapped[Product | None] = relationship()


class ProductIssue(Model):
    """商品问题: a defect or missing label, routed to the area owner's list."""

    __tablename__ = "product_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    product: Mapped[Product] = relationship()
    area: Mapped[Area | None] = relationship()


class Remark(Model):
    """意见、建议、投诉 captured on the floor."""

    __tablename__ = "remarks"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    kind: Mapped[str] = mapped_column(String(20), default=RemarkKind.OPINION)
    text: Mapped[str] = mapped_column(Text)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    # Seen and dealt with in the manager's inbox (SPEC §8): when and by whom.
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class RestockTask(Model):
    """Goods the customer put down: someone must take them back to the shelf."""

    __tablename__ = "restock_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    qty: Mapped[int] = mapped_column(Integer)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    product: Mapped[Product] = relationship()
