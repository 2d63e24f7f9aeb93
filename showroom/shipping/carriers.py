"""The carriers the showroom ships by (SPEC §4.5) and their waybill formats.

Names are given in both notice languages, because a shipping notice is written in the
customer's language, not the screen's. A waybill is cleaned the way staff type it
(full-width digits from a Chinese keyboard, spaces, lower case) and then checked
against the carrier's known format where it has one; the message always says what
the format is, so the shipper can compare with the paper receipt.
"""
from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _

from showroom.errors import ValidationFailed
from showroom.shipping.models import CARRIERS

# code → (Chinese name, English name), in the order the screens offer them
CARRIER_NAMES: dict[str, tuple[str, str]] = {
    "china_railway_express": ("中铁快运", "China Railway Express"),
    "sf_express": ("顺丰", "SF Express"),
    "sto_express": ("申通", "STO Express"),
    "road_freight": ("公路运输", "Road freight"),
    "self_pickup": ("自提", "Self pickup"),
}
assert tuple(CARRIER_NAMES) == CARRIERS

_SF = re.compile(r"^(SF[0-9]{13}|[0-9]{12})$")
_STO = re.compile(r"^[0-9]{12,13}$")
_FREE = re.compile(r"^[A-Z0-9-]{4,40}$")  # no known format: letters, digits, dashes
_PATTERNS = {"sf_express": _SF, "sto_express": _STO, "china_railway_express": _FREE,
             "road_freight": _FREE, "self_pickup": _FREE}


def carrier_name(code: str, lang: str = "zh") -> str:
    """The carrier's name in a notice language ("zh" or "en"); unknown codes as they are."""
    names = CARRIER_NAMES.get(code)
    if names is None:
        return code
    return names[1] if lang == "en" else names[0]


def waybill_format(carrier: str) -> str:
    """What a waybill of this carrier looks like, in the screen's language."""
    if carrier == "sf_express":
        return _("SF followed by 13 digits (SF1234567890123), or 12 digits")
    if carrier == "sto_express":
        return _("12 or 13 digits")
    if carrier == "self_pickup":
        return _("not needed for self pickup; if given, 4 to 40 letters, digits or dashes")
    return _("4 to 40 letters, digits or dashes (this carrier has no fixed format)")


def check_carrier(carrier: object) -> str:
    if not isinstance(carrier, str) or carrier not in CARRIERS:
        raise ValidationFailed(_("choose a carrier"), errors={
            "carrier": _("one of %(choices)s", choices=", ".join(CARRIERS))})
    return carrier


def clean_waybill(waybill: object) -> str:
    """Full-width characters to ASCII, every space removed, upper case."""
    if waybill is None:
        return ""
    if not isinstance(waybill, str):
        raise ValidationFailed(_("the waybill number must be text"),
                               errors={"waybill": _("must be text")})
    text = unicodedata.normalize("NFKC", waybill)
    return "".join(text.split()).upper()[:200]


def check_waybill(carrier: str, waybill: object) -> str:
    """The cleaned waybill number, or ValidationFailed saying the expected format."""
    check_carrier(carrier)
    cleaned = clean_waybill(waybill)
    if carrier == "self_pickup" and not cleaned:
        return ""
    if not cleaned:
        msg = _("enter the waybill number: %(format)s", format=waybill_format(carrier))
        raise ValidationFailed(msg, errors={"waybill": msg})
    if not _PATTERNS[carrier].match(cleaned):
        msg = _("%(carrier)s waybill numbers are %(format)s; %(waybill)s is not one",
                waybill=cleaned[:40], carrier=carrier_label(carrier),
                format=waybill_format(carrier))
        raise ValidationFailed(msg, errors={"waybill": msg})
    return cleaned


def carrier_label(code: str) -> str:
    """The carrier's name in the screen's language."""
    from showroom.labels import label

    return label(code, "carrier")
