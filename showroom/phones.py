"""Customer phone numbers: a mainland mobile (11 digits from 1) or a landline with its area
code, with an optional extension. Pure functions, no Flask: services and forms share them.

A number is stored in one spelling so the duplicate check and the whole-number search
find it however it was typed: mobiles as 11 digits (a +86 / 0086 prefix dropped, spaces
and dashes removed), landlines as AREA-NUMBER[-EXTENSION] (010-12345678-123).
"""
from __future__ import annotations

import re

# Area codes: 010 and 020-029 have two digits after the 0, every other one three.
_AREA = r"0(?:[12]\d|[3-9]\d{2})"
_MOBILE = re.compile(r"^(?:(?:\+|00)?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})$")
_LANDLINE = re.compile(
    rf"^(?:(?:\+|00)86[- ]?)?\(?({_AREA})\)?[- ]?(\d{{3,4}})[- ]?(\d{{4}})"
    r"(?:(?:[- ]*(?:转|ext\.?|x|#)[- ]*|[- ]+)(\d{1,6}))?$", re.IGNORECASE)
_NBSP = str.maketrans({"\u00a0": " ", "\u3000": " ", "\uff0d": "-", "\uff0b": "+",
                       "\uff08": "(", "\uff09": ")"})


def clean_phone(text: str) -> str | None:
    """The number in its stored spelling, or None when it is not a phone we accept.

    >>> clean_phone("138 0013 8000"), clean_phone("+86 138-0013-8000")
    ('13800138000', '13800138000')
    >>> clean_phone("010 1234 5678 转 12"), clean_phone("0571-8765432")
    ('010-12345678-12', '0571-8765432')
    >>> clean_phone("12345678901234567890") is None
    True
    """
    text = " ".join(_fullwidth_digits(text.translate(_NBSP)).split())
    if len(text) > 30:
        return None
    mobile = _MOBILE.match(text)
    if mobile:
        return "".join(mobile.groups())
    landline = _LANDLINE.match(text)
    if landline:
        area, head, tail, ext = landline.groups()
        number = f"{area}-{head}{tail}"
        if len(head + tail) not in (7, 8):
            return None
        return f"{number}-{ext}" if ext else number
    return None


def phone_digits(text: str) -> str:
    """Only the digits of a stored or typed number (a +86 prefix dropped): the key the
    whole-number search compares."""
    cleaned = clean_phone(text)
    return re.sub(r"\D", "", cleaned if cleaned is not None else _fullwidth_digits(text))


def _fullwidth_digits(text: str) -> str:
    """０-９ as a Chinese IME types them become 0-9."""
    return text.translate({0xFF10 + i: 0x30 + i for i in range(10)})
