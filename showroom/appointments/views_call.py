"""The clerk's side of a video call: gather the goods before it, "I'm ready" from ten
minutes before (a POST: a GET never writes), start it — the `video` order opens on the
picking order screen —, end it; the polled list of today's calls on the clerk's home
(/picking/) with the 10-minute warning, and the call's bar on the order screen.

"Done" is when the clerk ends the call (通话结束) — on the order screen's bar or the
appointment's page —, not when the order is submitted: the call may end before the
order goes to the cashier (the customer thinks it over), and an order may be submitted
while the customer is still on the line."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from showroom.appointments import call as calls
from showroom.appointments import services as svc
from showroom.appointments.call import Started
from showroom.appointments.forms import ActionForm, GoodForm
from showroom.appointments.models import Appointment
from showroom.appointments.views import BOOKERS, Page, _version, appointment_page
from showroom.auth.access import roles_required
from showroom.clock import now_utc
from showroom.extensions import db
from showroom.web.screen import Refusal, mark_fields, perform

ROLE = "clerk"  # the manager passes every role check


def _back(appointment_id: int, message: str = "") -> Response:
    if message:
        flash(message, "success")
    return redirect(url_for("appointments.page", appointment_id=appointment_id), 303)


def _refused(appointment_id: int, **forms: Any) -> Any:
    def refused(r: Refusal) -> Page:
        if r.code == "forbidden":
            abort(403)
        for form in forms.values():
            if hasattr(form, "errors"):
                mark_fields(form, r.errors)
        return appointment_page(db.get_or_404(Appointment, appointment_id), status=r.status,
                                **forms)
    return refused


@roles_required(*BOOKERS)
def gather(appointment_id: int) -> Page:
    """配货: a scan or a typed code (and a quantity) onto the appointment's goods."""
    form = GoodForm()
    db.get_or_404(Appointment, appointment_id)
    return perform(lambda: calls.gather(appointment_id, code=form.code.data or "",
                                        qty=form.qty.data or "1", staff_id=current_user.id),
                   form=form, not_found=False,
                   done=lambda g: _back(appointment_id, _(
                       "%(code)s %(name)s gathered — now %(qty)d.", code=g.product.code,
                       name=g.product.name, qty=g.qty)),
                   refused=_refused(appointment_id, good_form=form),
                   messages={"not-found": lambda e: e.message})


@roles_required(*BOOKERS)
def drop(appointment_id: int, good_id: int) -> Page:
    form = ActionForm()
    return perform(lambda: calls.drop_good(appointment_id, good_id), form=form,
                   done=lambda _a: _back(appointment_id, _("Piece removed from the goods.")),
                   refused=_refused(appointment_id))


@roles_required(ROLE)
def ready(appointment_id: int) -> Page:
    """I'm ready: online ten minutes before, devices checked (Std ch.8)."""
    form = ActionForm()
    db.get_or_404(Appointment, appointment_id)
    return perform(lambda: svc.mark_ready(appointment_id, staff_id=current_user.id,
                                          version=_version(form)),
                   form=form, done=lambda _a: _back(appointment_id, _(
                       "Ready: start the call when the customer is online.")),
                   refused=_refused(appointment_id))


@roles_required(ROLE)
def start(appointment_id: int) -> Page:
    """Open (or, a second time, return) the call's video order and go to it."""
    form = ActionForm()
    db.get_or_404(Appointment, appointment_id)

    def done(s: Started) -> Response:
        if s.created:
            flash(_("Video call started: order %(number)s.", number=s.order.number), "success")
        for short in s.shortages:
            flash(_("%(code)s %(name)s: %(wanted)d gathered, only %(added)d in stock — added "
                    "%(added)d.", code=short["product_code"], name=short["name"],
                    wanted=short["wanted"], added=short["added"]), "warning")
        return redirect(url_for("picking.order", order_id=s.order.id), 303)

    return perform(lambda: calls.start_call(appointment_id, staff=current_user),
                   form=form, done=done, refused=_refused(appointment_id))


@roles_required(ROLE)
def end(appointment_id: int) -> Page:
    form = ActionForm()
    a = db.get_or_404(Appointment, appointment_id)
    order_id = a.order_id

    def done(_a: Any) -> Response:
        flash(_("Call ended. Settle the order and tell the customer what to remit."),
              "success")
        if order_id is not None:
            return redirect(url_for("picking.order", order_id=order_id), 303)
        return _back(appointment_id)

    return perform(lambda: svc.end_call(appointment_id, staff=current_user,
                                        version=_version(form)),
                   form=form, done=done, refused=_refused(appointment_id))


@roles_required(ROLE)
def mine_live() -> str:
    """Polled by the clerk's home: today's calls; from remind_at the warning."""
    rows = calls.today_for_clerk(current_user.id)
    now = now_utc()
    return render_template("appointments/_mine.html", rows=rows, now=now,
                           due=[a for a in rows if calls.due_now(a, now)],
                           form=ActionForm(formdata=None))


@roles_required(ROLE)
def order_bar(order_id: int) -> str:
    """The call's bar on the picking order screen (empty when the order is no call's)."""
    a = calls.for_order(order_id)
    return render_template("appointments/_order_bar.html", a=a, form=ActionForm(formdata=None))
