"""The cashier's return/exchange form and the manager's franchise contract form. The forms
carry text; `raw()` turns them into the same shape the API sends, so
`aftersales.requests.parse_request` accepts and refuses exactly what the API does."""
from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, HiddenField, PasswordField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from showroom.aftersales.models import AfterSalesKind, AfterSalesReason
from showroom.forms import Form
from showroom.money import ascii_number

KIND_CHOICES = [SelectChoice(k.value, k.lazy_label) for k in AfterSalesKind]
REASON_CHOICES = [SelectChoice(r.value, r.lazy_label) for r in AfterSalesReason]
QTY_PREFIX = "qty-"
ITEM_RE = re.compile(r"^(\S+?)\s*(?:[x×X*]\s*(\d{1,6}))?$")


class ReturnForm(Form):
    """One return or exchange; `token` is the one-time key (a double tap makes one slip)."""

    token = HiddenField()
    scan = HiddenField()
    kind = RadioField(_l("Kind"), choices=KIND_CHOICES, default="return", validate_choice=False)
    reason = RadioField(_l("Reason"), choices=REASON_CHOICES, default="goods_differ",
                        validate_choice=False)
    quality_confirmed = BooleanField(_l("Quality problem confirmed"))
    replacements = TextAreaField(_l("Replacements (scan each piece)"),
                                 validators=[Optional(), Length(max=2000)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])
    manager_staff_no = StringField(_l("Manager's staff number"),
                                   validators=[Optional(), Length(max=20)])
    manager_pin = PasswordField(_l("Manager's PIN"), validators=[Optional(), Length(max=12)])
    override_reason = StringField(_l("Reason for the override"),
                                  validators=[Optional(), Length(max=200)])

    def raw(self, customer_id: int, formdata: MultiDict[str, str]) -> dict[str, Any]:
        lines: list[dict[str, Any]] = []
        for key, value in formdata.items():
            if not key.startswith(QTY_PREFIX) or not value.strip():
                continue
            line_id = ascii_number(key[len(QTY_PREFIX):])
            qty = ascii_number(value).strip()
            lines.append({"line_id": int(line_id) if line_id.isdigit() and len(line_id) < 11
                          else -1, "qty": int(qty) if qty.isdigit() and len(qty) < 8 else -1})
        return {"customer_id": customer_id, "kind": self.kind.data or "",
                "reason": self.reason.data or "",
                "quality_confirmed": bool(self.quality_confirmed.data), "lines": lines,
                "replacements": replacement_items(self.replacements.data or ""),
                "note": self.note.data or "",
                "override": {"manager_staff_no": self.manager_staff_no.data or "",
                             "manager_pin": self.manager_pin.data or "",
                             "reason": self.override_reason.data or ""}}


def replacement_items(text: str) -> list[dict[str, Any]]:
    """One scanned barcode (or code) a line; "CODE x 3" or "CODE*3" for several. The same
    code scanned twice is two pieces."""
    items: list[dict[str, Any]] = []
    for line in text.splitlines():
        line = ascii_number(line).strip()
        if not line:
            continue
        m = ITEM_RE.match(line)
        if m is None:
            items.append({"barcode": line[:64], "qty": 1})
            continue
        items.append({"barcode": m.group(1), "qty": int(m.group(2) or 1)})
    return items


class ContractForm(Form):
    """The manager's franchise contract on the customer's page."""

    starts_on = StringField(_l("Contract from"), validators=[Optional(), Length(max=10)])
    ends_on = StringField(_l("Contract until"), validators=[Optional(), Length(max=10)])
    return_ratio = StringField(_l("Return ratio"), validators=[Optional(), Length(max=8)])
