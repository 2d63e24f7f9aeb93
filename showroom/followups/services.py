"""The one follow-up service: open a follow-up for an event (once per source, in the
event's transaction), list them for their owner or the manager, mark one done.

`open_followup` inserts with ON CONFLICT DO NOTHING on the (kind, source) key and reads
the row back, so an event retried, or two workers racing, leave exactly one follow-up and
neither fails. Lists group into overdue / today / coming, by the showroom's local day.
The owner is the customer's clerk (`owner_for`), else nobody: reception's list.
Done: an `unsatisfied` answer opens a complaint linked to the follow-up; a complaint
callback also needs the customer's rating 1–5, recorded as the complaint's feedback; an
inquiry's callback done marks the inquiry called back.
"""
from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from showroom import bizcal
from showroom.auth.models import Staff
from showroom.clock import now_utc, showroom_tz
from showroom.customers.models import Customer
from showroom.errors import Conflict, Forbidden, NotFound, Problem, ValidationFailed
from showroom.extensions import db
from showroom.followups.models import FollowUp, FollowUpKind, Outcome
from showroom.validation import clean_text

COMING_DAYS = 7
RATINGS = range(1, 6)


def owner_for(customer: Customer | None) -> int | None:
    """Who owns a follow-up about `customer`: their clerk, else nobody (reception's list)."""
    return customer.owner_id if customer is not None else None


def open_followup(kind: FollowUpKind, *, customer_id: int | None, source_type: str,
                  source_id: int, due_at: datetime, owner_id: int | None = None,
                  note: str = "") -> FollowUp:
    """The follow-up of `kind` for this source, made now unless it exists already (a retry
    or a second worker gets the existing row back, unchanged)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(FollowUp).values(
        kind=str(kind), customer_id=customer_id, source_type=source_type, source_id=source_id,
        owner_id=owner_id, due_at=due_at, outcome="", note=note, created_at=now_utc(),
    ).on_conflict_do_nothing(index_elements=["kind", "source_type", "source_id"]))
    row = db.session.scalars(select(FollowUp).where(
        FollowUp.kind == str(kind), FollowUp.source_type == source_type,
        FollowUp.source_id == source_id)).one()
    return row


def complaint_callback(complaint: object) -> FollowUp:
    """The callback after a complaint's solution was accepted: due the next working day
    (at opening time), owned by the customer's clerk, once per complaint."""
    accepted = getattr(complaint, "accepted_at", None) or now_utc()
    customer = getattr(complaint, "customer", None)
    return open_followup(FollowUpKind.COMPLAINT_CALLBACK,
                         customer_id=getattr(complaint, "customer_id", None),
                         source_type="complaint", source_id=complaint.id,  # type: ignore[attr-defined]
                         due_at=bizcal.next_working_day(accepted), owner_id=owner_for(customer))


def followups_of(source_type: str, source_id: int) -> list[FollowUp]:
    return list(db.session.scalars(select(FollowUp).where(
        FollowUp.source_type == source_type, FollowUp.source_id == source_id)
        .order_by(FollowUp.id)))


@dataclass
class FollowUpList:
    overdue: list[FollowUp] = field(default_factory=list)
    today: list[FollowUp] = field(default_factory=list)
    coming: list[FollowUp] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.coming)


def followup_list(staff: Staff | None, *, everyone: bool = False,
                  now: datetime | None = None, kind: str | None = None,
                  owner_id: int | None = None, reception: bool = False,
                  horizon_days: int | None = COMING_DAYS) -> FollowUpList:
    """Open follow-ups due up to a week ahead (`horizon_days=None`: all): `staff`'s own
    (reception also gets those nobody owns), or everyone's for the manager's list —
    narrowed to one `kind`, one owner, or (`reception`) those nobody owns."""
    now = now or now_utc()
    tz = showroom_tz()
    local_today = now.astimezone(tz).date()
    day_start = datetime.combine(local_today, time.min, tzinfo=tz)
    day_end = day_start + timedelta(days=1)
    query = (select(FollowUp).options(joinedload(FollowUp.customer), joinedload(FollowUp.owner))
             .where(FollowUp.done_at.is_(None)).order_by(FollowUp.due_at, FollowUp.id))
    if horizon_days is not None:
        query = query.where(FollowUp.due_at < day_start + timedelta(days=horizon_days + 1))
    if kind:
        query = query.where(FollowUp.kind == kind)
    if owner_id is not None:
        query = query.where(FollowUp.owner_id == owner_id)
    elif reception:
        query = query.where(FollowUp.owner_id.is_(None))
    if not everyone:
        mine = FollowUp.owner_id == (staff.id if staff is not None else -1)
        if staff is None or staff.has_role("reception"):
            mine = or_(mine, FollowUp.owner_id.is_(None))
        query = query.where(mine)
    out = FollowUpList()
    for f in db.session.scalars(query):
        if f.due_at < now:
            out.overdue.append(f)
        elif f.due_at < day_end:
            out.today.append(f)
        else:
            out.coming.append(f)
    return out


NOTE_NEEDED = (Outcome.OTHER, Outcome.DONE, Outcome.UNSATISFIED)


def parse_done(raw: Mapping[str, object]) -> tuple[str, str]:
    """`{outcome, note}` as typed: a known outcome, a note (required for "done", "other"
    and "unsatisfied": what was done, what the customer is unhappy about)."""
    errors: dict[str, str] = {}
    outcome = raw.get("outcome")
    if not isinstance(outcome, str) or outcome not in Outcome.codes():
        errors["outcome"] = Problem("bad-outcome", _("one of %(choices)s", choices=", ".join(
            str(o) for o in Outcome.offered())))
        outcome = ""
    note = clean_text(raw.get("note"), "note", errors, 500, multiline=True,
                      required=outcome in NOTE_NEEDED)
    if errors:
        raise ValidationFailed(_("please give the outcome of the call"), errors=errors)
    return outcome, note


def parse_rating(value: object) -> int | None:
    """A rating 1–5 as typed ("" / None = none given)."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value not in RATINGS:
        raise ValidationFailed(_("please give the customer's rating"), errors={
            "rating": Problem("bad-rating", _("a whole number from 1 to 5"))})
    return value


def mark_done(followup_id: int, outcome: str, note: str, *, staff: Staff,
              rating: int | None = None) -> FollowUp:
    """Done with how the call went; a follow-up is done once (a second try is refused).
    A complaint callback where the customer was reached needs `rating` (1–5): it is the
    complaint's feedback. `unsatisfied` opens a complaint linked to this follow-up."""
    f = db.session.get(FollowUp, followup_id, with_for_update=True)
    if f is None:
        raise NotFound(_("no follow-up %(id)s", id=followup_id))
    if f.owner_id is not None and f.owner_id != staff.id and "manager" not in staff.role_set:
        raise Forbidden(_("this follow-up belongs to %(name)s", name=f.owner.name if f.owner
                          else ""))
    if f.done_at is not None:
        raise Conflict(_("this follow-up was done already"))
    reached = outcome in (Outcome.SATISFIED, Outcome.UNSATISFIED)
    if f.kind == FollowUpKind.COMPLAINT_CALLBACK and reached and rating is None:
        raise ValidationFailed(_("please give the customer's rating"), errors={
            "rating": Problem("required", _("the customer's rating 1–5 is needed"))})
    if rating is not None:
        rating = parse_rating(rating)
    f.done_at = now_utc()
    f.done_by_id = staff.id
    f.outcome = outcome
    f.note = note
    db.session.flush()
    _after_done(f, staff=staff, rating=rating)
    return f


def _after_done(f: FollowUp, *, staff: Staff, rating: int | None) -> None:
    """What a done follow-up causes elsewhere, in the same transaction."""
    if f.kind == FollowUpKind.INQUIRY_CALLBACK and f.source_type == "inquiry":
        from showroom.reception.models import Inquiry

        inquiry = db.session.get(Inquiry, f.source_id)
        if inquiry is not None and inquiry.called_back_at is None:
            inquiry.called_back_at = f.done_at
            inquiry.called_back_by_id = staff.id
            inquiry.callback_note = f.note or str(Outcome(f.outcome).label)
    if f.kind == FollowUpKind.WISH_ARRIVED and f.source_type == "wish" and reached(f):
        from showroom.picking.models import Wish

        db.session.execute(update(Wish).where(Wish.id == f.source_id, Wish.notified_at.is_(None))
                           .values(notified_at=f.done_at, notified_by_id=staff.id)
                           .execution_options(synchronize_session=False))
    if f.kind == FollowUpKind.COMPLAINT_CALLBACK and rating is not None:
        feedback = _complaints("record_feedback")
        if feedback is not None:
            feedback(f.source_id, rating, f.note, staff_id=staff.id)
    if f.outcome == Outcome.UNSATISFIED:
        record = _complaints("record_complaint")
        if record is not None:
            caller, phone = _caller(f)
            record(customer_id=f.customer_id, caller=caller, phone=phone, channel="phone",
                   category="quality" if f.kind == FollowUpKind.REPAIR_CALLBACK else "service",
                   text=f.note, followup_id=f.id, staff_id=staff.id)
    db.session.flush()


def reached(f: FollowUp) -> bool:
    """The customer was reached (anything but unreachable / no answer)."""
    return f.outcome not in (Outcome.UNREACHABLE, Outcome.NO_ANSWER)


def _caller(f: FollowUp) -> tuple[str, str]:
    """Who was called, for a complaint without a customer file (an inquiry's caller)."""
    if f.customer is not None:
        return f.customer.name, f.customer.phone
    if f.source_type == "inquiry":
        from showroom.reception.models import Inquiry

        inquiry = db.session.get(Inquiry, f.source_id)
        if inquiry is not None:
            return inquiry.caller_name, inquiry.phone
    return "", ""


def _complaints(name: str) -> Any:
    """cs-complaints' service `name`, or None until that branch is merged."""
    try:
        services = importlib.import_module("showroom.complaints.services")
    except ImportError:
        return None
    return getattr(services, name, None)
