"""Cashier forms: complete the customer file, on-the-spot return, split payments.

The forms only carry text; money is parsed by settlement.services.parse_payments so the
HTML screen and the JSON API accept and refuse exactly the same amounts.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import Length, Optional

from showroom.forms import Form
from showroom.labels import LABELS
from showroom.settlement.models import PAYMENT_METHODS

METHOD_LABELS = LABELS["payment"]  # shared with every screen that names a method


class CustomerFileForm(Form):
    """Name, phone and address the seed's 第四章 asks for before settling."""

    name = StringField(_l("Name"), validators=[Optional(), Length(max=60)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    region = StringField(_l("Region"), validators=[Optional(), Length(max=60)])

    def values(self) -> dict[str, object]:
        return {f: (getattr(self, f).data or "").strip()
                for f in ("name", "phone", "address", "region")}


class ReturnForm(Form):
    """Per-line quantities arrive as `ret_<line_id>` fields; this form carries the CSRF token
    and the order's version, so a double tap makes one return slip, not two."""

    version = HiddenField()


class SettleForm(Form):
    """One amount per method (tendered for cash) plus a one-time token used as idempotency key."""

    token = HiddenField()
    cash_amount = StringField(_l("Cash"))
    cash_tendered = StringField(_l("Tendered"))
    bank_transfer_amount = StringField(_l("Bank transfer"))
    wechat_amount = StringField(_l("WeChat Pay"))
    alipay_amount = StringField(_l("Alipay"))
    on_account_amount = StringField(_l("On account"))
    # beyond the customer's credit limit: a manager allows it (SPEC §9.1)
    manager_staff_no = StringField(_l("Manager's staff number"),
                                   validators=[Optional(), Length(max=20)])
    manager_pin = PasswordField(_l("Manager's PIN"), validators=[Optional(), Length(max=12)])
    override_reason = StringField(_l("Reason"), validators=[Optional(), Length(max=200)])

    def raw_payments(self) -> list[dict[str, Any]]:
        """The rows the cashier filled in, in the API's shape; empty rows are left out."""
        out: list[dict[str, Any]] = []
        for method in PAYMENT_METHODS:
            amount = (getattr(self, f"{method}_amount").data or "").strip()
            row: dict[str, Any] = {"method": method, "amount": amount}
            if method == "cash":
                tendered = (self.cash_tendered.data or "").strip()
                if tendered:
                    row["tendered"] = tendered
                if not amount and not tendered:
                    continue
            elif not amount:
                continue
            out.append(row)
        return out
