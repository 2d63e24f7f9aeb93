"""Sign-in form: staff number and a numeric PIN, typed on a tablet keypad."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp


class SignInForm(FlaskForm):
    staff_no = StringField(_l("Staff number"), validators=[DataRequired(), Length(max=20)])
    pin = PasswordField(
        _l("PIN"), validators=[DataRequired(), Regexp(r"^\d{6,12}$", message=_l("6 to 12 digits"))]
    )
    # This device's station; choices are filled by the view from the known stations.
    station = SelectField(_l("This device's station"), choices=[], default="", validate_choice=True)


class EmptyForm(FlaskForm):
    """A button-only POST still carries a CSRF token."""
