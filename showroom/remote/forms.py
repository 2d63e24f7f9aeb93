"""Remote-order screen forms: opening an order without a visit, the answer to an online
order (note + a few shortage rows), the freight quote, printing the remit notice and a
manager's release. They carry text as typed; showroom.remote parses it, so the tablet and
the API refuse the same things."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from showroom.forms import Form
from showroom.orders.models import Channel
from showroom.remote.codes import AnswerKind
from showroom.shipping.carriers import Carrier

CHANNEL_CHOICES = [SelectChoice(c.value, c.lazy_label)
                   for c in (Channel.VIDEO, Channel.PHONE, Channel.ONLINE)]
KIND_CHOICES = [SelectChoice(k.value, k.lazy_label) for k in AnswerKind]
CARRIER_CHOICES = [SelectChoice(c.value, c.lazy_label) for c in Carrier]
ANSWER_ROWS = 4


class NewRemoteOrderForm(Form):
    """A video, phone or online order for a customer; online may carry the website's ref."""

    customer_id = HiddenField()
    channel = RadioField(_l("Channel"), choices=CHANNEL_CHOICES, default="video",
                         validate_choice=False)
    external_ref = StringField(_l("Website order reference"),
                               validators=[Optional(), Length(max=64)])


class ShortageRowForm(Form):
    class Meta:
        csrf = False  # the answer form carries the token

    product_code = StringField(_l("Product code"), validators=[Optional(), Length(max=40)])
    qty = StringField(_l("Qty"), validators=[Optional(), Length(max=8)])
    kind = SelectField(_l("What"), choices=KIND_CHOICES, validate_choice=False)
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])

    def blank(self) -> bool:
        return not (self.product_code.data or "").strip()

    def raw(self) -> dict[str, str]:
        return {"product_code": (self.product_code.data or "").strip(),
                "qty": (self.qty.data or "").strip(), "kind": self.kind.data or "shortage",
                "note": self.note.data or ""}


class AnswerForm(Form):
    note = TextAreaField(_l("What the customer was told"),
                         validators=[Optional(), Length(max=1000)])
    rows = FieldList(FormField(ShortageRowForm), min_entries=ANSWER_ROWS,
                     max_entries=ANSWER_ROWS)

    def shortages(self) -> list[dict[str, str]]:
        return [row.form.raw() for row in self.rows if not row.form.blank()]


class FreightForm(Form):
    carrier = SelectField(_l("Carrier"), choices=CARRIER_CHOICES,
                          validate_choice=False)
    weight = StringField(_l("Weight estimate (kg)"), validators=[Optional(), Length(max=12)])
    boxes = StringField(_l("Boxes"), validators=[Optional(), Length(max=4)])
    fee = StringField(_l("Freight (typed)"), validators=[Optional(), Length(max=12)],
                      description=_l("leave empty to quote from the rate table"))


class PrintForm(Form):
    token = HiddenField()


class ReleaseForm(Form):
    token = HiddenField()
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=200)])
    manager_staff_no = StringField(_l("Manager's staff number"),
                                   validators=[Optional(), Length(max=20)])
    manager_pin = PasswordField(_l("Manager's PIN"), validators=[Optional(), Length(max=12)])
