"""The relations screens: birthdays and festivals with a greeting to copy into WeChat,
the New Year gift list, the weekly contact list; two POSTs plan the follow-ups (greetings,
this week's contacts), once per customer and occasion / week."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.auth.models import Staff
from showroom.customers.services import may_see_phone
from showroom.extensions import db
from showroom.followups.forms import DoneForm
from showroom.relations import services as rel
from showroom.web.screen import OneTime, new_token, perform

ROLES = ("clerk",)  # the manager passes every role check
DAY_CHOICES = (7, 14, 30, 60, 90)


def _days(default: int) -> int:
    """?days= from the offered choices (anything else: the default)."""
    raw = request.args.get("days", "")
    return int(raw) if raw.isdigit() and int(raw) in DAY_CHOICES else default


def _me() -> Staff:
    return current_user._get_current_object()


def _token() -> str:
    return str(new_token(DoneForm(formdata=None)).token.data)


@roles_required(*ROLES)
def birthdays() -> Any:
    days = _days(30)
    return render_template("relations/birthdays.html", rows=rel.birthday_list(_me(), days=days),
                           days=days, choices=DAY_CHOICES, token=_token(),
                           can_phone=may_see_phone(current_user))


@roles_required(*ROLES)
def festivals() -> Any:
    days = _days(60)
    return render_template("relations/festivals.html", festivals=rel.festival_list(_me(),
                                                                                   days=days),
                           days=days, choices=DAY_CHOICES, token=_token())


@roles_required(*ROLES)
def gifts() -> Any:
    return render_template("relations/gifts.html", customers=rel.gift_list(_me()),
                           today=rel.local_today(), owners=_names())


def _names() -> dict[int, str]:
    return {i: n for i, n in db.session.execute(select(Staff.id, Staff.name))}


def _owner_arg() -> tuple[str, int | None]:
    """The manager's ?owner=staff_no (a clerk always sees their own)."""
    staff_no = request.values.get("owner", "")[:20]
    if not staff_no or "manager" not in current_user.role_set:
        return "", None
    found = db.session.scalar(select(Staff.id).where(Staff.staff_no == staff_no))
    return staff_no, found if found is not None else -1


@roles_required(*ROLES)
def weekly() -> Any:
    owner, owner_id = _owner_arg()
    raw_quiet = request.args.get("quiet", "")
    quiet = int(raw_quiet) if raw_quiet in ("7", "15", "30") else 0
    clerks = (db.session.scalars(select(Staff).where(Staff.active.is_(True))
                                 .order_by(Staff.staff_no)).all()
              if "manager" in current_user.role_set else [])
    return render_template("relations/weekly.html",
                           rows=rel.weekly_list(_me(), owner_id=owner_id, quiet=quiet),
                           owner=owner, quiet=quiet, clerks=[c for c in clerks
                                                             if c.has_role("clerk")],
                           week=rel.week_source(rel.local_today())[5:], token=_token(),
                           cadence=rel.CADENCE_DAYS, owners=_names())


class _TokenForm(DoneForm):
    """Only the one-time token and CSRF are read from the planning forms."""


@roles_required(*ROLES)
def plan_week() -> Any:
    owner, owner_id = _owner_arg()
    form = _TokenForm()

    def ok(body: Any) -> Response:
        n = int(body.get("n", 0)) if isinstance(body, dict) else 0
        flash(ngettext("%(num)d weekly contact on the follow-up lists.",
                       "%(num)d weekly contacts on the follow-up lists.", n), "success")
        return redirect(url_for("relations.weekly", owner=owner or None), 303)

    return perform(lambda: rel.plan_week(_me(), owner_id=owner_id), form=form,
                   once=OneTime("plan-week", owner, keep=lambda made: {"n": len(made)}),
                   done=ok, refused=lambda r: redirect(url_for("relations.weekly"), 303))


@roles_required(*ROLES)
def plan_greetings() -> Any:
    days = _days(14)
    back = request.form.get("back", "")
    target = url_for("relations.festivals" if back == "festivals" else "relations.birthdays")
    form = _TokenForm()

    def ok(body: Any) -> Response:
        n = int(body.get("n", 0)) if isinstance(body, dict) else 0
        flash(ngettext("%(num)d greeting on the follow-up lists.",
                       "%(num)d greetings on the follow-up lists.", n), "success")
        return redirect(target, 303)

    return perform(lambda: rel.plan_greetings(_me(), days=days), form=form,
                   once=OneTime("plan-greetings", days, keep=lambda made: {"n": len(made)}),
                   done=ok, refused=lambda r: redirect(target, 303),
                   messages={"*": _("Nothing was planned.")})
