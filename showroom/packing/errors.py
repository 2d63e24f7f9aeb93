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


class SignoffRefused(Conflict):
    """A sign-off (a counter's PIN, the customer's signature, the payment check) given
    before every line is fully ticked: it would vouch for boxes that are not complete."""

    code = "signoff-refused"


class NameNotConfirmed(SignoffRefused):
    """Customer present: the packer confirms the customer's name before the customer signs
    and before the payment is checked (SPEC §4.4)."""

    code = "name-not-confirmed"
