"""The packing bench's refusals: each one is loud on the screen and changes nothing."""
from __future__ import annotations

from showroom.errors import Conflict


class OverScan(Conflict):
    """One more unit than the line has left to pack."""

    code = "over-scan"


class NotOnOrder(Conflict):
    """A product scanned at the bench that this order does not have."""

    code = "not-on-order"


class SealRefused(Conflict):
    """Something the standard asks for before a box is closed is missing."""

    code = "seal-refused"


class AlreadySealed(Conflict):
    code = "already-sealed"
