"""The one follow-up service: open a follow-up for an event (once per source, in the
event's transaction), list them for their owner or the manager, mark one done.

`open_followup` inserts with ON CONFLICT DO NOTHING on the (kind, source) key and reads
the row back, so an event retried, or two workers racing, leave exactly one follow-up and
neither fails. Lists group into overdue / today / coming, by the showroom's local day.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from showroom.auth.models import Staff
from showroom.clock import now_utc, showroom_tz
from showroom.errors import Conflict, Forbidden, NotFound, Problem, ValidationFailed
from showroom.extensions import db
from showroom.followups.models import FollowUp, FollowUpKind, Outcome
from showroom.validation import clean_text

COMING_DAYS = 7


def open_followup(kind: FollowUpKind, *, customer_id: int, source_type: str, source_id: int,
                  due_at: datetime, owner_id: int | None = None) -> FollowUp:
    """The follow-up of `kind` for this source, made now unless it exists already."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(FollowUp).values(
        kind=str(kind), customer_id=customer_id, source_type=source_type, source_id=source_id,
        owner_id=owner_id, due_at=due_at, outcome="", note="", created_at=now_utc(),
    ).on_conflict_do_nothing(index_elements=["kind", "source_type", "source_id"]))
    row = db.session.scalars(select(FollowUp).where(
        FollowUp.kind == str(kind), FollowUp.source_type == source_type,
        FollowUp.source_id == source_id)).one()
    return row


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
                  now: datetime | None = None) -> FollowUpList:
    """Open follow-ups due up to a week ahead: `staff`'s own (reception also gets those
    nobody owns), or everyone's for the manager's list."""
    now = now or now_utc()
    tz = showroom_tz()
    local_today = now.astimezone(tz).date()
    day_start = datetime.combine(local_today, time.min, tzinfo=tz)
    day_end = day_start + timedelta(days=1)
    horizon = day_start + timedelta(days=COMING_DAYS + 1)
    query = (select(FollowUp).options(joinedload(FollowUp.customer), joinedload(FollowUp.owner))
             .where(FollowUp.done_at.is_(None), FollowUp.due_at < horizon)
             .order_by(FollowUp.due_at, FollowUp.id))
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


def parse_done(raw: Mapping[str, object]) -> tuple[str, str]:
    """`{outcome, note}` as typed: a known outcome, a note (required for "other")."""
    errors: dict[str, str] = {}
    outcome = raw.get("outcome")
    if not isinstance(outcome, str) or outcome not in Outcome.codes():
        errors["outcome"] = Problem("bad-outcome", _("one of %(choices)s",
                                                     choices=", ".join(Outcome.codes())))
        outcome = ""
    note = clean_text(raw.get("note"), "note", errors, 500, multiline=True,
                      required=outcome == Outcome.OTHER)
    if errors:
        raise ValidationFailed(_("please give the outcome of the call"), errors=errors)
    return outcome, note


def mark_done(followup_id: int, outcome: str, note: str, *, staff: Staff) -> FollowUp:
    """Done with how the call went; a follow-up is done once (a second try is refused)."""
    f = db.session.get(FollowUp, followup_id, with_for_update=True)
    if f is None:
        raise NotFound(_("no follow-up %(id)s", id=followup_id))
    if f.owner_id is not None and f.owner_id != staff.id and "manager" not in staff.role_set:
        raise Forbidden(_("this follow-up belongs to %(name)s", name=f.owner.name if f.owner
                          else ""))
    if f.done_at is not None:
        raise Conflict(_("this follow-up was done already"))
    f.done_at = now_utc()
    f.done_by_id = staff.id
    f.outcome = outcome
    f.note = note
    db.session.flush()
    return f
