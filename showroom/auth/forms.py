"""Sign-in form (staff number and a numeric PIN, typed on a tablet keypad) and the PIN
forms: change your own, a manager's reset."""
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

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


def _role_choices() -> list[tuple[str, str]]:
    from showroom.auth.models import Role

    return [(str(r), str(r.label)) for r in Role]


class StaffRolesForm(Form):
    """A staff member's name and roles (the manager's edit)."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=60)])
    roles = SelectMultipleField(_l("Roles"), choices=_role_choices, validate_choice=True,
                                widget=ListWidget(prefix_label=False),
                                option_widget=CheckboxInput())


class NewStaffForm(StaffRolesForm):
    """A new staff member: number, name, roles and a first PIN typed twice."""

    staff_no = StringField(_l("Staff number"), validators=[DataRequired(), Length(max=20)])
    new_pin = PasswordField(_l("PIN"), validators=[DataRequired(), _DIGITS])
    confirm = PasswordField(_l("PIN again"), validators=[
        DataRequired(), EqualTo("new_pin", message=_l("the two PINs differ"))])
