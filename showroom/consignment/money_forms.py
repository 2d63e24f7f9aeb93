"""Forms of the consignor money screens: the payout (付代销款) and the statement's print
button. They carry text only; consignment.payouts parses it, so the screen and the API
accept and refuse exactly the same amounts."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from showroom.consignment.models import PayoutMethod
from showroom.forms import Form

METHOD_CHOICES = [SelectChoice(m.value, m.lazy_label) for m in PayoutMethod]


class PayoutForm(Form):
    """`token` is the one-time key: a double tap pays once."""

    token = HiddenField()
    method = RadioField(_l("Method"), choices=METHOD_CHOICES, default="cash",
                        validate_choice=False)
    amount = StringField(_l("Amount"), validators=[Optional(), Length(max=20)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])

    def raw(self) -> dict[str, object]:
        return {"method": self.method.data or "", "amount": self.amount.data or "",
                "note": self.note.data or ""}


class StatementPrintForm(Form):
    """Carries the CSRF token of the statement's print button; the dates ride along."""
