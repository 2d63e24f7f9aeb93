"""Forms at the packing bench. They check only shape (lengths, numbers); the packing
services enforce the rules (over-scan, reasons, PINs, seal) and give the refusals."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from showroom.forms import Form
from showroom.validation import MAX_ID


class BoxForm(Form):
    """Buttons that only need the CSRF token (new box, choose box, remove empty box)."""


class ScanForm(Form):
    """What the scanner types + Enter, and the box the packer is filling."""

    barcode = StringField(_l("Scan a barcode"), validators=[DataRequired(), Length(max=64)])
    box_id = IntegerField(validators=[Optional(), NumberRange(1, MAX_ID)])


class ManualTickForm(Form):
    """An item that will not scan, ticked by hand: the reason is kept with the tick."""

    qty = IntegerField(_l("Quantity"), default=1,
                       validators=[InputRequired(), NumberRange(min=1, max=100_000)])
    reason = StringField(_l("Why by hand"), validators=[Optional(), Length(max=200)])
    box_id = IntegerField(validators=[Optional(), NumberRange(1, MAX_ID)])


class UntickForm(Form):
    """One unit taken back out of a box (wrong box, damaged)."""

    box_id = IntegerField(validators=[InputRequired(), NumberRange(1, MAX_ID)])
    reason = StringField(_l("Why taken out"), validators=[Optional(), Length(max=200)])


class SignForm(Form):
    """A counter signs with their own staff number and PIN."""

    staff_no = StringField(_l("Staff number"), validators=[DataRequired(), Length(max=20)])
    pin = PasswordField(_l("PIN"), validators=[DataRequired(), Length(max=12)])


class SignatureForm(Form):
    """The customer's signature from the pad, as a data:image/png;base64 URL."""

    signature = HiddenField(validators=[DataRequired()])


class NameForm(Form):
    """The packer confirms the customer's name (only the CSRF token)."""


class PaymentForm(Form):
    name_confirmed = BooleanField(_l("The customer's name on the slip is right"))


class SealForm(Form):
    mode = HiddenField(validators=[DataRequired()])


class CrossOutForm(Form):
    """Quantities arrive as `x_<line_id>` fields; the token makes a double submit one slip."""

    token = HiddenField()
    reason = StringField(_l("Why"), validators=[Optional(), Length(max=200)])
    customer_agreed = BooleanField(_l("The customer agrees"))
    manager_staff_no = StringField(_l("Manager's staff number"),
                                   validators=[Optional(), Length(max=20)])
    manager_pin = PasswordField(_l("Manager's PIN"), validators=[Optional(), Length(max=12)])
