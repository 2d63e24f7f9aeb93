"""Manager screens for printers and stations: printers by station with what they last
said, add / edit / disable, which station each document kind prints at, a test page
(queued for the print worker like any job: never printed inside a request), and a
preview of every document kind as the printer and the PDF renderer draw it.
"""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from printing.documents import PDF_ONLY
from printing.profiles import CHINESE_MODES, PAPER_WIDTHS
from showroom.auth.access import roles_required
from showroom.errors import DomainError, ValidationFailed
from showroom.extensions import db
from showroom.printjobs.admin_forms import ButtonForm, PrinterForm, RoutesForm
from showroom.printjobs.models import DOCUMENT_KINDS, Printer
from showroom.printjobs.printers import (
    add_printer,
    clean_printer,
    document_routes,
    page_kind_for_test,
    printers_by_station,
    queue_test_page,
    set_enabled,
    set_routes,
    update_printer,
)
from showroom.printjobs.services import list_stations

Page = Response | str | tuple[str, int]


@roles_required("manager")
def printers() -> Page:
    return _printers_page(RoutesForm(formdata=None))


def _printers_page(routes_form: RoutesForm, errors: dict[str, str] | None = None,
                   status: int = 200) -> Page:
    routes = document_routes()
    if not routes_form.is_submitted():
        for route in routes:
            routes_form[route.document].data = route.station
    by_station = printers_by_station()
    return render_template("printjobs/printers.html", by_station=by_station,
                           empty=[station for station, found in by_station if not found],
                           routes=routes, routes_form=routes_form, errors=errors or {},
                           button=ButtonForm(formdata=None), stations=list_stations()), status


@roles_required("manager")
def new_printer() -> Page:
    form = PrinterForm() if request.method == "POST" else PrinterForm(
        formdata=None, station=request.args.get("station", "")[:40])
    if request.method == "GET":
        return _form_page(form, None)
    if not form.validate_on_submit():
        flash(_("Please correct the printer's settings."), "error")
        return _form_page(form, None, status=422)
    try:
        printer = add_printer(clean_printer(**form.values(), from_screen=True))
    except ValidationFailed as exc:
        db.session.rollback()
        flash(_("Please correct the printer's settings."), "error")
        return _form_page(form, None, _field_errors(exc.errors), 422)
    name, station = printer.name, printer.station
    db.session.commit()
    flash(_("Printer %(name)s added at %(station)s.", name=name, station=station), "success")
    return redirect(url_for("printjobs.printers"), 303)


@roles_required("manager")
def edit_printer(printer_id: int) -> Page:
    printer = db.get_or_404(Printer, printer_id)
    if request.method == "GET":
        return _form_page(PrinterForm.of(printer), printer)
    form = PrinterForm()
    if not form.validate_on_submit():
        flash(_("Please correct the printer's settings."), "error")
        return _form_page(form, printer, status=422)
    try:
        update_printer(printer, clean_printer(**form.values(), current_id=printer.id, from_screen=True))
    except ValidationFailed as exc:
        db.session.rollback()
        flash(_("Please correct the printer's settings."), "error")
        return _form_page(form, db.get_or_404(Printer, printer_id), _field_errors(exc.errors), 422)
    name = printer.name
    db.session.commit()
    flash(_("Printer %(name)s saved.", name=name), "success")
    return redirect(url_for("printjobs.printers"), 303)


def _field_errors(errors: dict[str, str]) -> dict[str, str]:
    return {k: _("Required.") if v == _("required") else v for k, v in errors.items()}


def _form_page(form: PrinterForm, printer: Printer | None,
               errors: dict[str, str] | None = None, status: int = 200) -> Page:
    ctx: dict[str, Any] = {"form": form, "printer": printer, "errors": errors or {},
                           "stations": list_stations(), "button": ButtonForm(formdata=None),
                           "test_kind": page_kind_for_test(printer) if printer else None}
    return render_template("printjobs/printer_form.html", **ctx), status


@roles_required("manager")
def switch_printer(printer_id: int) -> Response:
    printer = db.get_or_404(Printer, printer_id)
    if not ButtonForm().validate_on_submit():
        flash(_("The form expired; please try again."), "error")
        return redirect(url_for("printjobs.printers"), 303)
    enabled = request.form.get("enabled") == "1"
    set_enabled(printer, enabled)
    name = printer.name
    db.session.commit()
    flash(_("Printer %(name)s enabled.", name=name) if enabled else
          _("Printer %(name)s disabled: it gets no jobs.", name=name), "success")
    return redirect(url_for("printjobs.printers"), 303)


@roles_required("manager")
def test_page(printer_id: int) -> Response:
    printer = db.get_or_404(Printer, printer_id)
    if not ButtonForm().validate_on_submit():
        flash(_("The form expired; please try again."), "error")
        return redirect(url_for("printjobs.printers"), 303)
    job = queue_test_page(printer, staff_id=current_user.id)
    job_id, name, station = job.id, printer.name, printer.station
    db.session.commit()
    flash(_("Test page for %(name)s queued (job #%(id)s); it prints when the print worker "
            "delivers it.", name=name, id=job_id), "success")
    return redirect(url_for("printjobs.station", station=station), 303)


@roles_required("manager")
def save_routes() -> Page:
    form = RoutesForm()
    if not form.validate_on_submit():
        flash(_("Please correct the document routes."), "error")
        return _printers_page(form, status=422)
    try:
        changed = set_routes(form.stations())
    except DomainError as exc:
        db.session.rollback()
        flash(_("Please correct the document routes."), "error")
        return _printers_page(form, exc.errors, 422)
    db.session.commit()
    flash(_("Document routes saved (%(n)s changed).", n=changed), "success")
    return redirect(url_for("printjobs.printers") + "#routes", 303)


@roles_required("manager")
def samples() -> str:
    """Every document kind drawn from a sample, as the printer (PNG) and as a PDF."""
    kind = request.args.get("kind", "sales_slip")
    kind = kind if kind in DOCUMENT_KINDS else "sales_slip"
    paper = request.args.get("paper", "80")
    paper = paper if paper in {str(w) for w in PAPER_WIDTHS} else "80"
    lang = "en" if request.args.get("doc_lang") == "en" else "zh"
    return render_template("printjobs/samples.html", kinds=DOCUMENT_KINDS, kind=kind,
                           paper=paper, lang=lang, pdf_only=kind in PDF_ONLY,
                           papers=PAPER_WIDTHS, modes=CHINESE_MODES)
