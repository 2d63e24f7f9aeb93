"""Reception's inquiry log (Std ch.1): log a phone / online inquiry after reading the key
details back to the caller, list the callbacks due (overdue flagged), record callbacks."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from showroom.clock import local
from showroom.db import deferred_reads
from showroom.errors import DomainError
from showroom.extensions import db
from showroom.reception import services as svc
from showroom.reception.forms import CallbackForm, InquiryForm
from showroom.reception.views import Page, fail, reception_only


def _inquiries_page(form: InquiryForm, *, review: bool = False, status: int = 200) -> Page:
    return render_template("reception/inquiries.html", form=form, review=review,
                           callbacks=svc.due_callbacks(), callback_form=CallbackForm(
                               formdata=None)), status


@reception_only
def inquiries() -> Page:
    with deferred_reads():
        return _inquiries_page(InquiryForm(formdata=None))


@reception_only
def log_inquiry() -> Page:
    """First press reads the key details back to the caller; the second saves."""
    form = InquiryForm()
    if not form.validate_on_submit():
        flash(_("Please correct the marked fields."), "error")
        return _inquiries_page(form, status=422)
    if request.form.get("action") != "save":
        return _inquiries_page(form, review=True)
    try:
        inq = svc.log_inquiry(
            channel=form.channel.data or "", caller_name=form.caller_name.data or "",
            region=form.region.data or "", phone=form.phone.data or "",
            question=form.question.data or "", reason=form.reason.data or "",
            staff_id=current_user.id, escalated=bool(form.escalated.data))
    except DomainError as exc:
        return _inquiries_page(form, status=fail(exc, form))
    db.session.commit()
    due = local(inq.callback_due_at, current_app.config["SHOWROOM_TIMEZONE"])
    flash(_("Inquiry from %(name)s logged. Call back by %(due)s.", name=inq.caller_name,
            due=due.strftime("%m-%d %H:%M")), "success")
    if inq.escalated:
        flash(_("Passed to a manager: tell the caller a manager will call back."), "warning")
    return redirect(url_for("reception.inquiries"))


@reception_only
def called_back(inquiry_id: int) -> Page:
    form = CallbackForm()
    if not form.validate_on_submit():
        flash(_("Write down what came of the callback."), "error")
        return redirect(url_for("reception.inquiries"))
    try:
        svc.mark_called_back(inquiry_id, form.note.data or "", current_user.id)
    except DomainError as exc:
        status = fail(exc, ended=_("This inquiry was already called back."))
        return _inquiries_page(InquiryForm(formdata=None), status=status)
    db.session.commit()
    flash(_("Callback recorded."), "success")
    return redirect(url_for("reception.inquiries"))
