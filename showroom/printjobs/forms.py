"""Print-job screen forms: the reprint button is a POST that carries a CSRF token."""
from __future__ import annotations

from showroom.forms import Form


class ReprintForm(Form):
    """Button-only: queue the same document snapshot again, marked 重印 / REPRINT."""
