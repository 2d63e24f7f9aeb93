"""Signing off and sealing (Std ch.5): who counted, the customer's own signature when
they are at the bench, the check that the order is paid, and the seal itself.

Customer present: at least one counter signs with their PIN, the packer confirms the
customer's name, the customer signs on the tablet, the packer confirms payment. Customer
absent: two different staff sign with their own PINs. Every sign-off vouches for the
boxes as they are, so it is taken only when every line is fully ticked, and a change
after it (untick, cross-out, a box added or removed) voids it (services.void_signoffs).
The seal needs the order settled and the sign-offs for the mode; it then queues a box
label and a packing list for every box at the station.
"""
from __future__ import annotations

import io
import warnings

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select

from showroom.auth.models import Staff
from showroom.auth.services import authenticate
from showroom.clock import now_utc
from showroom.errors import ValidationFailed
from showroom.extensions import db
from showroom.labels import label
from showroom.orders.models import PACKED, SETTLED, Order
from showroom.orders.services import lock_order
from showroom.packing.documents import queue_box_documents
from showroom.packing.errors import AlreadySealed, NameNotConfirmed, SealRefused, SignoffRefused
from showroom.packing.models import (
    MODES,
    PACKING_MOVES,
    SEALED,
    Packing,
    PackingBox,
    PackingSignature,
    VoidReason,
)
from showroom.packing.queries import active_lines, find_packing, short_lines
from showroom.packing.services import open_packing

MAX_SIGNATURE_BYTES = 200 * 1024
VOID_LABELS = VoidReason.lazy_labels()  # why the sign-offs were voided, in the packer's words


def require_counted(order: Order) -> None:
    """Sign-offs vouch for complete boxes: refused (409) while any line is short."""
    n_short, first_short = short_lines(order.id)
    if n_short:
        codes = ", ".join(f"{code} {packed}/{to_pack}" for code, packed, to_pack in first_short)
        raise SignoffRefused(_(
            "not everything is in the boxes yet (%(n)s lines short: %(codes)s): sign once every "
            "line is fully ticked", n=n_short, codes=codes), errors={"lines": codes})


def _require_name(order: Order, packing: Packing) -> None:
    if not packing.name_confirmed:
        raise NameNotConfirmed(_(
            "confirm the customer's name first: is it %(name)s?", name=order.customer.name),
            errors={"name_confirmed": _("confirm the customer's name")})


def sign(order_id: int, staff_no: str, pin: str, *, station: str | None = None,
         staff_id: int | None = None) -> PackingSignature:
    """A counter signs with their own staff number and PIN (a wrong PIN counts toward
    their lockout like any sign-in), once every line is fully ticked. Signing twice is
    harmless: one standing signature each."""
    order = lock_order(order_id)
    packing = open_packing(order.id, staff_id=staff_id, station=station, order=order)
    signer = authenticate(staff_no, pin, source=f"packing:{order.number}")
    require_counted(order)
    existing = db.session.scalar(select(PackingSignature).where(
        PackingSignature.packing_id == packing.id, PackingSignature.staff_id == signer.id,
        PackingSignature.voided_at.is_(None)))
    if existing is not None:
        return existing
    signature = PackingSignature(packing_id=packing.id, staff_id=signer.id)
    db.session.add(signature)
    packing.version += 1
    db.session.flush()
    db.session.expire(packing, ["signatures"])
    return signature


def confirm_name(order_id: int, *, staff_id: int | None = None) -> Packing:
    """Customer present: the packer asked and the name on the slip is the customer's
    (SPEC §4.4, "confirms the customer's name"). Any time before the seal; a box change
    does not undo it."""
    order = lock_order(order_id)
    packing = open_packing(order.id, staff_id=staff_id, order=order)
    if not packing.name_confirmed:
        packing.name_confirmed = True
        packing.version += 1
        db.session.flush()
    return packing


def clean_signature_png(data: bytes) -> bytes:
    """A PNG from the signature pad: real PNG, sane size, something drawn on it."""
    if not data or len(data) > MAX_SIGNATURE_BYTES or not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationFailed(_("the signature must be a PNG image of at most 200 KB"),
                               errors={"signature": _("not a PNG signature")})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if not (50 <= img.width <= 2000 and 20 <= img.height <= 1000):  # before decoding
                    raise ValidationFailed(_("the signature image has an odd size"),
                                           errors={"signature": _("odd size")})
                img.load()
                extrema = img.convert("L").getextrema()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationFailed(_("the signature image cannot be read"),
                               errors={"signature": _("unreadable")}) from exc
    lo, hi = extrema if isinstance(extrema, tuple) else (0, 0)
    if isinstance(lo, int) and isinstance(hi, int) and hi - lo < 40:
        raise ValidationFailed(_("the signature pad is empty: ask the customer to sign"),
                               errors={"signature": _("empty")})
    return data


def customer_signs(order_id: int, png: bytes, *, staff_id: int | None = None,
                   name_confirmed: bool = False) -> Packing:
    """Customer present: they sign on the tablet that all their goods went into the boxes
    (客户签名处签字确认) — so only once everything is boxed, and once the packer has
    confirmed their name (here, or before). A new signature replaces the previous one."""
    data = clean_signature_png(png)
    order = lock_order(order_id)
    packing = open_packing(order.id, staff_id=staff_id, order=order)
    require_counted(order)
    packing.name_confirmed = packing.name_confirmed or bool(name_confirmed)
    _require_name(order, packing)
    packing.customer_signature = data
    packing.customer_signed_at = now_utc()
    packing.version += 1
    db.session.flush()
    return packing


def confirm_payment(order_id: int, *, staff_id: int, name_confirmed: bool = False) -> Packing:
    """The packer checked the order is paid (注意客户是否买单), once everything is boxed,
    for the customer whose name they confirmed (here, or before)."""
    order = lock_order(order_id)
    packing = open_packing(order.id, staff_id=staff_id, order=order)
    require_counted(order)
    packing.name_confirmed = packing.name_confirmed or bool(name_confirmed)
    _require_name(order, packing)
    packing.payment_checked_by_id = staff_id
    packing.payment_checked_at = now_utc()
    packing.version += 1
    db.session.flush()
    return packing


def missing_signoffs(packing: Packing | None, mode: str) -> list[str]:
    """The sign-offs the mode still needs, in the packer's words ([] when all stand)."""
    problems: list[str] = []
    signers = {s.staff_id for s in packing.signatures} if packing else set()
    if mode == "absent" and len(signers) < 2:
        problems.append(_("customer absent: two different staff must sign (%(n)s so far)",
                          n=len(signers)))
    if mode == "present":
        if not signers:
            problems.append(_("the counter has not signed"))
        if packing is None or packing.customer_signature is None:
            problems.append(_("the customer has not signed"))
        if packing is None or packing.payment_checked_at is None:
            problems.append(_("payment has not been checked"))
    return problems


def void_notice(packing: Packing | None, mode: str) -> str:
    """"Sign again" while a change voided the sign-offs and they are not all given again."""
    if packing is None or packing.signoffs_voided_at is None or not missing_signoffs(packing, mode):
        return ""
    why = VOID_LABELS.get(packing.signoffs_void_reason, packing.signoffs_void_reason)
    return _("The sign-offs were voided because %(why)s: sign again once everything is "
             "counted.", why=why)


def seal_problems(order: Order, packing: Packing | None, mode: str, *,
                  short: int | None = None, empty_boxes: list[int] | None = None) -> list[str]:
    """Everything standing between this order and a sealed box, in the packer's words.
    A caller that already counted the short lines or has the boxes passes them in."""
    problems: list[str] = []
    if order.status != SETTLED:
        problems.append(_("the order is %(status)s, not settled",
                          status=label(order.status, "order_state")))
    n_short, first_short = (0, []) if short == 0 else short_lines(order.id, count=short)
    if n_short:
        problems.append(_("%(n)s lines are not fully ticked: %(codes)s", n=n_short, codes=", ".join(
            f"{code} {packed}/{to_pack}" for code, packed, to_pack in first_short)))
    problems += missing_signoffs(packing, mode)
    if packing is not None:
        empty = empty_boxes if empty_boxes is not None else db.session.scalars(
            select(PackingBox.number).where(PackingBox.packing_id == packing.id,
                                            PackingBox.number > 0, PackingBox.units == 0))
        problems += [_("box %(n)s is empty: fill it or remove it", n=n) for n in empty]
    return problems


def seal(order_id: int, mode: str, *, staff_id: int | None, station: str | None = None
         ) -> Packing:
    """Close the boxes: refused (409, nothing changes) unless every line is ticked, the
    order is settled and the sign-offs for the mode are there. Queues the labels."""
    if mode not in MODES:
        raise ValidationFailed(_("mode is present or absent"),
                               errors={"mode": _("present or absent")})
    order = lock_order(order_id)
    packing = find_packing(order.id)
    if packing is not None and packing.status == SEALED:
        raise AlreadySealed(_("order %(number)s is already sealed", number=order.number))
    if order.status == SETTLED and packing is None and not active_lines(order.id):
        packing = open_packing(order.id, staff_id=staff_id, station=station, order=order)
    problems = seal_problems(order, packing, mode)
    if problems:
        joined = _("; ").join(problems)
        raise SealRefused(_("cannot seal order %(number)s: %(problems)s", number=order.number,
                            problems=joined), errors={"seal": joined})
    assert packing is not None
    PACKING_MOVES.move(packing, SEALED, name=order.number)
    packing.mode = mode
    packing.sealed_at = now_utc()
    packing.sealed_by_id = staff_id
    packing.version += 1
    order.transition(PACKED)
    order.version += 1
    db.session.flush()
    packer = db.session.get(Staff, staff_id) if staff_id else None
    queue_box_documents(order, packing, packer_name=packer.name if packer else "",
                        station=station, staff_id=staff_id)
    return packing
