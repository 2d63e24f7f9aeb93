"""The see-off screen (送客, Std ch.7): a touch-first departure checklist on the visit —
locker key back, belongings taken, how the customer travels, "tell me first when new
goods arrive" — that closes the visit.

Reception, packers and managers may see off any visit; a clerk sees off the customers
assigned to them (the follow-up clerk walks the customer downstairs). Reached from the
visit page, the clerk's customer list and the packing screen after sealing; once done it
returns to the signed-in person's home screen.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional

from showroom.auth.access import roles_required
from showroom.db import deferred_reads
from showroom.extensions import db
from showroom.forms import Form
from showroom.labels import label
from showroom.reception.departure import see_off
from showroom.reception.models import TRAVEL_MODES, Visit
from showroom.reception.views import MESSAGES, Page, mark
from showroom.web.screen import Refusal, perform

SEE_OFF_ROLES = ("reception", "clerk", "packer")  # a manager passes every role check


class SeeOffForm(Form):
    """The checklist; the service decides what is missing, so messages have one source."""

    locker_key_returned = BooleanField()
    belongings_taken = BooleanField()
    travel_mode = StringField(validators=[Optional(), Length(max=12)])
    new_goods_opt_in = BooleanField()


def _visit_for_me(visit_id: int) -> Visit:
    visit = db.get_or_404(Visit, visit_id)
    if not current_user.has_role("reception", "packer") and visit.clerk_id != current_user.id:
        abort(403)  # a clerk: only their own customers
    return visit


def _page(visit: Visit, form: SeeOffForm, status: int = 200) -> Page:
    modes = [(m, label(m, "travel_mode")) for m in TRAVEL_MODES]
    return render_template("reception/see_off.html", visit=visit, form=form, modes=modes), status


@roles_required(*SEE_OFF_ROLES)
def see_off_page(visit_id: int) -> Page:
    with deferred_reads():
        visit = _visit_for_me(visit_id)
        form = SeeOffForm(formdata=None)
        form.new_goods_opt_in.data = visit.customer.new_goods_first
        return _page(visit, form)


@roles_required(*SEE_OFF_ROLES)
def see_off_submit(visit_id: int) -> Page:
    _visit_for_me(visit_id)
    form = SeeOffForm()

    def done(gone: Visit) -> Response:
        flash(_("%(name)s has been seen off. Thank you!", name=gone.customer.name), "success")
        if gone.new_goods_opt_in:
            flash(_("%(name)s is on the new-goods-first list.", name=gone.customer.name),
                  "success")
        return redirect(url_for("auth.home"))

    def refused(r: Refusal) -> Page:
        mark(form, r)
        return _page(db.get_or_404(Visit, visit_id), form, r.status)

    return perform(lambda: see_off(
        visit_id, locker_key_returned=bool(form.locker_key_returned.data),
        belongings_taken=bool(form.belongings_taken.data), travel_mode=form.travel_mode.data or "",
        new_goods_opt_in=bool(form.new_goods_opt_in.data), staff_id=current_user.id),
        form=form, done=done, refused=refused, messages=MESSAGES)
