"""Manager screens for printers and stations: printers by station with what they last
said, add / edit / disable, which station each document kind prints at, a test page
(queued for the print worker like any job: never printed inside a request), and a
preview of every document kind as the printer and the PDF renderer draw it.
"""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from printing.documents import PDF_ONLY
from printing.profiles import CHINESE_MODES, PAPER_WIDTHS
from showroom.auth.access import roles_required
from showroom.errors import problem_code
from showroom.extensions import db
from showroom.printjobs.admin_forms import ButtonForm, PrinterForm, RoutesForm
from showroom.printjobs.models import DOCUMENT_KINDS, Printer, PrintJob
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
from showroom.web.screen import Refusal, perform

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


_PRINTER_MESSAGES = {"invalid-form": _l("Please correct the printer's settings."),
                     "validation": _l("Please correct the printer's settings.")}


@roles_required("manager")
def new_printer() -> Page:
    form = PrinterForm() if request.method == "POST" else PrinterForm(
        formdata=None, station=request.args.get("station", "")[:40])
    if request.method == "GET":
        return _form_page(form, None)

    def done(printer: Printer) -> Response:
        flash(_("Printer %(name)s added at %(station)s.", name=printer.name,
                station=printer.station), "success")
        return redirect(url_for("printjobs.printers"), 303)

    return perform(lambda: add_printer(clean_printer(**form.values(), from_screen=True)),
                   form=form, done=done, messages=_PRINTER_MESSAGES,
                   refused=lambda r: _form_page(form, None, _field_errors(r.errors), r.status))


@roles_required("manager")
def edit_printer(printer_id: int) -> Page:
    printer = db.get_or_404(Printer, printer_id)
    if request.method == "GET":
        return _form_page(PrinterForm.of(printer), printer)
    form = PrinterForm()

    def done(_none: None) -> Response:
        flash(_("Printer %(name)s saved.", name=printer.name), "success")
        return redirect(url_for("printjobs.printers"), 303)

    return perform(
        lambda: update_printer(printer, clean_printer(**form.values(), current_id=printer.id,
                                                      from_screen=True)),
        form=form, done=done, messages=_PRINTER_MESSAGES,
        refused=lambda r: _form_page(form, db.get_or_404(Printer, printer_id),
                                     _field_errors(r.errors), r.status))


def _field_errors(errors: dict[str, str]) -> dict[str, str]:
    return {k: _("Required.") if problem_code(v) == "required" else v for k, v in errors.items()}


def _form_page(form: PrinterForm, printer: Printer | None,
               errors: dict[str, str] | None = None, status: int = 200) -> Page:
    ctx: dict[str, Any] = {"form": form, "printer": printer, "errors": errors or {},
                           "stations": list_stations(), "button": ButtonForm(formdata=None),
                           "test_kind": page_kind_for_test(printer) if printer else None}
    return render_template("printjobs/printer_form.html", **ctx), status


def _to_printers(_r: Refusal) -> Response:
    return redirect(url_for("printjobs.printers"), 303)


_EXPIRED = {"form-expired": _l("The form expired; please try again."),
            "invalid-form": _l("The form expired; please try again.")}


@roles_required("manager")
def switch_printer(printer_id: int) -> Response:
    printer = db.get_or_404(Printer, printer_id)
    enabled = request.form.get("enabled") == "1"

    def done(_none: None) -> Response:
        flash(_("Printer %(name)s enabled.", name=printer.name) if enabled else
              _("Printer %(name)s disabled: it gets no jobs.", name=printer.name), "success")
        return redirect(url_for("printjobs.printers"), 303)

    result: Response = perform(lambda: set_enabled(printer, enabled), form=ButtonForm(),
                               done=done, refused=_to_printers, messages=_EXPIRED)
    return result


@roles_required("manager")
def test_page(printer_id: int) -> Response:
    printer = db.get_or_404(Printer, printer_id)

    def done(job: PrintJob) -> Response:
        flash(_("Test page for %(name)s queued (job #%(id)s); it prints when the print "
                "worker delivers it.", name=printer.name, id=job.id), "success")
        return redirect(url_for("printjobs.station", station=printer.station), 303)

    result: Response = perform(lambda: queue_test_page(printer, staff_id=current_user.id),
                               form=ButtonForm(), done=done, refused=_to_printers,
                               messages=_EXPIRED)
    return result


@roles_required("manager")
def save_routes() -> Page:
    form = RoutesForm()

    def done(changed: int) -> Response:
        flash(_("Document routes saved (%(n)s changed).", n=changed), "success")
        return redirect(url_for("printjobs.printers") + "#routes", 303)

    return perform(lambda: set_routes(form.stations()), form=form, done=done,
                   refused=lambda r: _printers_page(form, r.errors, r.status),
                   messages={"invalid-form": _l("Please correct the document routes."),
                             "*": _l("Please correct the document routes.")})


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
