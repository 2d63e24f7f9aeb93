"""The code lists of remote orders: the wait for the remittance and what an answer told
the customer. Kept apart (no service imports) so showroom.labels can list them."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from showroom.codes import Code, StatusTable


class RemitStatus(Code):
    """Whether a remote order waits for the customer's remittance before packing."""
    NONE = "", _l("No wait")
    AWAITING = "awaiting", _l("Waiting for the remittance")
    RECEIVED = "received", _l("Remittance received")
    RELEASED = "released", _l("Released by a manager")


REMIT_MOVES = StatusTable(_l("Remittance"), {
    RemitStatus.NONE: {RemitStatus.AWAITING},
    RemitStatus.AWAITING: {RemitStatus.RECEIVED, RemitStatus.RELEASED},
    RemitStatus.RECEIVED: set(),
    RemitStatus.RELEASED: set(),
})
#: Remit states the packing bench may take (awaiting is held back).
PACKABLE = (RemitStatus.NONE.value, RemitStatus.RECEIVED.value, RemitStatus.RELEASED.value)


class AnswerKind(Code):
    """What the clerk told the customer about a line of an online order (Std ch.9)."""
    SHORTAGE = "shortage", _l("Shortage")
    COLOUR = "colour", _l("Colour differs")
    PRICE = "price", _l("Price changed")
