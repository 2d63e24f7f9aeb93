"""My follow-ups (overdue, today, the week ahead) and the manager's list of everyone's;
marking one done with the outcome of the call and a note."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.customers.services import may_see_phone
from showroom.followups.forms import DoneForm
from showroom.followups.models import Outcome
from showroom.followups.services import followup_list, mark_done, parse_done
from showroom.web.screen import OneTime, mark_fields, new_token, perform

ROLES = ("reception", "clerk", "cashier")


@roles_required(*ROLES)
def mine() -> Any:
    everyone = request.args.get("all") == "1" and "manager" in current_user.role_set
    lists = followup_list(current_user._get_current_object(), everyone=everyone)
    return render_template("followups/mine.html", lists=lists, everyone=everyone,
                           form=new_token(DoneForm(formdata=None)), outcomes=list(Outcome),
                           is_manager="manager" in current_user.role_set,
                           can_phone=may_see_phone(current_user))


@roles_required(*ROLES)
def done(followup_id: int) -> Any:
    form = DoneForm()
    back = url_for("followups.mine", all=request.args.get("all") or None)

    def ok(_body: Any) -> Response:
        flash(_("Follow-up done."), "success")
        return redirect(back, 303)

    def refused(r: Any) -> Response:
        mark_fields(form, r.errors)
        return redirect(back, 303)

    raw = {"outcome": form.outcome.data or "", "note": form.note.data or ""}
    return perform(lambda: mark_done(followup_id, *parse_done(raw),
                                     staff=current_user._get_current_object()),
                   form=form, once=OneTime(f"followup-done:{followup_id}", raw),
                   done=ok, refused=refused,
                   messages={"validation": _("Choose how the call went (a note is needed for "
                                             "“other”)."),
                             "conflict": lambda e: e.message, "forbidden": lambda e: e.message})
