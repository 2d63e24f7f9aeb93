"""对账单 from the customer page: download the PDF, or queue it for the statement printer.

Only cashier and manager (the roles that see debts, SPEC §12). The period defaults to
the current showroom-local month; a bad period sends the manager back to the customer
page with the problem named and nothing rendered or queued. Statements are PDF only
(SPEC §10), so the print job goes to the kind's routed station (the manager's PDF /
office printer), not to the desk's receipt printer.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from printing.documents import document_from_payload
from showroom.customers.models import Customer
from showroom.customers.services import may_see_debt
from showroom.customers.statement import (
    Period,
    file_name,
    parse_period,
    statement_payload,
    this_month,
)
from showroom.errors import ValidationFailed
from showroom.extensions import db
from showroom.forms import Form
from showroom.labels import label
from showroom.printjobs.models import PrintJob
from showroom.printjobs.services import queue_job
from showroom.web.screen import Refusal, end_read, perform


class StatementForm(Form):
    """Carries the CSRF token of the print button; the dates are plain from / to inputs."""


def _statement_form() -> dict[str, Any]:
    """The customer page's statement form: the period asked for, else this month."""

    def statement_form() -> dict[str, Any]:
        month = this_month()
        return {"form": StatementForm(),
                "from": request.args.get("from", month.start.isoformat())[:10],
                "to": request.args.get("to", month.end.isoformat())[:10]}

    return {"statement_form": statement_form}


def _allowed_customer(customer_id: int) -> Customer:
    if not may_see_debt(current_user):
        abort(403)  # a statement is the customer's debt
    return db.get_or_404(Customer, customer_id)


def _period(source: Any) -> Period:
    return parse_period(source.get("from"), source.get("to"))


def _back(customer_id: int, source: Any, exc: ValidationFailed) -> Response:
    """To the customer page, the period kept in the form and every problem named."""
    problems = _("; ").join(_("%(label)s: %(value)s", label=_field(f), value=msg)
                            for f, msg in exc.errors.items())
    flash(_("Statement not made: %(problems)s", problems=problems), "error")
    return redirect(_detail_url(customer_id, source.get("from"), source.get("to")), 303)


def _field(name: str) -> str:
    return _("From") if name == "from" else _("To") if name == "to" else label(name, "field")


@login_required
def statement_pdf(customer_id: int) -> Response:
    """GET for a link; the page's button POSTs, so its CSRF token stays out of the URL."""
    customer = _allowed_customer(customer_id)
    source = request.form if request.method == "POST" else request.args
    try:
        period = _period(source)
    except ValidationFailed as exc:
        return _back(customer_id, source, exc)
    from printing.pdf import render_pdf

    payload = statement_payload(customer.id, period)
    name = file_name(customer, period)
    end_read()  # read-only: no transaction (SQLite write lock) held while rendering
    pdf = render_pdf(document_from_payload("customer_statement", payload), page="A4")
    disposition = f"attachment; filename=\"{_ascii(name)}\"; filename*=UTF-8''{quote(name)}"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": disposition, "Cache-Control": "no-store"})


def _ascii(name: str) -> str:
    """statement-K00042-2026-11.pdf for clients that ignore filename*."""
    return name.replace("对账单", "statement")


@login_required
def statement_print(customer_id: int) -> Response:
    customer = _allowed_customer(customer_id)
    back = url_for("customers.detail", customer_id=customer_id)
    form = StatementForm()

    def queue() -> tuple[Period, PrintJob]:
        period = _period(request.form)
        return period, queue_job("customer_statement", statement_payload(customer.id, period),
                                 ref=f"{customer.code} {period.slug()}", staff_id=current_user.id)

    def done(made: tuple[Period, PrintJob]) -> Response:
        period, job = made
        flash(_("Statement %(start)s – %(end)s queued for printing (job #%(id)s).",
                start=period.start.isoformat(), end=period.end.isoformat(), id=job.id),
              "success")
        return redirect(_detail_url(customer_id, period.start.isoformat(),
                                    period.end.isoformat()), 303)

    def refused(r: Refusal) -> Response:
        if isinstance(r.error, ValidationFailed):
            return _back(customer_id, request.form, r.error)
        flash(r.message, "error")
        return redirect(back + "#statement", 303)

    result: Response = perform(queue, form=form, done=done, refused=refused, say=False,
                               messages={"form-expired": _l("The form expired; please try "
                                                            "again."),
                                         "invalid-form": _l("The form expired; please try "
                                                            "again.")})
    return result


def _detail_url(customer_id: int, start: str | None, end: str | None) -> str:
    """The customer page with this period in the statement form."""
    query = urlencode({"from": (start or "")[:20], "to": (end or "")[:20]})
    return f"{url_for('customers.detail', customer_id=customer_id)}?{query}#statement"
