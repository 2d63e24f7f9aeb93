"""Previews of documents as they print: PNG (what image mode puts on the paper, at the
printer's width) and PDF (A5 / A4), drawn from a job's stored snapshot or from a sample.

Who may see a job's document is `showroom.printjobs.rights` (the same rule for reprints).

The PNG is drawn with a CJK TrueType font (fonts-wqy-microhei). On a machine without it
the screens fall back to the PDF (drawn with reportlab's built-in Chinese font) and the
API answers 503 with what to install; never a 500.
The API serves the same pictures (`showroom.api.printjobs`) through `job_preview`.
"""
from __future__ import annotations

import json

from flask import Response, abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as AnyResponse

from printing.documents import PDF_ONLY, Document, document_from_payload
from printing.profiles import PAPER_WIDTHS, PrinterProfile
from showroom.auth.access import roles_required
from showroom.auth.models import Staff
from showroom.errors import DomainError, Forbidden, NotFound, ValidationFailed
from showroom.extensions import db
from showroom.printjobs.models import DOCUMENT_KINDS, Printer, PrintJob
from showroom.printjobs.printers import sample_test_page
from showroom.printjobs.rights import may_preview, refusal
from showroom.printjobs.routing import printer_for, profile_of
from showroom.web.screen import end_read

PDF_PAGES = ("A5", "A4")


class PrintFontMissing(DomainError):
    """The PNG cannot be drawn here: the CJK print font is not installed."""

    status = 503
    code = "print-font-missing"

    def __init__(self, path: str) -> None:
        super().__init__(_("The Chinese print font is not installed on the server (%(path)s): "
                           "install fonts-wqy-microhei (apt-get install fonts-wqy-microhei) or "
                           "set SHOWROOM_PRINT_FONT. The PDF preview shows the same document.",
                           path=path))
FORMATS = {"png": "image/png", "pdf": "application/pdf"}


def job_document(job: PrintJob) -> Document:
    """The job's document rebuilt from its snapshot; NotFound if it cannot be rebuilt."""
    try:
        data = json.loads(job.payload)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return document_from_payload(job.document, data)
    except (ValueError, TypeError, KeyError) as exc:
        raise NotFound(_("print job %(id)s has no document that can be drawn (%(why)s)",
                         id=job.id, why=str(exc)[:120])) from exc


def job_profile(job: PrintJob) -> PrinterProfile | None:
    """The profile of the printer that printed (or will print) the job; None = 80 mm."""
    printer = None
    if job.printer:
        printer = db.session.scalar(select(Printer).where(Printer.name == job.printer).limit(1))
    if printer is None:
        printer = printer_for(job.document, job.station)
    return profile_of(printer) if printer is not None else None


def png_of(doc: Document, profile: PrinterProfile | None, *, reprint: bool = False) -> bytes:
    """The receipt as image mode prints it; PrintFontMissing without the CJK font."""
    from printing.raster import FontMissing, missing_font, render_png

    path = missing_font(profile)
    if path is not None:
        raise PrintFontMissing(path)
    try:
        return render_png(doc, profile, reprint=reprint)
    except FontMissing as exc:  # went missing since
        raise PrintFontMissing(exc.path) from exc


def print_font_ok() -> bool:
    """Can this machine draw receipt pictures (is the CJK print font installed)?"""
    from printing.raster import missing_font

    return missing_font() is None


def pdf_of(doc: Document, page: str, *, reprint: bool = False) -> bytes:
    from printing.pdf import render_pdf

    return render_pdf(doc, page=page, reprint=reprint)


def pdf_page(raw: str | None) -> str:
    page = (raw or "A5").strip().upper()
    if page not in PDF_PAGES:
        raise ValidationFailed(_("page must be A5 or A4"), errors={"page": _("A5 or A4")})
    return page


def job_preview(job_id: int, fmt: str, staff: Staff, page: str | None = None) -> Response:
    """The PNG or PDF of a job for `staff`; DomainError (404 / 403 / 422) says why not."""
    job = db.session.get(PrintJob, job_id)
    if job is None:
        raise NotFound(_("no print job %(id)s", id=job_id))
    if not may_preview(staff, job.document):
        raise Forbidden(refusal(job.document))
    doc = job_document(job)
    if fmt == "png":
        if job.document in PDF_ONLY:
            raise NotFound(_("this document prints as PDF only"))
        body = png_of(doc, job_profile(job), reprint=job.reprint)
        name = f"job-{job.id}.png"
    else:
        body = pdf_of(doc, pdf_page(page), reprint=job.reprint)
        name = f"job-{job.id}.pdf"
    return file_response(body, fmt, name)


def file_response(body: bytes, fmt: str, name: str) -> Response:
    resp = Response(body, mimetype=FORMATS[fmt])
    resp.headers["Content-Disposition"] = f'inline; filename="{name}"'
    resp.headers["Cache-Control"] = "no-store"  # names, phones, debts: never kept in a cache
    return resp


def _screen(job_id: int, fmt: str) -> AnyResponse:
    try:
        return job_preview(job_id, fmt, current_user, request.args.get("page"))
    except PrintFontMissing:  # the PDF needs no font file: show that instead
        end_read()
        return redirect(url_for("printjobs.job_pdf", job_id=job_id), 303)
    except DomainError as exc:
        end_read()
        abort(exc.status, exc.message)


@login_required
def job_png(job_id: int) -> AnyResponse:
    return _screen(job_id, "png")


@login_required
def job_pdf(job_id: int) -> AnyResponse:
    return _screen(job_id, "pdf")


@roles_required("manager")
def sample_file(kind: str, fmt: str) -> AnyResponse:
    """A sample of `kind` (?paper=80|58, ?doc_lang=zh|en, ?page=A5|A4; ?test=1: the test page)."""
    if kind not in DOCUMENT_KINDS or fmt not in FORMATS:
        abort(404)
    lang = "en" if request.args.get("doc_lang") == "en" else "zh"
    doc = sample_test_page(kind, lang) if request.args.get("test") else _sample(kind, lang)
    if fmt == "pdf":
        try:
            page = pdf_page(request.args.get("page"))
        except DomainError as exc:
            abort(422, exc.message)
        return file_response(pdf_of(doc, page), fmt, f"{kind}-{page}.pdf")
    if kind in PDF_ONLY:
        abort(404, _("this document prints as PDF only"))
    paper = request.args.get("paper", "80")
    mm = int(paper) if paper in {str(w) for w in PAPER_WIDTHS} else 80
    try:
        png = png_of(doc, PrinterProfile(paper_mm=mm, chinese="image"))
    except PrintFontMissing:  # the PDF needs no font file: show that instead
        return redirect(url_for("printjobs.sample_file", kind=kind, fmt="pdf", doc_lang=lang,
                                test=request.args.get("test")), 303)
    return file_response(png, fmt, f"{kind}-{mm}mm.png")


def _sample(kind: str, lang: str) -> Document:
    from printing.samples import sample

    return sample(kind, lines=8, lang=lang)
