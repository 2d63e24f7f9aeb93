"""Complaint screen forms. They carry text only; `complaints.services` / `complaints.steps`
parse it, so the tablet and the API accept and refuse exactly the same things. One step
form holds every step's fields; the page shows those of the ONE next step."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from showroom.complaints.models import ComplaintCategory, ComplaintChannel, ComplaintStep
from showroom.forms import Form

CHANNELS = [SelectChoice(c.value, c.lazy_label) for c in ComplaintChannel]
CATEGORIES = [SelectChoice("", _l("— choose —")),
              *(SelectChoice(c.value, c.lazy_label) for c in ComplaintCategory)]
YES_NO = [SelectChoice("1", _l("Yes")), SelectChoice("0", _l("No"))]
STANDS = [SelectChoice("1", _l("It stands")),
          SelectChoice("0", _l("It does not stand: explain kindly"))]
RATINGS = [SelectChoice(str(n), str(n)) for n in range(1, 6)]


class RecordForm(Form):
    """投诉登记: a customer on file (hidden id) or a caller with a phone."""

    token = HiddenField()
    customer_id = HiddenField()
    caller = StringField(_l("Caller's name"), validators=[Optional(), Length(max=60)])
    phone = StringField(_l("Caller's phone"), validators=[Optional(), Length(max=30)])
    channel = SelectField(_l("How it came in"), choices=CHANNELS, default="visit",
                          validate_choice=False)
    category = SelectField(_l("Category"), choices=CATEGORIES, validate_choice=False)
    text = TextAreaField(_l("What the customer says"), validators=[Optional(),
                                                                   Length(max=2000)])

    def raw(self) -> dict[str, object]:
        return {"customer_id": self.customer_id.data or None, "caller": self.caller.data or "",
                "phone": self.phone.data or "", "channel": self.channel.data or "",
                "category": self.category.data or "", "text": self.text.data or ""}


class StepForm(Form):
    token = HiddenField()
    step = HiddenField()
    stands = RadioField(_l("Does the complaint stand?"), choices=STANDS, validate_choice=False)
    explanation = TextAreaField(_l("Explanation given to the customer"),
                                validators=[Optional(), Length(max=2000)])
    department = StringField(_l("Responsible department"), validators=[Optional(),
                                                                       Length(max=60)])
    finding = TextAreaField(_l("What the investigation found"),
                            validators=[Optional(), Length(max=2000)])
    solution = TextAreaField(_l("Proposed solution"), validators=[Optional(), Length(max=2000)])
    approved = RadioField(_l("Approve the solution?"), choices=YES_NO, validate_choice=False)
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    return_id = SelectField(_l("Return or exchange document"), choices=[],
                            validate_choice=False)
    repair_id = SelectField(_l("Repair"), choices=[], validate_choice=False)
    signature_png = HiddenField()
    customer_confirmed = HiddenField()
    rating = RadioField(_l("Rating"), choices=RATINGS, validate_choice=False)
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=500)])
    reason = TextAreaField(_l("Why it is reopened"), validators=[Optional(), Length(max=500)])

    FIELDS = {
        ComplaintStep.JUDGE: ("stands", "explanation"),
        ComplaintStep.INVESTIGATE: ("department", "finding"),
        ComplaintStep.PROPOSE: ("solution",),
        ComplaintStep.APPROVE: ("approved", "note"),
        ComplaintStep.IMPLEMENT: ("note", "return_id", "repair_id"),
        ComplaintStep.ACCEPT: ("signature_png", "customer_confirmed"),
        ComplaintStep.FEEDBACK: ("rating", "comment"),
        ComplaintStep.REOPEN: ("reason",),
    }

    def raw(self, step: str) -> dict[str, object]:
        names = self.FIELDS.get(ComplaintStep(step), ()) if step in ComplaintStep.codes() else ()
        return {n: (self[n].data or "") for n in names}
