"""The clerk's follow-up lists: whom to call now that stock arrived, product issues in
my areas, goods waiting to go back to the shelf. Each list item has one button. Below the
wishes: the customers who asked to hear first about new goods (新货先通知, Std ch.7)."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.picking import services as picking
from showroom.picking.forms import VersionForm
from showroom.reception.departure import new_goods_customers
from showroom.web.screen import perform

ROLE = "clerk"


@roles_required(ROLE)
def tasks() -> str:
    manager = "manager" in current_user.role_set
    issues = picking.open_issues() if manager else picking.area_owner_issues(current_user.id)
    return render_template("picking/tasks.html", wishes=picking.wishes_to_notify(),
                           issues=issues, restock=picking.open_restock_tasks(),
                           all_issues=manager, form=VersionForm(),
                           new_goods=new_goods_customers())


def _act(action: Any, done: str) -> Response:
    """One button (CSRF still checked): do it, say so, back to the lists either way."""
    back = redirect(url_for("picking.tasks"))

    def did(_result: Any) -> Response:
        flash(done, "success")
        return back

    return perform(action, form=VersionForm(), done=did, refused=lambda _r: back,
                   say=True, not_found=False)


@roles_required(ROLE)
def wish_notified(wish_id: int) -> Response:
    return _act(lambda: picking.mark_notified(wish_id, current_user.id),
                _("Marked as notified."))


@roles_required(ROLE)
def issue_resolved(issue_id: int) -> Response:
    return _act(lambda: picking.resolve_issue(issue_id, current_user.id), _("Issue resolved."))


@roles_required(ROLE)
def restock_done(task_id: int) -> Response:
    return _act(lambda: picking.complete_restock(task_id, current_user.id),
                _("Back on the shelf."))
