"""Forms on the clerk's tablet. They only check shape (lengths, choices); the picking
and order services enforce the rules and report field errors of their own."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from showroom.forms import Form
from showroom.labels import LABELS

ISSUE_CHOICES = [SelectChoice(code, text) for code, text in LABELS["issue"].items()]
REMARK_CHOICES = [SelectChoice(code, text) for code, text in LABELS["remark"].items()]


class ScanForm(Form):
    """What the scanner types (a barcode, or a product code typed by hand) + Enter."""

    code = StringField(_l("Scan or type a code"), validators=[DataRequired(), Length(max=64)])
    qty = IntegerField(_l("Quantity"), default=1,
                       validators=[Optional(), NumberRange(min=1, max=100_000)])


class VersionForm(Form):
    """Remove / submit: the version the tablet last saw, so a stale tablet gets 409."""

    version = HiddenField(validators=[Optional()])


class QtyForm(VersionForm):
    qty = IntegerField(_l("Quantity"),
                       validators=[InputRequired(), NumberRange(min=1, max=100_000)])


class WishForm(Form):
    product_code = StringField(_l("Product code"), validators=[Optional(), Length(max=64)])
    description = StringField(_l("Or describe it"), validators=[Optional(), Length(max=200)])
    qty = IntegerField(_l("Quantity"), default=1,
                       validators=[InputRequired(), NumberRange(min=1, max=100_000)])


class IssueForm(Form):
    product_code = StringField(_l("Product code or barcode"),
                               validators=[DataRequired(), Length(max=64)])
    kind = SelectField(_l("Problem"), choices=ISSUE_CHOICES, default="defect")
    note = StringField(_l("Note"), validators=[Optional(), Length(max=2000)])


class RemarkForm(Form):
    kind = SelectField(_l("Kind"), choices=REMARK_CHOICES, default="opinion")
    text = TextAreaField(_l("What the customer said"),
                         validators=[DataRequired(), Length(max=2000)])
