"""Money: integer fen inside, Decimal strings at the edges. Never float.

All rounding happens here (ROUND_HALF_UP). Inputs with more than two decimals are
rejected, not rounded: a cashier typing 12.345 made a mistake we should show.
MoneyError messages are translated (outside an app context they stay English).
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import gettext as _

FEN_PER_YUAN = 100
MAX_FEN = 10**13  # a hundred billion yuan: far beyond any showroom amount
_MONEY_RE = re.compile(r"^-?[0-9]{1,12}(\.[0-9]{1,2})?$")
#: What a Chinese input method types instead of ASCII: full-width digits, the full-width
#: and ideographic full stops as the decimal point, full-width comma, minus and yuan sign.
WIDE = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                      "．": ".", "。": ".", "，": ",", "－": "-", "￥": "¥", "\u3000": " "})


def ascii_number(text: str) -> str:
    """`１２３．５０` → `123.50`: what an IME typed, in the ASCII the parsers check."""
    return text.translate(WIDE)


class MoneyError(ValueError):
    """An amount that is not a valid CNY figure with at most two decimals."""


def parse_fen(value: object, *, allow_negative: bool = False) -> int:
    """Parse "1234.50" / Decimal / int yuan into fen. Floats are refused outright.
    Full-width digits and 。．as the decimal point (a Chinese IME) count as typed in ASCII."""
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyError(_("amount must be a string like \"12.50\", not a number with float"))
    if isinstance(value, int):
        fen = value * FEN_PER_YUAN
    elif isinstance(value, Decimal):
        if value != value.quantize(Decimal("0.01")):
            raise MoneyError(_("at most two decimals"))
        fen = int(value * FEN_PER_YUAN)
    elif isinstance(value, str):
        text = ascii_number(value).strip().replace(",", "").lstrip("¥").strip()
        if not _MONEY_RE.match(text):
            raise MoneyError(_("amount must look like 1234.50 (at most two decimals)"))
        try:
            fen = int(Decimal(text) * FEN_PER_YUAN)
        except InvalidOperation as exc:  # pragma: no cover - regex guards it
            raise MoneyError(_("not a number")) from exc
    else:
        raise MoneyError(_("amount must be a string like \"12.50\""))
    if fen < 0 and not allow_negative:
        raise MoneyError(_("amount cannot be negative"))
    if abs(fen) > MAX_FEN:
        raise MoneyError(_("amount is too large"))
    return fen


def to_decimal(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def fen_str(fen: int) -> str:
    """API form: exactly two decimals, no symbol: "1234.50"."""
    return f"{to_decimal(fen):.2f}"


def yuan(fen: int) -> str:
    """Display form with thousands separators and the yuan sign: "¥1,234.50"."""
    sign = "-" if fen < 0 else ""
    return f"{sign}¥{abs(to_decimal(fen)):,.2f}"


def multiply(unit_fen: int, qty: int) -> int:
    return unit_fen * qty


def percent_of(fen: int, percent: Decimal) -> int:
    """Share of an amount, rounded half up to the fen."""
    return int((Decimal(fen) * percent / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
