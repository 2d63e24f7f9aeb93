"""Sign-in form (staff number and a numeric PIN, typed on a tablet keypad) and the PIN
forms: change your own, a manager's reset."""
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from showroom.forms import Form

_DIGITS = Regexp(r"^\d{6,12}$", message=_l("6 to 12 digits"))


class SignInForm(Form):
    staff_no = StringField(_l("Staff number"), validators=[DataRequired(), Length(max=20)])
    pin = PasswordField(_l("PIN"), validators=[DataRequired(), _DIGITS])
    # This device's station; choices are filled by the view from the known stations.
    station = SelectField(_l("This device's station"), choices=[], default="", validate_choice=True)


class NewPinForm(Form):
    """A new PIN typed twice; the weak-PIN rule is the service's (validate_pin)."""

    new_pin = PasswordField(_l("New PIN"), validators=[DataRequired(), _DIGITS])
    confirm = PasswordField(_l("New PIN again"), validators=[
        DataRequired(), EqualTo("new_pin", message=_l("the two new PINs differ"))])


class ChangePinForm(NewPinForm):
    current_pin = PasswordField(_l("Current PIN"), validators=[DataRequired(), _DIGITS])


class EmptyForm(Form):
    """A button-only POST still carries a CSRF token."""
