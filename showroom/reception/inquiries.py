"""Phone and online inquiries (Std ch.1, ch.9): who called, from where, what and why;
every inquiry gets a callback within SHOWROOM_CALLBACK_HOURS (24 h). Services flush only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from showroom.clock import now_utc
from showroom.customers.models import Customer
from showroom.customers.services import PHONE_RE
from showroom.errors import InvalidTransition, NotFound, Problem, ValidationFailed
from showroom.extensions import db
from showroom.reception.models import Inquiry
from showroom.validation import clean_text

INQUIRY_CHANNELS = ("phone", "online")
URGENCIES = ("", "A", "B", "C")
LIMITS = {"caller_name": 60, "region": 60, "phone": 30, "question": 2000, "reason": 1000,
          "note": 2000}


def _text(value: object, field: str, errors: dict[str, str], *, required: bool = False) -> str:
    return clean_text(value, field, errors, LIMITS[field], required=required,
                      multiline=field in ("question", "reason", "note"))


def _urgency(value: object, errors: dict[str, str]) -> str:
    """A prospect's urgency (Std ch.13 §9): "" not rated, A, B or C."""
    text = value.strip().upper() if isinstance(value, str) else value
    if text not in URGENCIES:
        errors["urgency"] = Problem("bad-urgency", _("A, B, C or empty"))
        return ""
    return str(text)


def log_inquiry(*, channel: str, caller_name: str, region: str, phone: str, question: str,
                reason: str, staff_id: int | None, escalated: bool = False,
                urgency: str = "") -> Inquiry:
    """Log a phone / online inquiry; its callback is due within SHOWROOM_CALLBACK_HOURS."""
    errors: dict[str, str] = {}
    if channel not in INQUIRY_CHANNELS:
        errors["channel"] = _("one of %(choices)s", choices=", ".join(INQUIRY_CHANNELS))
    caller_name = _text(caller_name, "caller_name", errors, required=True)
    region = _text(region, "region", errors)
    phone = _text(phone, "phone", errors, required=True)
    if phone and "phone" not in errors and not PHONE_RE.match(phone):
        errors["phone"] = _("a phone number of 6 to 20 digits")
    question = _text(question, "question", errors, required=True)
    reason = _text(reason, "reason", errors)
    urgency = _urgency(urgency, errors)
    if errors:
        raise ValidationFailed(_("please correct the inquiry"), errors=errors)
    customer_id = db.session.scalar(select(Customer.id).where(Customer.phone == phone).limit(1))
    created = now_utc()
    hours = int(current_app.config.get("SHOWROOM_CALLBACK_HOURS", 24))
    inquiry = Inquiry(channel=channel, caller_name=caller_name, region=region, phone=phone,
                      question=question, reason=reason, escalated=bool(escalated),
                      customer_id=customer_id, staff_id=staff_id, created_at=created, urgency=urgency,
                      callback_due_at=created + timedelta(hours=hours), callback_note="")
    db.session.add(inquiry)
    db.session.flush()
    from showroom.followups.hooks import inquiry_callback

    inquiry_callback(inquiry)  # the follow-up; callback_due_at = its due time
    return inquiry


@dataclass(frozen=True)
class CallbackRow:
    inquiry: Inquiry
    overdue: bool
    due_in_seconds: int  # negative when overdue


def due_callbacks(now: datetime | None = None, limit: int = 200) -> list[CallbackRow]:
    """Inquiries not yet called back, soonest due first; overdue ones flagged."""
    now = now or now_utc()
    stmt = (select(Inquiry).where(Inquiry.called_back_at.is_(None))
            .order_by(Inquiry.callback_due_at, Inquiry.id).limit(limit))
    return [CallbackRow(i, i.callback_due_at < now, int((i.callback_due_at - now).total_seconds()))
            for i in db.session.scalars(stmt)]


def mark_called_back(inquiry_id: int, note: str, staff_id: int | None) -> Inquiry:
    errors: dict[str, str] = {}
    note = _text(note, "note", errors, required=True)
    if errors:
        raise ValidationFailed(_("please say what came of the callback"), errors=errors)
    inquiry = db.session.execute(
        select(Inquiry).where(Inquiry.id == inquiry_id).with_for_update()
    ).scalar_one_or_none()
    if inquiry is None:
        raise NotFound(_("no inquiry %(id)s", id=inquiry_id))
    db.session.refresh(inquiry)
    if inquiry.called_back_at is not None:
        raise InvalidTransition(_("inquiry %(id)s was already called back", id=inquiry_id))
    inquiry.called_back_at = now_utc()
    inquiry.callback_note = note
    inquiry.called_back_by_id = staff_id
    db.session.flush()
    from showroom.followups.hooks import inquiry_called_back

    inquiry_called_back(inquiry)
    return inquiry
