"""Consignment screen forms. They carry text as typed (the one text rule applies to every
field, the lines included); `consignment.views` turns them into the services' inputs, so the
tablet and the API refuse the same things. Signatures arrive as the pad's
data:image/png;base64 URL, a photo of the signed paper as a file of the same request."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, HiddenField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from showroom.forms import Form

MIN_ROWS = 5  # empty rows on a new list; the tablet adds more with "add a line"
MAX_ROWS = 200
ABSENT = SelectChoice("absent", _l("Absent: send the list for signature"))
PRESENT = SelectChoice("present", _l("Present: signs on the tablet"))


class NewConsignorForm(Form):
    """A customer becomes a consignor; the share is typed in percent ("80", "75.5")."""

    token = HiddenField()
    customer_id = HiddenField()
    share = StringField(_l("Consignor's share (%)"), validators=[Optional(), Length(max=8)])


class LineForm(Form):
    """One item on the intake list, as typed."""

    class Meta:
        csrf = False  # the list form carries the token

    name = StringField(_l("Item"), validators=[Optional(), Length(max=200)])
    qty = StringField(_l("Qty"), validators=[Optional(), Length(max=8)])
    price_wholesale = StringField(_l("Wholesale price"), validators=[Optional(), Length(max=16)])
    price_franchise = StringField(_l("Franchise price"), validators=[Optional(), Length(max=16)])
    consignor_price = StringField(_l("Consignor price"), validators=[Optional(), Length(max=16)])

    def blank(self) -> bool:
        return not any((f.data or "").strip() for f in self if f.type == "StringField")


class IntakeForm(Form):
    """委托代销清单: the lines, present or absent, the pad's signature when present."""

    token = HiddenField()
    lines = FieldList(FormField(LineForm), min_entries=MIN_ROWS, max_entries=MAX_ROWS)
    present = RadioField(_l("The consignor is"), choices=[ABSENT, PRESENT], default="absent",
                         validate_choice=False)
    signature = HiddenField()


class WithdrawForm(Form):
    """代销退还: pieces per product code of the intake list (qty_<product id>)."""

    token = HiddenField()
    present = RadioField(_l("The consignor is"), choices=[PRESENT, ABSENT], default="present",
                         validate_choice=False)
    signature = HiddenField()


class ReturnedSignatureForm(Form):
    """The signed copy came back: the pad's signature, or a photo of the paper (a file)."""

    token = HiddenField()
    signature = HiddenField()


class ReprintForm(Form):
    token = HiddenField()
