"""Small input checks shared by services: trimmed text within a length limit, with the
problem recorded against its field so a form can show every mistake at once."""
from __future__ import annotations

from flask_babel import gettext as _

from showroom import text_rule
from showroom.errors import Problem
from showroom.money import ascii_number


def clean_text(value: object, field: str, errors: dict[str, str], limit: int, *,
               required: bool = False, multiline: bool = False) -> str:
    """Trimmed text within `limit` characters under the one text rule (`text_rule`: no
    control, bidi or zero-width characters; tab and line breaks only when `multiline`);
    problems go into `errors[field]`, each a Problem with its code."""
    if value is not None and not isinstance(value, str):
        errors[field] = Problem("not-text", _("must be text"))
        return ""
    text = (value or "").strip()
    refused = text_rule.check(text, multiline=multiline)
    if refused is not None:
        errors[field] = Problem("bad-text", refused)
    elif required and not text:
        errors[field] = Problem("required", _("required"))
    elif len(text) > limit:
        errors[field] = Problem("too-long", _("at most %(n)s characters", n=limit))
    return text


MAX_ID = 2**31 - 1


def small_int(text: str | None, limit: int = MAX_ID) -> int | None:
    """A whole number typed in a form ("12", or "１２" from a Chinese IME), or None: no
    "²", no signs, nothing huge."""
    text = ascii_number(text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    value = int(text)
    return value if value <= limit else None
