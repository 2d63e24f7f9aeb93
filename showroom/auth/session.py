"""Browser sessions on shared tablets: Flask-Login user loading (which ends sessions from
before a sign-out, PIN change or disabling), idle sign-out after SHOWROOM_IDLE_MINUTES,
and the list of recent staff on this device for a fast user switch."""
from __future__ import annotations

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, logout_user
from sqlalchemy import bindparam, select
from werkzeug.wrappers import Response

from showroom.auth.models import Staff
from showroom.clock import now_utc
from showroom.extensions import db, login_manager

# Every request reads its staff member: a statement built once. Session.get() would build
# its primary-key clause anew each time (about 1 ms on the shop's server, per request).
_STAFF_BY_ID = select(Staff).where(Staff.id == bindparam("staff_id"))


@login_manager.user_loader
def _load_staff(user_id: str) -> Staff | None:
    """The session names "id:epoch" (Staff.get_id): a session from before the staff member
    signed out, changed their PIN or was disabled carries an old epoch and loads nobody."""
    staff_id, _sep, epoch = user_id.partition(":")
    if not (user_id.isascii() and staff_id.isdigit() and epoch.isdigit()) or len(user_id) > 40:
        return None
    staff = db.session.scalar(_STAFF_BY_ID, {"staff_id": int(staff_id)})
    if staff is None or not staff.active or staff.session_epoch != int(epoch):
        return None
    return staff


login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in with your staff number and PIN.")


@login_manager.unauthorized_handler
def _sign_in_first() -> Response:
    """To the sign-in page, and back here after. A screen polling itself (htmx) whose
    session was ended elsewhere moves the whole page there instead of swapping the
    sign-in form into a corner of the screen."""
    flash(str(login_manager.login_message), "info")
    login = url_for("auth.login", next=request.full_path.rstrip("?")
                    if request.method == "GET" else None)
    if request.headers.get("HX-Request") == "true":
        return Response("", 200, headers={"HX-Redirect": login})
    return redirect(login)


def register_session_hooks(app: Flask) -> None:
    @app.before_request
    def _idle_sign_out() -> Response | None:
        if request.endpoint in (None, "static") or request.path.startswith("/api/"):
            return None
        if not current_user.is_authenticated:
            return None
        now = now_utc().timestamp()
        last = session.get("seen_at")
        idle = current_app.config["SHOWROOM_IDLE_MINUTES"] * 60
        if last is not None and now - float(last) > idle:
            logout_user()
            session.pop("seen_at", None)
            minutes = current_app.config["SHOWROOM_IDLE_MINUTES"]
            flash(ngettext("Signed out after %(num)s minute without activity.",
                           "Signed out after %(num)s minutes without activity.", minutes), "warning")
            login = url_for("auth.login", next=request.path)
            if request.headers.get("HX-Request") == "true":  # a poll: send the whole page there
                return Response("", 200, headers={"HX-Redirect": login})
            return redirect(login)
        if not (request.method == "GET" and request.headers.get("HX-Request") == "true"):
            session["seen_at"] = now  # a screen refreshing itself is not someone using it
        return None


def remember_on_device(staff: Staff) -> None:
    """Keep the last few staff numbers used on this tablet for one-tap switching."""
    recent = [s for s in session.get("recent_staff", []) if s[0] != staff.staff_no]
    session["recent_staff"] = [[staff.staff_no, staff.name], *recent][:6]
    session["seen_at"] = now_utc().timestamp()

