"""My follow-ups (overdue, today, the week ahead) and the manager's list of everyone's
(filter by kind, owner, overdue); while calling, the script of seed 000 is shown; marking
one done with the outcome, a note and, for a complaint callback, the customer's rating."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.auth.models import Staff
from showroom.customers.services import may_see_phone
from showroom.extensions import db
from showroom.followups.forms import DoneForm
from showroom.followups.models import FollowUp, FollowUpKind, Outcome
from showroom.followups.scripts import script_for
from showroom.followups.services import followup_list, mark_done, parse_done, parse_rating
from showroom.reception.models import Inquiry
from showroom.web.screen import OneTime, mark_fields, new_token, perform

ROLES = ("reception", "clerk", "cashier")


def _filters() -> dict[str, Any]:
    """The manager's filters from the query string (unknown values are ignored)."""
    kind = request.args.get("kind", "")
    owner = request.args.get("owner", "")
    return {"kind": kind if kind in FollowUpKind.codes() else "",
            "owner": owner[:20], "overdue": request.args.get("overdue") == "1"}


@roles_required(*ROLES)
def mine() -> Any:
    is_manager = "manager" in current_user.role_set
    everyone = request.args.get("all") == "1" and is_manager
    filters: dict[str, Any] = (_filters() if everyone
                               else {"kind": "", "owner": "", "overdue": False})
    owner_id = None
    if filters["owner"] and filters["owner"] != "reception":
        owner_id = db.session.scalar(select(Staff.id).where(Staff.staff_no == filters["owner"]))
        owner_id = owner_id if owner_id is not None else -1
    lists = followup_list(current_user._get_current_object(), everyone=everyone,
                          kind=filters["kind"] or None, owner_id=owner_id,
                          reception=filters["owner"] == "reception")
    if filters["overdue"]:
        lists.today, lists.coming = [], []
    rows = lists.overdue + lists.today + lists.coming
    staff = (db.session.scalars(select(Staff).where(Staff.active.is_(True))
                                .order_by(Staff.staff_no)).all() if everyone else [])
    return render_template(
        "followups/mine.html", lists=lists, everyone=everyone, filters=filters,
        form=new_token(DoneForm(formdata=None)), outcomes=Outcome.offered(),
        kinds=list(FollowUpKind), staff=staff, is_manager=is_manager,
        scripts={f.id: script_for(f.kind) for f in rows}, callers=_callers(rows),
        can_phone=may_see_phone(current_user))


def _callers(rows: list[FollowUp]) -> dict[int, Inquiry]:
    """The inquiry behind each follow-up without a customer file (who to call)."""
    wanted = {f.source_id: f.id for f in rows
              if f.customer_id is None and f.source_type == "inquiry"}
    if not wanted:
        return {}
    return {wanted[i.id]: i for i in db.session.scalars(
        select(Inquiry).where(Inquiry.id.in_(wanted)))}


@roles_required(*ROLES)
def done(followup_id: int) -> Any:
    form = DoneForm()
    back = url_for("followups.mine", all=request.args.get("all") or None)

    def ok(_body: Any) -> Response:
        flash(_("Follow-up done."), "success")
        return redirect(back, 303)

    def refused(r: Any) -> Response:
        mark_fields(form, r.errors)
        return redirect(back, 303)

    raw = {"outcome": form.outcome.data or "", "note": form.note.data or "",
           "rating": form.rating.data or ""}

    def call() -> FollowUp:
        outcome, note = parse_done(raw)
        return mark_done(followup_id, outcome, note, rating=parse_rating(raw["rating"]),
                         staff=current_user._get_current_object())

    return perform(call, form=form, once=OneTime(f"followup-done:{followup_id}", raw),
                   done=ok, refused=refused,
                   messages={"validation": _("Choose how the call went (a note is needed for "
                                             "“done”, “not satisfied” and “other”; a "
                                             "complaint callback needs the rating 1–5)."),
                             "conflict": lambda e: e.message, "forbidden": lambda e: e.message})
