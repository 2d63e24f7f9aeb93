"""The consignor money screens (SPEC §7), managers only: the statement (screen, PDF,
print, text for WeChat), the payout (付代销款, exactly once by the form's one-time token),
and the unsold goods older than N days to return to their consignors."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from printing.documents import document_from_payload
from showroom.auth.access import roles_required
from showroom.consignment import statement as st
from showroom.consignment.aged import aged_days, aged_goods
from showroom.consignment.models import Consignor
from showroom.consignment.money_forms import PayoutForm, StatementPrintForm
from showroom.consignment.payouts import make_payout, parse_payout, payouts_of
from showroom.errors import DomainError, RuleRefused, ValidationFailed
from showroom.extensions import db
from showroom.money import yuan
from showroom.printjobs.models import PrintJob
from showroom.printjobs.services import queue_job
from showroom.stations import device_station
from showroom.web.screen import OneTime, Refusal, end_read, mark_fields, new_token, perform

Page = str | tuple[str, int] | Response


def _consignor(consignor_id: int) -> Consignor:
    return db.get_or_404(Consignor, consignor_id)


def _period(source: Any) -> tuple[st.Period, dict[str, str]]:
    """The period asked for (default this month); a bad one falls back to this month with
    the problems named."""
    if not source.get("from") and not source.get("to"):
        return st.this_month(), {}
    try:
        return st.parse_period(source.get("from"), source.get("to")), {}
    except ValidationFailed as exc:
        return st.this_month(), {k: str(v) for k, v in exc.errors.items()}


@roles_required("manager")
def statement(consignor_id: int) -> Page:
    consignor = _consignor(consignor_id)
    period, errors = _period(request.args)
    data = st.build(consignor.id, period)
    html = render_template("consignment/statement.html", c=consignor, s=data, errors=errors,
                           asked={"from": request.args.get("from", "")[:20],
                                  "to": request.args.get("to", "")[:20]},
                           text=st.wechat_text(data), form=StatementPrintForm(formdata=None))
    return (html, 422) if errors else html


@roles_required("manager")
def statement_pdf(consignor_id: int) -> Page:
    consignor = _consignor(consignor_id)
    period, errors = _period(request.args)
    if errors:
        return redirect(_statement_url(consignor.id, request.args), 303)
    data = st.build(consignor.id, period)
    payload, name = st.payload(data), st.file_name(data)
    end_read()  # read-only: no transaction held while rendering
    from printing.pdf import render_pdf

    pdf = render_pdf(document_from_payload("consignor_statement", payload), page="A4")
    ascii_name = name.replace("代销对账单", "consignor-statement").encode(
        "ascii", "replace").decode().replace("?", "_")
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; "
                               f"filename*=UTF-8''{quote(name)}",
        "Cache-Control": "no-store"})


def _statement_url(consignor_id: int, source: Any) -> str:
    query = urlencode({k: str(source.get(k) or "")[:20] for k in ("from", "to")})
    return f"{url_for('consignor_money.statement', consignor_id=consignor_id)}?{query}"


@roles_required("manager")
def statement_print(consignor_id: int) -> Page:
    consignor = _consignor(consignor_id)
    back = _statement_url(consignor.id, request.form)

    def queue() -> PrintJob:
        period = st.parse_period(request.form.get("from"), request.form.get("to"))
        data = st.build(consignor.id, period)
        return queue_job("consignor_statement", st.payload(data),
                         ref=f"{consignor.code} {period.slug()}", staff_id=current_user.id)

    def done(job: PrintJob) -> Response:
        flash(_("Consignor statement queued for printing (job #%(id)s).", id=job.id), "success")
        return redirect(back, 303)

    def refused(r: Refusal) -> Response:
        return redirect(back, 303)

    return perform(queue, form=StatementPrintForm(), done=done, refused=refused,
                   messages={"validation": _l("Statement not printed: give the period as two "
                                              "dates like 2026-11-01.")})


def _payout_page(consignor: Consignor, form: PayoutForm, status: int = 200) -> Page:
    new_token(form)
    return render_template("consignment/payout.html", c=consignor, form=form,
                           payouts=payouts_of(consignor.id, 10),
                           debt=max(0, consignor.customer.balance)), status


@roles_required("manager")
def payout(consignor_id: int) -> Page:
    consignor = _consignor(consignor_id)
    if request.method == "GET":
        form = PayoutForm(formdata=None)
        if request.args.get("method") == "offset":
            form.method.data = "offset"
        return _payout_page(consignor, form)
    form = PayoutForm()
    raw = form.raw()

    def refused(r: Refusal) -> Page:
        mark_fields(form, {k: str(v) for k, v in r.errors.items()})
        db.session.expire_all()
        return _payout_page(_consignor(consignor_id), form, r.status)

    def done(body: dict[str, Any]) -> Response:
        flash(_("Payout %(number)s made: %(amount)s; still payable %(after)s.",
                number=body["number"], amount=yuan(body["amount"]), after=yuan(body["after"])),
              "success")
        return redirect(url_for("consignor_money.payout", consignor_id=consignor_id), 303)

    return perform(
        lambda: make_payout(consignor_id, parse_payout(raw), staff_id=current_user.id,
                            station=device_station()),
        form=form, once=OneTime(f"consignor-payout:{consignor_id}", raw,
                                keep=lambda p: {"number": p.number, "amount": p.amount,
                                                "after": p.payable_after}),
        done=done, refused=refused,
        messages={"validation": _l("A payout needs an amount like 100.00 and a method."),
                  "rule": lambda exc: _("Not paid: %(reasons)s", reasons=_reasons(exc))})


def _reasons(exc: DomainError) -> str:
    return " ".join(exc.reasons) if isinstance(exc, RuleRefused) else exc.message


@roles_required("manager")
def aged() -> Page:
    consignor_id = request.args.get("consignor", type=int)
    consignor = _consignor(consignor_id) if consignor_id else None
    return render_template("consignment/aged.html", items=aged_goods(consignor_id),
                           days=aged_days(), c=consignor)
