"""Manager forms for printers and document routes.

The rules live in `showroom.printjobs.printers` (shared with `flask printers add`); these
forms only carry what was typed and show the service's messages against their fields.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from printing.profiles import CHINESE_MODES, PAPER_WIDTHS
from showroom.forms import Form
from showroom.labels import LABELS
from showroom.printjobs.models import DOCUMENT_KINDS, Printer
from showroom.printjobs.printers import LIMITS

CHINESE_LABELS = {
    "gb18030": _l("GB18030 (simplified Chinese, most printers sold in China)"),
    "gbk": _l("GBK (older simplified Chinese printers)"),
    "big5": _l("Big5 (traditional Chinese printers)"),
    "utf8": _l("UTF-8 (printers with a Unicode font)"),
    "image": _l("Image (any printer; slower on serial lines)"),
}


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class PrinterForm(Form):
    name = StringField(_l("Printer name"), validators=[Optional(), Length(max=LIMITS["name"])])
    connection = StringField(_l("Connection"),
                             validators=[Optional(), Length(max=LIMITS["connection"])])
    paper = SelectField(_l("Paper"), choices=[SelectChoice(str(w), f"{w} mm") for w in PAPER_WIDTHS],
                        validate_choice=False, default="80")
    chinese = SelectField(_l("Chinese"), choices=[SelectChoice(m, CHINESE_LABELS[m]) for m in CHINESE_MODES],
                          validate_choice=False, default="gb18030")
    station = StringField(_l("Station"), validators=[Optional(), Length(max=LIMITS["station"])])
    documents = CheckboxesField(_l("Prints"), validate_choice=False,
                                choices=[SelectChoice(k, LABELS["document"][k])
                                         for k in DOCUMENT_KINDS])
    cutter = BooleanField(_l("Cutter"), default=True)
    drawer = BooleanField(_l("Cash drawer"), default=False)

    @classmethod
    def of(cls, printer: Printer) -> PrinterForm:
        form = cls(formdata=None, obj=printer)
        form.paper.data = str(printer.paper_mm)
        form.documents.data = printer.document_kinds
        return form

    def values(self) -> dict[str, Any]:
        return {"name": self.name.data or "", "connection": self.connection.data or "",
                "paper": self.paper.data or "", "chinese": self.chinese.data or "",
                "station": self.station.data or "", "documents": list(self.documents.data or []),
                "cutter": bool(self.cutter.data), "drawer": bool(self.drawer.data)}


class RoutesForm(Form):
    """One station per document kind (fields named after the kinds)."""

    def stations(self) -> dict[str, object]:
        return {kind: self[kind].data for kind in DOCUMENT_KINDS}


for _kind in DOCUMENT_KINDS:
    setattr(RoutesForm, _kind, StringField(LABELS["document"][_kind],
                                           validators=[Optional(), Length(max=LIMITS["station"])]))


class ButtonForm(Form):
    """Button-only POSTs (test page, enable/disable): carries the CSRF token."""
