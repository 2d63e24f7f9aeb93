"""Customer forms: quick registration, the customer file, reversing a ledger entry.

Field rules live in customers.services.clean_customer_fields; these forms only carry
the text and turn the service's field problems into translated messages.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from showroom.errors import problem_code
from showroom.forms import Form
from showroom.labels import LABELS

KIND_CHOICES = [SelectChoice(code, text) for code, text in LABELS["customer_kind"].items()]


class RegisterForm(Form):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=60)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30)])
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES, validate_choice=False)
    register_anyway = BooleanField(_l("Register anyway (a different person)"))

    def values(self) -> dict[str, object]:
        return {"name": (self.name.data or "").strip(), "phone": (self.phone.data or "").strip(),
                "kind": self.kind.data or ""}


CARRIER_CHOICES = [SelectChoice("", _l("Ask the customer"))] + [
    SelectChoice(code, text) for code, text in LABELS["carrier"].items()]
NOTICE_LANG_CHOICES = [SelectChoice("zh", _l("Chinese text")),
                       SelectChoice("en", _l("English text"))]


class CustomerForm(RegisterForm):
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    region = StringField(_l("Region"), validators=[Optional(), Length(max=60)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=120)])
    preferred_carrier = SelectField(_l("Preferred carrier"), choices=CARRIER_CHOICES,
                                    validate_choice=False)
    notice_lang = SelectField(_l("Shipping notices in"), choices=NOTICE_LANG_CHOICES,
                              validate_choice=False)

    def values(self) -> dict[str, object]:
        return super().values() | {"address": (self.address.data or "").strip(),
                                   "region": (self.region.data or "").strip(),
                                   "email": (self.email.data or "").strip(),
                                   "preferred_carrier": self.preferred_carrier.data or "",
                                   "notice_lang": self.notice_lang.data or "zh"}


class ReverseForm(Form):
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=200)])


def field_errors(errors: dict[str, str]) -> dict[str, str]:
    """The service's field problems (already in the screen's language), worded for the
    form by their code (errors.Problem), never by comparing translated sentences."""
    out: dict[str, str] = {}
    for field, msg in errors.items():
        code = problem_code(msg)
        if code == "required":
            out[field] = _("Required.")
        elif code == "duplicate-phone":
            out[field] = _("Already registered for another customer.")
        elif field == "kind":
            out[field] = _("Wholesale or franchise.")
        elif code == "too-long":
            out[field] = _("Too long.")
        elif field == "email" and code in ("bad-email", "not-text"):
            out[field] = _("An e-mail address like name@example.com.")
        else:
            out[field] = msg
    return out
