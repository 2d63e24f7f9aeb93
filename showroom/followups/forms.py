"""Marking a follow-up done (how the call went, a note, the rating for a complaint
callback) and a manager's calendar day."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from showroom.followups.models import Outcome
from showroom.forms import Form


class DoneForm(Form):
    token = HiddenField()
    outcome = RadioField(_l("Outcome"), choices=[SelectChoice(o.value, o.lazy_label)
                                                 for o in Outcome], validate_choice=False)
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)])
    rating = StringField(_l("Rating (1–5)"), validators=[Optional(), Length(max=2)])


class CalendarDayForm(Form):
    token = HiddenField()
    day = StringField(_l("Day"), validators=[Optional(), Length(max=10)])
    working = RadioField(_l("The showroom is"),
                         choices=[SelectChoice("1", _l("Open (working day)")),
                                  SelectChoice("0", _l("Closed (no work)"))], validate_choice=False)
    note = StringField(_l("Why"), validators=[Optional(), Length(max=200)])
