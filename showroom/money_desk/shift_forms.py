"""The shift close form: counts per method as typed (money is parsed by the service, so the
screen and the API accept the same amounts), then the manager's number and PIN when the
cash differs, a note, the shift number the count is for and a one-time token."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import Length, Optional

from showroom.forms import Form
from showroom.money_desk.shifts import METHODS


class ShiftCountForm(Form):
    token = HiddenField()
    seq = HiddenField()
    cash = StringField(_l("Cash in the drawer"), validators=[Length(max=20)])
    bank_transfer = StringField(_l("Bank transfer"), validators=[Optional(), Length(max=20)])
    wechat = StringField(_l("WeChat Pay"), validators=[Optional(), Length(max=20)])
    alipay = StringField(_l("Alipay"), validators=[Optional(), Length(max=20)])
    manager_staff_no = StringField(_l("Manager's staff number"),
                                   validators=[Optional(), Length(max=20)])
    manager_pin = PasswordField(_l("Manager's PIN"), validators=[Optional(), Length(max=12)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])

    def counted(self) -> dict[str, Any]:
        return {m: (getattr(self, m).data or "").strip() for m in METHODS}
