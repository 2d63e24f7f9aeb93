"""Reception forms: start a visit (found or newly registered customer), visit details,
clerk assignment, leaving with the locker key, and phone / online inquiries."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from showroom.customers.services import phone_problem
from showroom.forms import Form
from showroom.labels import LABELS
from showroom.phones import clean_phone
from showroom.validation import MAX_ID

PHONE_PATTERN = r"^\+?[0-9][0-9\- ]{5,19}$"


def customer_phone(form: Form, field: Field) -> None:
    """A customer's number: mainland mobile or landline with area code (showroom.phones)."""
    if field.data and clean_phone(field.data) is None:
        raise ValidationError(phone_problem())


class SearchForm(Form):
    """The one search box (GET): name, phone or customer code."""

    class Meta:
        csrf = False

    q = StringField(_l("Name, phone or customer code"), validators=[Length(max=60)])


class VisitFieldsForm(Form):
    locker_no = StringField(_l("Locker number"), validators=[Optional(), Length(max=10)])
    purpose = StringField(_l("Purpose of the visit"), validators=[Optional(), Length(max=120)])
    water_offered = BooleanField(_l("Water offered"))
    greeted = BooleanField(_l("Greeted now"), default=True)


class StartVisitForm(VisitFieldsForm):
    customer_id = IntegerField(validators=[DataRequired(), NumberRange(1, MAX_ID)])


class QuickRegisterForm(VisitFieldsForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=60)])
    phone = StringField(_l("Phone"), validators=[
        DataRequired(), Length(max=30), customer_phone])
    kind = RadioField(_l("Customer kind"), default="wholesale", validators=[DataRequired()],
                      choices=[SelectChoice(code, text)
                               for code, text in LABELS["customer_kind"].items()])
    register_anyway = BooleanField(_l("Register anyway (a different person)"))


class VisitDetailsForm(Form):
    water_offered = BooleanField(_l("Water offered"))
    purpose = StringField(_l("Purpose of the visit"), validators=[Optional(), Length(max=120)])
    locker_no = StringField(_l("Locker number"), validators=[Optional(), Length(max=10)])


class AssignForm(Form):
    clerk_staff_no = HiddenField(validators=[DataRequired(), Length(max=20)])


class LeaveForm(Form):
    locker_key_returned = BooleanField(_l("Locker key returned"))


class InquiryForm(Form):
    channel = RadioField(_l("Channel"), default="phone", validators=[DataRequired()],
                         choices=[SelectChoice("phone", _l("Phone")),
                                  SelectChoice("online", _l("Online"))])
    caller_name = StringField(_l("Caller's name"), validators=[DataRequired(), Length(max=60)])
    region = StringField(_l("Region (where from)"), validators=[Optional(), Length(max=60)])
    phone = StringField(_l("Phone"), validators=[
        DataRequired(), Length(max=30),
        Regexp(PHONE_PATTERN, message=_l("a phone number of 6 to 20 digits"))])
    question = TextAreaField(_l("What they asked"), validators=[DataRequired(), Length(max=2000)])
    reason = TextAreaField(_l("Why they ask"), validators=[Optional(), Length(max=1000)])
    escalated = BooleanField(_l("Beyond me: pass to a manager"))
    urgency = SelectField(_l("Urgency of the prospect"), default="", validate_choice=False,
                         choices=[SelectChoice("", _l("Not rated")), SelectChoice("A", "A"),
                                  SelectChoice("B", "B"), SelectChoice("C", "C")])


class CallbackForm(Form):
    note = StringField(_l("Outcome of the callback"),
                       validators=[DataRequired(), Length(max=2000)])
