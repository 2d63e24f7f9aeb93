"""Back-office forms: a product (add and edit), the stock receipt draft, the CSV upload.

The forms carry text; the catalog services check it (prices parsed by money.parse_fen,
codes and barcodes unique), so the screens refuse exactly what the API refuses.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from showroom.forms import Form


class ProductForm(Form):
    code = StringField(_l("Product code"), validators=[Optional(), Length(max=40)])
    barcode = StringField(_l("Barcode"), validators=[Optional(), Length(max=64)])
    name = StringField(_l("Product name"), validators=[Optional(), Length(max=120)])
    price_wholesale = StringField(_l("Wholesale price"), validators=[Optional(), Length(max=20)])
    price_franchise = StringField(_l("Franchise price"), validators=[Optional(), Length(max=20)])
    area = SelectField(_l("Area"), choices=[], default="", validate_choice=False)
    category = StringField(_l("Category"), validators=[Optional(), Length(max=40)])
    material = StringField(_l("Material"), validators=[Optional(), Length(max=60)])
    origin = StringField(_l("Origin"), validators=[Optional(), Length(max=60)])
    care_note = TextAreaField(_l("Care note"), validators=[Optional(), Length(max=2000)])
    washing_note = TextAreaField(_l("Washing"), validators=[Optional(), Length(max=2000)])
    background = TextAreaField(_l("Background"), validators=[Optional(), Length(max=2000)])

    FIELDS = ("code", "barcode", "name", "price_wholesale", "price_franchise", "area",
              "category", "material", "origin", "care_note", "washing_note", "background")

    def values(self) -> dict[str, object]:
        return {f: (getattr(self, f).data or "").strip() for f in self.FIELDS}


class ReceiptForm(Form):
    """The draft's lines arrive as code / qty pairs; this form carries the CSRF token,
    the scan box, its optional quantity and the one-time token of "Finish"."""

    token = HiddenField()
    scan = StringField(_l("Scan a barcode"), validators=[Optional(), Length(max=64)])
    scan_qty = StringField(_l("Quantity"), validators=[Optional(), Length(max=10)])


class ImportForm(Form):
    file = FileField(_l("CSV file"))
    update = BooleanField(_l("Update products whose code already exists"))
