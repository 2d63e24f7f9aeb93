"""Reception's inquiry log (Std ch.1): log a phone / online inquiry after reading the key
details back to the caller, list the callbacks due (overdue flagged), record callbacks."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from showroom.clock import local
from showroom.db import deferred_reads
from showroom.reception import services as svc
from showroom.reception.forms import CallbackForm, InquiryForm
from showroom.reception.models import Inquiry
from showroom.reception.views import Page, mark, messages, reception_only
from showroom.web.screen import Refusal, perform


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
    if request.form.get("action") != "save":
        if not form.validate_on_submit():
            flash(_("Please correct the marked fields."), "error")
            return _inquiries_page(form, status=422)
        return _inquiries_page(form, review=True)

    def done(inq: Inquiry) -> Response:
        due = local(inq.callback_due_at, current_app.config["SHOWROOM_TIMEZONE"])
        flash(_("Inquiry from %(name)s logged. Call back by %(due)s.", name=inq.caller_name,
                due=due.strftime("%m-%d %H:%M")), "success")
        if inq.escalated:
            flash(_("Passed to a manager: tell the caller a manager will call back."), "warning")
        return redirect(url_for("reception.inquiries"))

    def refused(r: Refusal) -> Page:
        mark(form, r)
        return _inquiries_page(form, status=r.status)

    return perform(lambda: svc.log_inquiry(
        channel=form.channel.data or "", caller_name=form.caller_name.data or "",
        region=form.region.data or "", phone=form.phone.data or "",
        question=form.question.data or "", reason=form.reason.data or "",
        staff_id=current_user.id, escalated=bool(form.escalated.data),
        urgency=form.urgency.data or ""),
        form=form, done=done, refused=refused, messages=messages())


@reception_only
def called_back(inquiry_id: int) -> Page:
    form = CallbackForm()

    def done(_inq: Inquiry) -> Response:
        flash(_("Callback recorded."), "success")
        return redirect(url_for("reception.inquiries"))

    def refused(r: Refusal) -> Page:
        if r.code == "invalid-form":
            return redirect(url_for("reception.inquiries"))
        return _inquiries_page(InquiryForm(formdata=None), status=r.status)

    return perform(lambda: svc.mark_called_back(inquiry_id, form.note.data or "",
                                                current_user.id),
                   form=form, done=done, refused=refused, messages=messages(**{
                       "invalid-form": _l("Write down what came of the callback."),
                       "invalid-transition": _l("This inquiry was already called back.")}))
