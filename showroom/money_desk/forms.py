"""Money desk forms: a payment on account, a refund of credit (manager's PIN), a customer's
credit limit. The forms only carry text; money_desk.services parses it, so the screen and
the API accept and refuse exactly the same amounts."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from showroom.forms import Form
from showroom.money_desk.models import DeskMethod

METHOD_CHOICES = [SelectChoice(m.value, m.lazy_label) for m in DeskMethod]


class DeskPaymentForm(Form):
    """还款 / 汇款到账; `token` is the one-time key: a double tap takes the money once."""

    token = HiddenField()
    method = RadioField(_l("Method"), choices=METHOD_CHOICES, default="cash",
                        validate_choice=False)
    amount = StringField(_l("Amount"), validators=[Optional(), Length(max=20)])
    tendered = StringField(_l("Tendered"), validators=[Optional(), Length(max=20)])
    reference = StringField(_l("Reference"), validators=[Optional(), Length(max=60)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])

    def raw(self) -> dict[str, object]:
        method = self.method.data or ""
        return {"method": method, "amount": self.amount.data or "",
                "tendered": (self.tendered.data or "").strip() if method == "cash" else "",
                "reference": (self.reference.data or "") if method != "cash" else "",
                "note": self.note.data or ""}


class RefundForm(Form):
    """退款: credit held paid back, with a manager's staff number, PIN and a reason."""

    token = HiddenField()
    method = RadioField(_l("Method"), choices=METHOD_CHOICES, default="cash",
                        validate_choice=False)
    amount = StringField(_l("Amount"), validators=[Optional(), Length(max=20)])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=200)])
    manager_staff_no = StringField(_l("Manager's staff number"),
                                   validators=[Optional(), Length(max=20)])
    manager_pin = PasswordField(_l("Manager's PIN"), validators=[Optional(), Length(max=12)])

    def raw(self) -> dict[str, object]:
        return {"method": self.method.data or "", "amount": self.amount.data or "",
                "reason": self.reason.data or "",
                "manager_staff_no": self.manager_staff_no.data or "",
                "manager_pin": self.manager_pin.data or ""}


class CreditLimitForm(Form):
    """The manager's credit limit for one customer; empty = no limit."""

    limit = StringField(_l("Credit limit"), validators=[Optional(), Length(max=20)])
