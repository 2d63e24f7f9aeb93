"""Repair screen forms. They carry text only; `repairs.intake` / `repairs.moves` parse it,
so the tablet and the API accept and refuse exactly the same things. Photos arrive as
files of the same request (`photos`), read by the view, checked by the attachments store."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from showroom.forms import Form
from showroom.repairs.models import Material, RepairRoute

MATERIAL_CHOICES = [SelectChoice("", _l("— choose —")),
                    *(SelectChoice(m.value, m.lazy_label) for m in Material)]
ROUTE_CHOICES = [SelectChoice(r.value, r.lazy_label) for r in RepairRoute]
MONTHS = [SelectChoice(str(n), str(n)) for n in range(1, 7)]


class IntakeForm(Form):
    """维修登记: the token makes a double tap take the piece in once."""

    token = HiddenField()
    customer_id = HiddenField()
    product_code = StringField(_l("Product code (optional)"),
                               validators=[Optional(), Length(max=40)])
    part = StringField(_l("Part to repair"), validators=[Optional(), Length(max=60)])
    material = SelectField(_l("Material"), choices=MATERIAL_CHOICES, validate_choice=False)
    weight_g = StringField(_l("Weight (g)"), validators=[Optional(), Length(max=12)])
    description = TextAreaField(_l("What is wrong"), validators=[Optional(), Length(max=500)])

    def raw(self) -> dict[str, object]:
        return {"customer_id": self.customer_id.data or "",
                "product_code": self.product_code.data or "", "part": self.part.data or "",
                "material": self.material.data or "", "weight_g": self.weight_g.data or "",
                "description": self.description.data or ""}


class PhotoForm(Form):
    token = HiddenField()


class RouteForm(Form):
    """The manager's route: in-house (the workshop's staff takes it with their PIN) or
    abroad (partner, window in months, the staff member who takes it to the courier)."""

    token = HiddenField()
    route = RadioField(_l("Route"), choices=ROUTE_CHOICES, default="in_house",
                       validate_choice=False)
    receiver_staff_no = StringField(_l("Workshop staff number"),
                                    validators=[Optional(), Length(max=20)])
    receiver_pin = PasswordField(_l("Their PIN"), validators=[Optional(), Length(max=12)])
    partner = StringField(_l("Partner abroad / courier"), validators=[Optional(), Length(max=60)])
    months_from = SelectField(_l("Back from (months)"), choices=MONTHS, default="1",
                              validate_choice=False)
    months_to = SelectField(_l("Back by (months)"), choices=MONTHS, default="6",
                            validate_choice=False)
    carrier_staff_no = StringField(_l("Taken by (staff number, optional)"),
                                   validators=[Optional(), Length(max=20)])
    carrier_pin = PasswordField(_l("Their PIN"), validators=[Optional(), Length(max=12)])

    def abroad_raw(self) -> dict[str, object]:
        return {"partner": self.partner.data or "", "months_from": self.months_from.data or "",
                "months_to": self.months_to.data or "",
                "carrier_staff_no": self.carrier_staff_no.data or "",
                "carrier_pin": self.carrier_pin.data or ""}


class BackForm(Form):
    token = HiddenField()
    weight_g = StringField(_l("Weight now (g)"), validators=[Optional(), Length(max=12)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)])


class CollectForm(Form):
    token = HiddenField()
    shipment_id = SelectField(_l("Shipped with"), choices=[], validate_choice=False)
