"""Small input checks shared by services: trimmed text within a length limit, with the
problem recorded against its field so a form can show every mistake at once."""
from __future__ import annotations

from flask_babel import gettext as _


def clean_text(value: object, field: str, errors: dict[str, str], limit: int, *,
               required: bool = False) -> str:
    """Trimmed text within `limit` characters; problems go into `errors[field]`."""
    if value is not None and not isinstance(value, str):
        errors[field] = _("must be text")
        return ""
    text = (value or "").strip()
    if required and not text:
        errors[field] = _("required")
    elif len(text) > limit:
        errors[field] = _("at most %(n)s characters", n=limit)
    return text
