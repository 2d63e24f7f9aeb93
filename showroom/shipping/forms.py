"""Shipping forms: the ship form (one-time token), a notice send, a rate row.

The forms only carry text; carriers, waybills, money, weights and days are checked by
the shipping services, so the screen and the JSON API accept and refuse the same input.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from showroom.forms import Form
from showroom.labels import LABELS
from showroom.shipping.models import CARRIERS, FEE_PAYERS
from showroom.validation import small_int

CARRIER_CHOICES = [(c, LABELS["carrier"][c]) for c in CARRIERS]  # (code, label) for templates


def _choices(group: str, codes: tuple[str, ...]) -> list[SelectChoice]:
    return [SelectChoice(code, LABELS[group][code]) for code in codes]


def _text(field: Any) -> str:
    return (field.data or "").strip()


def _number(text: str) -> int | str | None:
    """"" → None (use the default), "12" → 12; anything else goes on as text and the
    service reports it against its field."""
    if not text:
        return None
    value = small_int(text)
    return value if value is not None else text


class ShipForm(Form):
    token = HiddenField()
    carrier = RadioField(_l("Carrier"), choices=_choices("carrier", CARRIERS),
                         validate_choice=False)
    waybill = StringField(_l("Waybill number"), validators=[Optional(), Length(max=80)])
    boxes = StringField(_l("Boxes"), validators=[Optional(), Length(max=10)])
    weight = StringField(_l("Weight (kg)"), validators=[Optional(), Length(max=20)])
    fee = StringField(_l("Shipping fee"), validators=[Optional(), Length(max=20)])
    fee_payer = RadioField(_l("Who pays"), choices=_choices("fee_payer", FEE_PAYERS), default="customer",
                           validate_choice=False)
    eta_days = StringField(_l("Days to arrive"), validators=[Optional(), Length(max=10)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)])

    def values(self) -> dict[str, Any]:
        """Keyword arguments for shipping.services.ship_order (without staff and station)."""
        return {"carrier": self.carrier.data or "", "waybill": _text(self.waybill),
                "boxes": _number(_text(self.boxes)), "weight_kg": _text(self.weight) or None,
                "fee": _text(self.fee), "fee_payer": self.fee_payer.data or "customer",
                "eta_days": _number(_text(self.eta_days)), "note": _text(self.note)}

    def raw(self) -> dict[str, str]:
        """What was typed, for the idempotency fingerprint."""
        return {name: str(getattr(self, name).data or "") for name in (
            "carrier", "waybill", "boxes", "weight", "fee", "fee_payer", "eta_days", "note")}


class NoticeForm(Form):
    channel = HiddenField()


class RateForm(Form):
    carrier = SelectField(_l("Carrier"), choices=_choices("carrier", CARRIERS),
                         validate_choice=False)
    destination = StringField(_l("Destination"), validators=[Optional(), Length(max=40)],
                              description=_l('a province or city as in the customer file '
                                             '("浙江", "浙江 义乌"), or * for anywhere'))
    first_kg = StringField(_l("First kg"), validators=[Optional(), Length(max=20)])
    per_kg = StringField(_l("Each further kg"), validators=[Optional(), Length(max=20)])
    per_box = StringField(_l("Per box"), validators=[Optional(), Length(max=20)])
    min_days = StringField(_l("Fewest days"), validators=[Optional(), Length(max=5)])
    max_days = StringField(_l("Most days"), validators=[Optional(), Length(max=5)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])

    def values(self) -> dict[str, Any]:
        return {"carrier": self.carrier.data or "", "destination": _text(self.destination),
                "first_kg": _text(self.first_kg), "per_kg": _text(self.per_kg),
                "per_box": _text(self.per_box), "min_days": _text(self.min_days) or "1",
                "max_days": _text(self.max_days) or _text(self.min_days) or "3",
                "note": _text(self.note)}


def form_errors(errors: dict[str, str]) -> dict[str, str]:
    """Service field names → form field names (weight is typed in kilograms)."""
    out = dict(errors)
    if "shipped_on" in out:
        out.setdefault("note", out.pop("shipped_on"))
    if "notice_lang" in out:
        out["notice_lang"] = _("zh or en")
    return out
