"""Marking a follow-up done: how the call went and a note."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from showroom.followups.models import Outcome
from showroom.forms import Form


class DoneForm(Form):
    token = HiddenField()
    outcome = RadioField(_l("Outcome"), choices=[SelectChoice(o.value, o.lazy_label)
                                                 for o in Outcome], validate_choice=False)
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)])
