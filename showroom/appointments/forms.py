"""Appointment screen forms. They carry text; the services check it (the time in opening
hours, the reason required, the text rule), so the screens refuse what the API refuses."""
from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from showroom.clock import showroom_tz
from showroom.forms import Form
from showroom.money import ascii_number


def local_start(day: str | None, hm: str | None) -> datetime | None:
    """The date and time typed on the tablet (showroom local time), or None."""
    try:
        d = date.fromisoformat(ascii_number(day or "").strip())
        t = time.fromisoformat(ascii_number(hm or "").strip())
    except ValueError:
        return None
    return datetime.combine(d, t.replace(second=0, microsecond=0, tzinfo=None),
                            tzinfo=showroom_tz())


class WhenFields:
    """The date and time fields of a call (a mixin: WTForms collects fields from it)."""

    day = StringField(_l("Date"), validators=[Optional(), Length(max=10)])
    at = StringField(_l("Time"), validators=[Optional(), Length(max=5)])

    def starts_at(self) -> datetime | None:
        return local_start(self.day.data, self.at.data)


class BookForm(WhenFields, Form):
    token = HiddenField()
    customer_id = HiddenField()
    clerk = SelectField(_l("Clerk"), choices=[], validate_choice=False)
    wanted = TextAreaField(_l("What the customer wants to see"),
                           validators=[Optional(), Length(max=1000)])


class RescheduleForm(WhenFields, Form):
    version = HiddenField()
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])


class ReasonForm(Form):
    version = HiddenField()
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])


class ActionForm(Form):
    """Ready / start / end: the version the screen showed."""

    version = HiddenField()


class GoodForm(Form):
    code = StringField(_l("Scan or type a code"), validators=[Optional(), Length(max=64)])
    qty = StringField(_l("Quantity"), default="1", validators=[Optional(), Length(max=6)])
