"""The manager's inbox screen: open remarks, wishes and escalated inquiries, newest
first, each with a "handled" button; the handled ones on a second list."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.customers.file_forms import ButtonForm
from showroom.customers.services import may_see_phone
from showroom.inbox.services import inbox, mark_handled, open_counts
from showroom.web.screen import Refusal, perform

Page = Response | str | tuple[str, int]


def _page(status: int = 200) -> Page:
    handled = request.args.get("handled") == "1"
    return render_template("inbox/inbox.html", box=inbox(handled=handled),
                           counts=open_counts(), button=ButtonForm(formdata=None),
                           can_phone=may_see_phone(current_user)), status


@roles_required("manager")
def index() -> Page:
    return _page()


@roles_required("manager")
def handled(kind: str, item_id: int) -> Page:
    def done(_item: object) -> Response:
        flash(_("Marked handled."), "success")
        return redirect(url_for("inbox.index"), 303)

    def refused(r: Refusal) -> Page:
        return redirect(url_for("inbox.index"), 303) if r.status == 409 else _page(r.status)

    return perform(lambda: mark_handled(kind, item_id, staff_id=current_user.id),
                   form=ButtonForm(), done=done, refused=refused, messages={
                       "conflict": _l("Someone marked this handled already."),
                       "validation": _l("Unknown kind of inbox item.")})


def open_total() -> int:
    """Open items in the inbox (the back office tile and the nav badge for managers)."""
    return sum(open_counts().values())
