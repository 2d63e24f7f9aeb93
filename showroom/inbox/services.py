"""The manager's inbox: what customers said (remarks), wanted (wishes) and asked beyond
reception (escalated inquiries), newest first; a manager marks each handled, once.
Services flush only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from showroom.clock import now_utc
from showroom.codes import Code
from showroom.errors import Conflict, NotFound, ValidationFailed
from showroom.extensions import db

LIMIT = 100


class InboxKind(Code):
    REMARK = "remark", "remark"
    WISH = "wish", "wish"
    INQUIRY = "inquiry", "inquiry"


def _models() -> dict[str, Any]:
    from showroom.picking.models import Remark, Wish
    from showroom.reception.models import Inquiry

    return {InboxKind.REMARK: Remark, InboxKind.WISH: Wish, InboxKind.INQUIRY: Inquiry}


def _open(kind: str) -> Any:
    model = _models()[kind]
    where = [model.handled_at.is_(None)]
    if kind == InboxKind.INQUIRY:
        where.append(model.escalated.is_(True))
    return where


@dataclass
class Inbox:
    remarks: list[Any]
    wishes: list[Any]
    inquiries: list[Any]
    handled: bool

    @property
    def count(self) -> int:
        return len(self.remarks) + len(self.wishes) + len(self.inquiries)


def inbox(*, handled: bool = False, limit: int = LIMIT) -> Inbox:
    """The open items (or, with `handled`, the latest handled ones), newest first."""
    from showroom.picking.models import Remark, Wish
    from showroom.reception.models import Inquiry

    def rows(model: Any, *extra: Any, options: tuple[Any, ...] = ()) -> list[Any]:
        where = model.handled_at.is_not(None) if handled else model.handled_at.is_(None)
        order = model.handled_at.desc() if handled else model.created_at.desc()
        return list(db.session.scalars(select(model).where(where, *extra).options(*options)
                                       .order_by(order, model.id.desc()).limit(limit)))

    return Inbox(
        remarks=rows(Remark),
        wishes=rows(Wish, options=(joinedload(Wish.customer), joinedload(Wish.product))),
        inquiries=rows(Inquiry, Inquiry.escalated.is_(True)),
        handled=handled)


def open_counts() -> dict[str, int]:
    """How many of each kind wait for a manager (for the nav badge): one query each."""
    out: dict[str, int] = {}
    for kind, model in _models().items():
        out[kind] = int(db.session.scalar(select(func.count()).select_from(model)
                                          .where(*_open(kind))) or 0)
    return out


def mark_handled(kind: str, item_id: int, *, staff_id: int) -> Any:
    """Mark one item handled now by `staff_id`; a second mark is refused (409)."""
    if kind not in InboxKind.codes():
        raise ValidationFailed(_("unknown kind of inbox item"),
                               errors={"kind": _("one of %(choices)s",
                                                 choices=", ".join(InboxKind.codes()))})
    model = _models()[kind]
    item = db.session.get(model, item_id, with_for_update=True, populate_existing=True)
    if item is None or (kind == InboxKind.INQUIRY and not item.escalated):
        raise NotFound(_("no such inbox item"))
    if item.handled_at is not None:
        raise Conflict(_("already handled"))
    item.handled_at = now_utc()
    item.handled_by_id = staff_id
    db.session.flush()
    return item


def handled_at_of(item: Any) -> datetime | None:
    return getattr(item, "handled_at", None)
