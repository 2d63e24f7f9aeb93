"""CSV product import from the browser (manager): upload, then one page with what was
read, created and updated, or every bad row with its line number and reason (nothing
imported). The import runs in the request: 2,000 rows take well under a second."""
from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from showroom.auth.access import roles_required
from showroom.catalog.forms import ImportForm
from showroom.catalog.import_words import column_words, reason_words
from showroom.catalog.importer import COLUMNS, REQUIRED_COLUMNS
from showroom.catalog.upload import SHOWN_ERRORS, ImportRefused, UploadResult, import_upload
from showroom.web.screen import Refusal, perform


def _page(form: ImportForm, *, result: UploadResult | None = None,
          refused: ImportRefused | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template("catalog/import.html", form=form, result=result, refused=refused,
                           shown=SHOWN_ERRORS, columns=COLUMNS,
                           required=REQUIRED_COLUMNS, reason_words=reason_words,
                           column_words=column_words), status


@roles_required("manager")
def import_csv() -> ResponseReturnValue:
    form = ImportForm()
    if request.method == "GET":
        return _page(form)
    upload = request.files.get("file")
    filename = upload.filename or "" if upload is not None else ""
    data = upload.read() if upload is not None else b""

    def refused(refusal: Refusal) -> ResponseReturnValue:
        error = refusal.error if isinstance(refusal.error, ImportRefused) else None
        if refusal.errors.get("file") and error is None:
            form.file.errors = [refusal.errors["file"]]
        return _page(form, refused=error, status=refusal.status)

    return perform(lambda: import_upload(filename, data, update=bool(form.update.data),
                                         staff_id=current_user.id),
                   form=form, done=lambda result: _page(ImportForm(formdata=None), result=result),
                   refused=refused)
