"""The manager's calendar screen: the days overridden (open or closed whatever the public
calendar says), add one, remove one; the coming festivals for reference."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from showroom import bizcal
from showroom.auth.access import roles_required
from showroom.followups import calendar as cal
from showroom.followups.forms import CalendarDayForm
from showroom.relations.services import local_today
from showroom.web.screen import OneTime, mark_fields, new_token, perform


def _page(form: CalendarDayForm, status: int = 200) -> Any:
    today = local_today()
    return render_template("followups/calendar.html", form=form, days=cal.override_days(),
                           today=today, festivals=bizcal.upcoming_festivals(today, 120),
                           source=bizcal.calendar_source(today.replace(month=12, day=31)),
                           year_end=today.replace(month=12, day=31),
                           remove_form=new_token(CalendarDayForm(formdata=None))), status


@roles_required("manager")
def calendar() -> Any:
    return _page(new_token(CalendarDayForm(formdata=None)))


@roles_required("manager")
def add_day() -> Any:
    form = CalendarDayForm()
    raw = {"day": form.day.data or "", "working": form.working.data or "",
           "note": form.note.data or ""}

    def ok(_body: Any) -> Response:
        flash(_("Calendar day saved."), "success")
        return redirect(url_for("followups.calendar"), 303)

    def refused(r: Any) -> Any:
        mark_fields(form, r.errors)
        return _page(new_token(form), r.status)

    return perform(lambda: cal.set_day(*cal.parse_day(raw), staff_id=current_user.id),
                   form=form, once=OneTime("calendar-day", raw), done=ok, refused=refused)


@roles_required("manager")
def remove_day(day: str) -> Any:
    try:
        when = date.fromisoformat(day)
    except ValueError:
        abort(404)
    form = CalendarDayForm()

    def ok(_body: Any) -> Response:
        flash(_("Override removed: the day follows the public calendar again."), "success")
        return redirect(url_for("followups.calendar"), 303)

    return perform(lambda: cal.remove_day(when), form=form,
                   once=OneTime(f"calendar-remove:{day}"), done=ok,
                   refused=lambda r: redirect(url_for("followups.calendar"), 303))
