"""The carriers the showroom ships by (SPEC §4.5): the one list of them, with their screen
labels, their names on notices and their waybill formats.

Everything else (models, forms, the API, the rate table, the customer file) imports
`Carrier` from here; this module imports nothing of the app but errors and codes, so any
feature can. Names are given in both notice languages, because a shipping notice is
written in the customer's language, not the screen's. A waybill is cleaned the way staff
type it (full-width digits from a Chinese keyboard, spaces, lower case) and then checked
against the carrier's known format where it has one; the message always says what
the format is, so the shipper can compare with the paper receipt.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from showroom.codes import Code
from showroom.errors import ValidationFailed


class Carrier(Code):
    """In the order the screens offer them: code, screen label, Chinese and English names
    on notices (fixed text, whatever the screen's language)."""
    CHINA_RAILWAY_EXPRESS = ("china_railway_express", _l("China Railway Express"), "中铁快运",
                             "China Railway Express")
    SF_EXPRESS = "sf_express", _l("SF Express"), "顺丰", "SF Express"
    STO_EXPRESS = "sto_express", _l("STO Express"), "申通", "STO Express"
    ROAD_FREIGHT = "road_freight", _l("Road freight"), "公路运输", "Road freight"
    SELF_PICKUP = "self_pickup", _l("Self pickup"), "自提", "Self pickup"

    def __init__(self, value: str, text: Any = None, zh: str = "", en: str = "") -> None:
        super().__init__(value, text)
        self.notice_names = {"zh": zh, "en": en}


CARRIERS = Carrier.codes()
# code → (Chinese name, English name), in the order the screens offer them
CARRIER_NAMES: dict[str, tuple[str, str]] = {
    c.value: (c.notice_names["zh"], c.notice_names["en"]) for c in Carrier}

_SF = re.compile(r"^(SF[0-9]{13}|[0-9]{12})$")
_STO = re.compile(r"^[0-9]{12,13}$")
_FREE = re.compile(r"^[A-Z0-9-]{4,40}$")  # no known format: letters, digits, dashes
_PATTERNS: dict[str, re.Pattern[str]] = {
    Carrier.SF_EXPRESS: _SF, Carrier.STO_EXPRESS: _STO, Carrier.CHINA_RAILWAY_EXPRESS: _FREE,
    Carrier.ROAD_FREIGHT: _FREE, Carrier.SELF_PICKUP: _FREE}


def carrier_name(code: str, lang: str = "zh") -> str:
    """The carrier's name in a notice language ("zh" or "en"); unknown codes as they are."""
    carrier = _known(code)
    if carrier is None:
        return code
    return carrier.notice_names["en" if lang == "en" else "zh"]


def _known(code: object) -> Carrier | None:
    return Carrier(code) if isinstance(code, str) and code in CARRIERS else None


def waybill_format(carrier: str) -> str:
    """What a waybill of this carrier looks like, in the screen's language."""
    if carrier == Carrier.SF_EXPRESS:
        return _("SF followed by 13 digits (SF1234567890123), or 12 digits")
    if carrier == Carrier.STO_EXPRESS:
        return _("12 or 13 digits")
    if carrier == Carrier.SELF_PICKUP:
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
    if carrier == Carrier.SELF_PICKUP and not cleaned:
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
    """The carrier's name in the screen's language (an unknown code as it is)."""
    carrier = _known(code)
    return carrier.label if carrier is not None else str(code)
