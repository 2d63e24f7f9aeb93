"""The managers' service-level dashboard (SPEC §11): each level's share met today, this
week, this month and in a date range, the late items of the range and the items at risk
now, each linking to its source. Read-only: it ends its transaction before rendering."""
from __future__ import annotations

from datetime import timedelta

from flask import render_template, request
from flask_babel import gettext as _

from showroom.auth.access import roles_required
from showroom.errors import ValidationFailed
from showroom.service_levels.dashboard import dashboard, fares, parse_range, today_local
from showroom.web.screen import end_read


def left_label(left: timedelta | None, business: bool) -> str:
    """"2 h 05 min" (opening time on business levels) or "15 s" (the greeting)."""
    if left is None:
        return ""
    seconds = int(left.total_seconds())
    if not business and seconds < 120:
        return _("%(s)d s", s=seconds)
    hours, minutes = divmod(seconds // 60, 60)
    text = _("%(h)d h %(m)02d min", h=hours, m=minutes) if hours else _("%(m)d min", m=minutes)
    return _("%(t)s of opening time", t=text) if business else text


@roles_required("manager")
def index() -> tuple[str, int] | str:
    asked_from, asked_to = request.args.get("from"), request.args.get("to")
    errors: dict[str, str] = {}
    try:
        first, last = parse_range(asked_from, asked_to)
    except ValidationFailed as exc:
        errors = exc.errors
        first, last = parse_range(None, None)
    figures = dashboard(first, last)
    end_read()
    page = render_template("service_levels/dashboard.html", figures=figures, first=first,
                           last=last, today=today_local(), fares=fares, left_label=left_label,
                           errors=errors, asked_from=asked_from, asked_to=asked_to)
    return (page, 422) if errors else page
